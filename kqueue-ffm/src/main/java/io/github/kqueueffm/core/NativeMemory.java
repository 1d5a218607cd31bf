package io.github.kqueueffm.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Native memory owned by one kqueue, allocated from one shared arena and counted process-wide so
 * tests can check that {@code close()} gives everything back.
 */
public final class NativeMemory implements AutoCloseable {
    private static final AtomicLong IN_USE = new AtomicLong();

    private final Arena arena = Arena.ofShared();
    private long bytes;

    /**
     * Bytes held by every open {@code NativeMemory}.
     *
     * @return bytes in use
     */
    public static long inUse() {
        return IN_USE.get();
    }

    /**
     * Allocates zeroed memory that lives until {@link #close()}.
     *
     * @param size bytes
     * @param alignment byte alignment
     * @return the segment
     */
    public synchronized MemorySegment allocate(long size, long alignment) {
        MemorySegment segment = arena.allocate(size, alignment);
        bytes += size;
        IN_USE.addAndGet(size);
        return segment;
    }

    /**
     * Frees everything. The kqueue's {@link CallGate} has already waited for every thread that
     * could still use a segment (callers, and wakers in flight), so nothing is in use.
     */
    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) {
            arena.close();
            IN_USE.addAndGet(-bytes);
            bytes = 0;
        }
    }
}
