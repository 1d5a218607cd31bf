package io.github.kqueueffm.tests;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What {@code -Pnative} runs when no library is named: a skipped test whose message says how to
 * enable the native conformance run. Not a {@code *Test}, so the usual run leaves it out.
 */
class NativeRunHint {
    static final String HINT = "The native conformance run is skipped: kqueue.native.library is not set."
            + " Enable it with -Dkqueue.native.library=/absolute/path/to/libkqueue.so"
            + " (libkqueue built from github.com/mheily/libkqueue).";

    @Test
    void nativeRunNeedsALibrary() {
        System.err.println("[WARNING] " + HINT);
        Assumptions.abort(HINT);
    }
}
