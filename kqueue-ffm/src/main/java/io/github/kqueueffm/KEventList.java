package io.github.kqueueffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * A flyweight over a native array of FreeBSD {@code struct kevent} records (64 bytes each:
 * ident, filter, flags, fflags, data, udata, ext[4]). Reading and writing fields allocates
 * nothing, so an event loop can reuse one list for every
 * {@link KQueue#kevent(KEventList, int, KEventList, int, java.time.Duration)} call.
 *
 * <p>A list owns its memory when made with {@link #allocate(int)} (freed by {@link #close()});
 * with {@link #allocate(Arena, int)} the arena owns it and {@code close()} does nothing. A list is
 * not thread-safe: use one per thread.
 */
public final class KEventList implements AutoCloseable {
    /** The FreeBSD ≥ 12 {@code struct kevent} layout (64 bytes, no padding). */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("ident"),
            ValueLayout.JAVA_SHORT.withName("filter"),
            ValueLayout.JAVA_SHORT.withName("flags"),
            ValueLayout.JAVA_INT.withName("fflags"),
            ValueLayout.JAVA_LONG.withName("data"),
            ValueLayout.JAVA_LONG.withName("udata"),
            MemoryLayout.sequenceLayout(4, ValueLayout.JAVA_LONG).withName("ext"));
    /** Bytes per record. */
    public static final long RECORD_SIZE = LAYOUT.byteSize();

    private static final long IDENT = LAYOUT.byteOffset(groupElement("ident"));
    private static final long FILTER = LAYOUT.byteOffset(groupElement("filter"));
    private static final long FLAGS = LAYOUT.byteOffset(groupElement("flags"));
    private static final long FFLAGS = LAYOUT.byteOffset(groupElement("fflags"));
    private static final long DATA = LAYOUT.byteOffset(groupElement("data"));
    private static final long UDATA = LAYOUT.byteOffset(groupElement("udata"));
    private static final long EXT = LAYOUT.byteOffset(groupElement("ext"));

    private final Arena ownedArena;
    private final MemorySegment segment;
    private final int capacity;

    private KEventList(Arena ownedArena, MemorySegment segment, int capacity) {
        this.ownedArena = ownedArena;
        this.segment = segment;
        this.capacity = capacity;
    }

    /**
     * A zeroed list that owns its native memory until {@link #close()}.
     *
     * @param capacity number of records, at least 0
     * @return the list
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static KEventList allocate(int capacity) {
        checkCapacity(capacity);
        Arena arena = Arena.ofShared();
        return new KEventList(arena, arena.allocate(LAYOUT, Math.max(1, capacity)), capacity);
    }

    /**
     * A zeroed list in the caller's arena.
     *
     * @param arena the arena that owns the memory
     * @param capacity number of records, at least 0
     * @return the list
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static KEventList allocate(Arena arena, int capacity) {
        checkCapacity(capacity);
        return new KEventList(null, arena.allocate(LAYOUT, Math.max(1, capacity)), capacity);
    }

    private static void checkCapacity(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("negative capacity " + capacity);
        }
    }

    /**
     * The number of records.
     *
     * @return the capacity given at allocation
     */
    public int capacity() {
        return capacity;
    }

    /**
     * The native memory: {@code capacity()} records of {@link #RECORD_SIZE} bytes.
     *
     * @return the segment
     */
    public MemorySegment segment() {
        return capacity == 0 ? segment.asSlice(0, 0) : segment;
    }

    /**
     * Writes one record; {@code ext} is set to zeros.
     *
     * @param index  the record
     * @param ident  identifier
     * @param filter {@code EVFILT_*}
     * @param flags  {@code EV_*} (low 16 bits used)
     * @param fflags {@code NOTE_*}
     * @param data   filter data
     * @param udata  user data
     * @return this list
     * @throws IndexOutOfBoundsException if {@code index} is outside the list
     */
    public KEventList set(int index, long ident, short filter, int flags, int fflags, long data, long udata) {
        long base = base(index);
        segment.set(ValueLayout.JAVA_LONG, base + IDENT, ident);
        segment.set(ValueLayout.JAVA_SHORT, base + FILTER, filter);
        segment.set(ValueLayout.JAVA_SHORT, base + FLAGS, (short) flags);
        segment.set(ValueLayout.JAVA_INT, base + FFLAGS, fflags);
        segment.set(ValueLayout.JAVA_LONG, base + DATA, data);
        segment.set(ValueLayout.JAVA_LONG, base + UDATA, udata);
        for (int slot = 0; slot < 4; slot++) {
            segment.set(ValueLayout.JAVA_LONG, base + EXT + 8L * slot, 0L);
        }
        return this;
    }

    /**
     * Writes one record from a {@link KEvent}; {@code ext} is set to zeros.
     *
     * @param index the record
     * @param event the values
     * @return this list
     */
    public KEventList set(int index, KEvent event) {
        return set(index, event.ident(), event.filter(), event.flags(), event.fflags(), event.data(), event.udata());
    }

    /**
     * Reads one record into a new {@link KEvent} (allocates; use the field getters in loops).
     *
     * @param index the record
     * @return its values
     */
    public KEvent get(int index) {
        return new KEvent(ident(index), filter(index), flags(index), fflags(index), data(index), udata(index));
    }

    /**
     * The {@code ident} of record {@code index}: a descriptor, signal, pid, or any 64-bit value for timers and user events.
     *
     * @param index the record
     * @return its ident
     */
    public long ident(int index) {
        return segment.get(ValueLayout.JAVA_LONG, base(index) + IDENT);
    }

    /**
     * The {@code filter} of record {@code index} ({@code EVFILT_*}).
     *
     * @param index the record
     * @return its filter
     */
    public short filter(int index) {
        return segment.get(ValueLayout.JAVA_SHORT, base(index) + FILTER);
    }

    /**
     * The {@code flags} of record {@code index} ({@code EV_*}).
     *
     * @param index the record
     * @return its flags, unsigned
     */
    public int flags(int index) {
        return Short.toUnsignedInt(segment.get(ValueLayout.JAVA_SHORT, base(index) + FLAGS));
    }

    /**
     * The {@code fflags} of record {@code index} (the filter's {@code NOTE_*} bits).
     *
     * @param index the record
     * @return its fflags (all 32 bits)
     */
    public int fflags(int index) {
        return segment.get(ValueLayout.JAVA_INT, base(index) + FFLAGS);
    }

    /**
     * The {@code data} of record {@code index} (its meaning depends on the filter).
     *
     * @param index the record
     * @return its data
     */
    public long data(int index) {
        return segment.get(ValueLayout.JAVA_LONG, base(index) + DATA);
    }

    /**
     * The {@code udata} of record {@code index}: the caller's value, returned unchanged.
     *
     * @param index the record
     * @return its udata
     */
    public long udata(int index) {
        return segment.get(ValueLayout.JAVA_LONG, base(index) + UDATA);
    }

    /**
     * Reads {@code ext[slot]}.
     *
     * @param index the record
     * @param slot 0 to 3
     * @return the value
     */
    public long ext(int index, int slot) {
        return segment.get(ValueLayout.JAVA_LONG, base(index) + EXT + 8L * checkSlot(slot));
    }

    /**
     * Writes {@code ext[slot]}.
     *
     * @param index the record
     * @param slot 0 to 3
     * @param value the value
     * @return this list
     */
    public KEventList ext(int index, int slot, long value) {
        segment.set(ValueLayout.JAVA_LONG, base(index) + EXT + 8L * checkSlot(slot), value);
        return this;
    }

    /** Frees the memory of a list made by {@link #allocate(int)}; idempotent. */
    @Override
    public void close() {
        if (ownedArena != null && ownedArena.scope().isAlive()) {
            ownedArena.close();
        }
    }

    private long base(int index) {
        if (index < 0 || index >= capacity) {
            throw new IndexOutOfBoundsException("index " + index + " outside a list of " + capacity);
        }
        return index * RECORD_SIZE;
    }

    private static int checkSlot(int slot) {
        if (slot < 0 || slot > 3) {
            throw new IndexOutOfBoundsException("ext slot " + slot + " (0 to 3)");
        }
        return slot;
    }
}
