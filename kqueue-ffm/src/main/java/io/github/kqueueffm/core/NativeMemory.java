package io.github.kqueueffm.core;

import io.github.kqueueffm.bindings.UnscopedMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Native memory owned by one kqueue, allocated from one shared arena and counted process-wide so
 * tests can check that {@code close()} gives everything back.
 *
 * <p>The segments handed out are {@linkplain UnscopedMemory#view unscoped views}: the kqueue's
 * {@link CallGate} frees the memory only once no caller and no waker can use it, so the arena's
 * per-downcall acquire and release (two atomic operations a call, about 14 ns) would check again
 * what the gate already ensures. With assertions on (the tests), the arena's own segments are
 * handed out instead, so that a use after close fails there with an exception.
 */
public final class NativeMemory implements AutoCloseable {
    private static final AtomicLong IN_USE = new AtomicLong();

    private static final boolean ASSERTIONS = NativeMemory.class.desiredAssertionStatus();

    private final Arena arena = Arena.ofShared();
    private final boolean checked;
    private long bytes;

    /** Memory handing out unscoped views, or the arena's own segments when assertions are on. */
    public NativeMemory() {
        this(ASSERTIONS);
    }

    /**
     * Memory handing out the arena's segments ({@code checked}) or unscoped views of them.
     *
     * @param checked whether every access checks that the memory is still alive
     */
    NativeMemory(boolean checked) {
        this.checked = checked;
    }

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
        return checked ? segment : UnscopedMemory.view(segment);
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
