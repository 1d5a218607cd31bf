package io.github.kqueueffm.bindings;

import java.lang.foreign.MemorySegment;

/**
 * Views of native memory in the global scope, for an owner that keeps the memory alive for every
 * call by its own means. A downcall given a segment of a shared arena acquires and releases the
 * arena's session around the call, two atomic operations; a kevent call makes two such downcalls
 * (the wait and FIONREAD), and the four operations cost about 28 ns of it (PollReadyBench,
 * 433 → 405 ns). A view of the global scope is never checked: an access after the memory was
 * freed reads or corrupts freed memory instead of throwing, so only an owner that proves no call
 * can still be using the memory when it frees it may hand such views out.
 */
public final class UnscopedMemory {
    private UnscopedMemory() {
    }

    /**
     * The same memory as a segment of the global scope (a restricted operation, hence here).
     *
     * @param segment native memory
     * @return a segment of the same address and size that is always alive
     */
    @SuppressWarnings("restricted")
    public static MemorySegment view(MemorySegment segment) {
        return MemorySegment.ofAddress(segment.address()).reinterpret(segment.byteSize());
    }
}
