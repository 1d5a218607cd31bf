/** The same application module, now naming the bindings at compile time: javac must refuse it. */
module evil {
    requires io.github.kqueueffm;
    requires io.github.kqueueffm.bindings;
}
