/**
 * kqueue-ffm: BSD kqueue/kevent for Java. The public API is the package {@code io.github.kqueueffm}.
 */
module io.github.kqueueffm {
    requires io.github.kqueueffm.bindings;

    exports io.github.kqueueffm;
}
