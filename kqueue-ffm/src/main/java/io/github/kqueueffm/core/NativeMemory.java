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

    /** @return bytes held by every open {@code NativeMemory} */
    static long inUse() {
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
     * Frees everything. A thread may still be finishing a downcall on one of the segments (a
     * wakeup written just as the kqueue closed): the close is retried until it lets go.
     */
    @Override
    public synchronized void close() {
        for (int attempt = 0; arena.scope().isAlive(); attempt++) {
            try {
                arena.close();
                IN_USE.addAndGet(-bytes);
                bytes = 0;
            } catch (IllegalStateException inUse) {
                if (attempt > 10_000) {
                    throw inUse;
                }
                Thread.onSpinWait();
            }
        }
    }
}
