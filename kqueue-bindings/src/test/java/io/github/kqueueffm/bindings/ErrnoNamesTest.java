package io.github.kqueueffm.bindings;

import io.github.kqueueffm.bindings.linux.LinuxBindings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The errno table comes from the running OS's bindings (UnsupportedTargetTest covers an OS without them). */
class ErrnoNamesTest {
    @Test
    void theTableIsTheRunningOsOne() {
        assumeTrue(LinuxBindings.isAvailable(), "only Linux has a generated errno table so far");
        assertEquals(LinuxBindings.errnoConstants(), ErrnoNames.all());
    }
}
