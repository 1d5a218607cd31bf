/**
 * An application module without a native-access grant of its own, compiled and run by
 * NativeAccessBoundaryTest on the module path.
 */
module evil {
    requires io.github.kqueueffm;
}
