package io.github.kqueueffm.core;

import io.github.kqueueffm.bindings.UnscopedMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
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
 *
 * <p>A freeable block of whole huge pages comes from the platform's {@link HugePages} when it has
 * them, so that a large structure is faulted in a few huge pages rather than many small ones.
 */
public final class NativeMemory implements AutoCloseable {
    private static final AtomicLong IN_USE = new AtomicLong();

    private static final boolean ASSERTIONS = NativeMemory.class.desiredAssertionStatus();

    private final Arena arena = Arena.ofShared();
    /** Blocks that can be freed before close, each in an arena of its own, by address. */
    private final Map<Long, Arena> freeable = new HashMap<>();
    private final boolean checked;
    private final HugePages hugePages;
    private long bytes;

    /** Memory handing out unscoped views, or the arena's own segments when assertions are on. */
    public NativeMemory() {
        this(null);
    }

    /**
     * Memory as {@link #NativeMemory()}, whose freeable blocks of whole huge pages are mapped in
     * huge pages.
     *
     * @param hugePages the OS's huge pages, or null if it has none
     */
    public NativeMemory(HugePages hugePages) {
        this(ASSERTIONS, hugePages);
    }

    /**
     * Memory handing out the arena's segments ({@code checked}) or unscoped views of them.
     *
     * @param checked whether every access checks that the memory is still alive
     * @param hugePages the OS's huge pages, or null
     */
    NativeMemory(boolean checked, HugePages hugePages) {
        this.checked = checked;
        this.hugePages = hugePages;
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
     * The size of a huge page, for structures that allocate in blocks of them.
     *
     * @return bytes, or 0 if blocks are never mapped in huge pages
     */
    public long hugePageSize() {
        return hugePages == null ? 0 : hugePages.pageSize();
    }

    /**
     * Allocates zeroed memory that {@link #free} can give back before {@link #close()}: a block
     * for a structure that shrinks (its arena is closed when it is freed, a handshake with every
     * thread: for blocks freed rarely, not per operation). Freeing it is its user's job, under
     * whatever lock guards its use. A block of whole huge pages ({@link #hugePageSize()}) is
     * mapped in huge pages where the OS gives them.
     *
     * @param size bytes
     * @param alignment byte alignment
     * @return the block
     */
    public synchronized MemorySegment allocateFreeable(long size, long alignment) {
        Arena own = Arena.ofShared();
        MemorySegment segment = mapHuge(size, alignment, own);
        if (segment == null) {
            segment = own.allocate(size, alignment);
        }
        freeable.put(segment.address(), own);
        bytes += size;
        IN_USE.addAndGet(size);
        return checked ? segment : UnscopedMemory.view(segment);
    }

    /** A block in huge pages, unmapped when its arena closes; null if not wanted or refused. */
    private MemorySegment mapHuge(long size, long alignment, Arena own) {
        long page = hugePageSize();
        if (page == 0 || size % page != 0 || page % alignment != 0) {
            return null;
        }
        MemorySegment block = hugePages.map(size);
        return block == null ? null : block.reinterpret(size, own, hugePages::unmap);
    }

    /**
     * Gives back a block of {@link #allocateFreeable} before close; nothing may use it afterwards.
     *
     * @param block the block
     * @throws IllegalArgumentException if it is not a block of this memory still allocated
     */
    public synchronized void free(MemorySegment block) {
        Arena own = freeable.remove(block.address());
        if (own == null) {
            throw new IllegalArgumentException("not a freeable block of this memory: " + block);
        }
        own.close();
        bytes -= block.byteSize();
        IN_USE.addAndGet(-block.byteSize());
    }

    /**
     * Bytes this memory holds.
     *
     * @return bytes allocated and not yet freed
     */
    public synchronized long bytes() {
        return bytes;
    }

    /**
     * Frees everything. The kqueue's {@link CallGate} has already waited for every thread that
     * could still use a segment (callers, and wakers in flight), so nothing is in use.
     */
    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) {
            arena.close();
            freeable.values().forEach(Arena::close);
            freeable.clear();
            IN_USE.addAndGet(-bytes);
            bytes = 0;
        }
    }
}
