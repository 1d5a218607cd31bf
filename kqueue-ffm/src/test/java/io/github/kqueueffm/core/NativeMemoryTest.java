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

    /** Huge pages as anonymous mappings of the real kernel, counting what the memory asks for. */
    private static final class CountingHugePages implements HugePages {
        int maps;
        int unmaps;
        boolean refuse;

        @Override
        public long pageSize() {
            return 2 << 20;
        }

        @Override
        public MemorySegment map(long size) {
            if (refuse) {
                return null;
            }
            long address = LinuxCalls.mmapAnonymous(size);
            assertTrue(address > 0, "mmap: " + address);
            maps++;
            return MemorySegment.ofAddress(address).reinterpret(size);
        }

        @Override
        public void unmap(MemorySegment block) {
            assertEquals(0, LinuxCalls.munmap(block.address(), block.byteSize()), "munmap");
            unmaps++;
        }
    }

    @Test
    @DisplayName("freeable blocks of whole huge pages are mapped as huge pages, unmapped by free() or close()")
    void wholeHugePageBlocksAreMapped() {
        long before = NativeMemory.inUse();
        CountingHugePages pages = new CountingHugePages();
        NativeMemory memory = new NativeMemory(true, pages);
        assertEquals(2 << 20, memory.hugePageSize());
        MemorySegment huge = memory.allocateFreeable(4 << 20, 8);
        MemorySegment small = memory.allocateFreeable(64 << 10, 8);
        MemorySegment kept = memory.allocateFreeable(2 << 20, 8);
        assertEquals(2, pages.maps, "only the blocks of whole huge pages");
        assertEquals((6 << 20) + (64 << 10), memory.bytes());
        assertEquals(before + memory.bytes(), NativeMemory.inUse());
        huge.set(ValueLayout.JAVA_LONG, (4 << 20) - 8, 9);
        assertEquals(9, huge.get(ValueLayout.JAVA_LONG, (4 << 20) - 8));
        assertEquals(0, kept.get(ValueLayout.JAVA_LONG, 0), "zero-filled");

        memory.free(huge);
        assertEquals(1, pages.unmaps);
        assertThrows(IllegalStateException.class, () -> huge.get(ValueLayout.JAVA_LONG, 0),
                "a freed huge block's checked segment is dead");
        small.set(ValueLayout.JAVA_LONG, 0, 1);

        pages.refuse = true;
        MemorySegment fallback = memory.allocateFreeable(2 << 20, 8);
        assertEquals(2, pages.maps, "refused: the block comes from an arena");
        fallback.set(ValueLayout.JAVA_LONG, 0, 1);

        memory.close();
        assertEquals(2, pages.unmaps, "close unmaps the huge block not freed yet");
        assertFalse(kept.scope().isAlive());
        assertEquals(before, NativeMemory.inUse());
    }
}
