/**
 * kqueue-ffm: BSD kqueue/kevent for Java. The public API is the package {@code io.github.kqueueffm}.
 */
module io.github.kqueueffm {
    requires io.github.kqueueffm.bindings;
    requires jdk.unsupported; // sun.misc.Signal: the only public way to see signals in a JVM

    exports io.github.kqueueffm;
}
