package io.github.kqueueffm.core;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxConstants;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kqueue's native memory: unscoped views in production (no session acquire/release per
 * downcall), the arena's checked segments when assertions are on, so that the tests catch a use
 * after close as an exception.
 */
class NativeMemoryTest {
    @Test
    @DisplayName("unscoped views: same memory, usable in downcalls, counted and given back at close")
    void unscopedViewsAreTheSameMemory() {
        long before = NativeMemory.inUse();
        NativeMemory memory = new NativeMemory(false, null);
        MemorySegment value = memory.allocate(8, 8);
        assertEquals(8, value.byteSize());
        assertEquals(0, value.address() % 8, "alignment kept");
        assertEquals(before + 8, NativeMemory.inUse());

        int efd = LinuxCalls.eventfd(0, LinuxConstants.EFD_CLOEXEC | LinuxConstants.EFD_NONBLOCK);
        assertTrue(efd >= 0, "eventfd");
        try {
            value.set(ValueLayout.JAVA_LONG, 0, 5);
            assertEquals(8, LinuxCalls.write(efd, value, 8), "a downcall writes from the view");
            value.set(ValueLayout.JAVA_LONG, 0, 0);
            assertEquals(8, LinuxCalls.read(efd, value, 8), "and reads into it");
            assertEquals(5, value.get(ValueLayout.JAVA_LONG, 0));
        } finally {
            LinuxCalls.close(efd);
        }

        memory.close();
        assertEquals(before, NativeMemory.inUse());
        assertTrue(value.scope().isAlive(), "a view never checks: the kqueue's gate guards it instead");
    }

    @Test
    @DisplayName("checked segments (assertions on): an access after close throws instead of reading freed memory")
    void checkedSegmentsFailAfterClose() {
        NativeMemory memory = new NativeMemory(true, null);
        MemorySegment value = memory.allocate(8, 8);
        value.set(ValueLayout.JAVA_LONG, 0, 1);
        memory.close();

        assertFalse(value.scope().isAlive());
        assertThrows(IllegalStateException.class, () -> value.get(ValueLayout.JAVA_LONG, 0));
    }

    @Test
    @DisplayName("the tests run the checked kind: assertions on means every kqueue's memory is checked")
    void theDefaultFollowsTheAssertionStatus() {
        NativeMemory memory = new NativeMemory();
        MemorySegment value = memory.allocate(8, 8);
        memory.close();
        assertEquals(!NativeMemory.class.desiredAssertionStatus(), value.scope().isAlive());
    }

    @Test
    @DisplayName("a freeable block is counted, given back by free() before close, and the rest by close()")
    void freeableBlocksAreGivenBackEarly() {
        long before = NativeMemory.inUse();
        NativeMemory memory = new NativeMemory(true, null);
        MemorySegment kept = memory.allocateFreeable(64, 8);
        MemorySegment freed = memory.allocateFreeable(128, 8);
        memory.allocate(16, 8);
        assertEquals(208, memory.bytes());
        assertEquals(before + 208, NativeMemory.inUse());
        memory.free(freed);
        assertEquals(80, memory.bytes());
        assertFalse(freed.scope().isAlive(), "a freed block's checked segment is dead");
        assertThrows(IllegalArgumentException.class, () -> memory.free(freed), "freed twice");
        assertThrows(IllegalArgumentException.class, () -> memory.free(memory.allocate(8, 8)), "not freeable");
        kept.set(ValueLayout.JAVA_LONG, 0, 7);
        memory.close();
        assertFalse(kept.scope().isAlive(), "close frees the blocks not freed yet");
        assertEquals(before, NativeMemory.inUse());
    }
}
