package io.github.kqueueffm.emul;

import io.github.kqueueffm.core.NativeMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * EVFILT_TIMER knotes in compact form: a timer registered and not yet expired, changed or deleted
 * has no {@code Knote}, only a 40-byte record in the kqueue's native memory. The records form a
 * 4-ary min-heap by deadline (a record's number is its heap position), and an int index finds a
 * record by ident; each index entry carries 8 bits of another hash of the ident, so a probe reads
 * a record (a cache miss in a large kqueue) only for an entry that is likely its own.
 *
 * <p>Why native memory: on a Java heap that grows with the timers, an object per timer costs its
 * bytes several times (zeroed, copied when a young collection promotes it, scanned again); native
 * pages cost them once, and are never copied as the store grows. A page is given back when the
 * timers shrink two pages below it, so a burst of timers does not hold its memory for the
 * kqueue's life. Past its first two pages a large store takes its pages from huge pages where the
 * OS has them ({@link NativeMemory#hugePageSize()}: 12 pages in each 2 MB), so that filling it
 * costs a page fault per 2 MB instead of per 4 KB; such a huge page is given back with the first
 * of its pages.
 *
 * <p>Record layout: deadline, ident, udata, sdata (8 bytes each), the knote's flags with its
 * sfflags in the upper 16 bits, and the record's slot in the index. Guarded by the kqueue's lock.
 */
final class CompactTimers {
    private static final int PAGE_SHIFT = 12;
    private static final int PAGE_MASK = (1 << PAGE_SHIFT) - 1;
    private static final long RECORD = 40;
    private static final long PAGE_BYTES = (PAGE_MASK + 1) * RECORD;
    /** Pages allocated on their own before pages come from huge pages: a small store holds no huge page. */
    private static final int SMALL_PAGES = 2;
    private static final long DEADLINE = 0;
    private static final long IDENT = 8;
    private static final long UDATA = 16;
    private static final long SDATA = 24;
    private static final long FLAGS = 32;
    private static final long SLOT = 36;
    /** An index entry: the ident's 8-bit tag, then the record's position + 1 (0: an empty slot). */
    private static final int POSITION_BITS = 24;
    private static final int POSITION_MASK = (1 << POSITION_BITS) - 1;
    /** Timers a kqueue keeps compact at most; more become knotes. */
    static final int MAX = POSITION_MASK - 1;

    private final NativeMemory memory;
    /** Pages in a huge page, or 0 if every page is allocated on its own. */
    private final int pagesPerHugePage;
    private MemorySegment[] hugePages = new MemorySegment[1];
    private MemorySegment[] pages = new MemorySegment[4];
    private int pageCount;
    private int size;
    /**
     * Index slot → tag and heap position + 1, 0 when empty; linear probing, at most half full. It
     * grows fourfold: a third of the rehashing doubling would do (with 100 000 timers, 44 000
     * entries moved instead of 131 000, each a cache miss), for at most 32 bytes a timer.
     */
    private int[] index = new int[64];
    /** Where the last {@link #find} that missed stopped, for the {@link #add} of that ident after it. */
    private int missSlot = -1;
    private long missIdent;

    /** @param memory the kqueue's native memory, which the pages live in until it closes */
    CompactTimers(NativeMemory memory) {
        this.memory = memory;
        long huge = memory.hugePageSize();
        this.pagesPerHugePage = huge >= 2 * PAGE_BYTES ? (int) (huge / PAGE_BYTES) : 0;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** @return the earliest deadline; not empty */
    long topDeadline() {
        assert size > 0;
        return deadline(0);
    }

    /**
     * Finds a timer by ident.
     *
     * @return its position, or −1
     */
    int find(long ident) {
        int mask = index.length - 1;
        int tag = tag(ident);
        for (int i = mix(ident) & mask; ; i = (i + 1) & mask) {
            int entry = index[i];
            if (entry == 0) {
                missSlot = i;
                missIdent = ident;
                return -1;
            }
            if ((entry & ~POSITION_MASK) == tag && ident((entry & POSITION_MASK) - 1) == ident) {
                return (entry & POSITION_MASK) - 1;
            }
        }
    }

    /** Adds a timer whose ident is not here. */
    void add(long ident, long udata, long sdata, int flags, int sfflags, long deadline) {
        assert (flags & ~0xFFFF) == 0 && (sfflags & ~0xFFFF) == 0 : flags + " " + sfflags;
        assert size < MAX;
        if (size == pageCount << PAGE_SHIFT) {
            addPage();
        }
        int slot = missSlot;
        missSlot = -1;
        if ((size + 1) * 2 > index.length) {
            reindex(index.length * 4);
            slot = -1;
        }
        if (slot < 0 || missIdent != ident) {
            slot = freeSlot(ident);
        }
        assert index[slot] == 0;
        int position = up(size++, deadline);
        write(position, deadline, ident, udata, sdata, flags | sfflags << 16, slot);
        index[slot] = tag(ident) | (position + 1);
    }

    long deadline(int position) {
        return page(position).get(ValueLayout.JAVA_LONG, offset(position) + DEADLINE);
    }

    long ident(int position) {
        return page(position).get(ValueLayout.JAVA_LONG, offset(position) + IDENT);
    }

    long udata(int position) {
        return page(position).get(ValueLayout.JAVA_LONG, offset(position) + UDATA);
    }

    long sdata(int position) {
        return page(position).get(ValueLayout.JAVA_LONG, offset(position) + SDATA);
    }

    int flags(int position) {
        return page(position).get(ValueLayout.JAVA_INT, offset(position) + FLAGS) & 0xFFFF;
    }

    int sfflags(int position) {
        return page(position).get(ValueLayout.JAVA_INT, offset(position) + FLAGS) >>> 16;
    }

    /** Removes the timer at a position; the last record fills the hole and moves to its place. */
    void remove(int position) {
        assert position >= 0 && position < size;
        missSlot = -1;
        unindex(slot(position));
        int last = --size;
        if (position == last) {
            releaseSparePage();
            return;
        }
        MemorySegment page = page(last);
        long at = offset(last);
        long deadline = page.get(ValueLayout.JAVA_LONG, at + DEADLINE);
        long ident = page.get(ValueLayout.JAVA_LONG, at + IDENT);
        long udata = page.get(ValueLayout.JAVA_LONG, at + UDATA);
        long sdata = page.get(ValueLayout.JAVA_LONG, at + SDATA);
        int flags = page.get(ValueLayout.JAVA_INT, at + FLAGS);
        int slot = page.get(ValueLayout.JAVA_INT, at + SLOT);
        int hole = position > 0 && deadline((position - 1) >>> 2) - deadline > 0
                ? up(position, deadline) : down(position, deadline);
        write(hole, deadline, ident, udata, sdata, flags, slot);
        point(hole);
        releaseSparePage();
    }

    /** Frees the last page once the records end two pages below it (one spare page stays). */
    private void releaseSparePage() {
        if (pageCount >= 2 && size <= (pageCount - 2) << PAGE_SHIFT) {
            freePage(--pageCount);
            pages[pageCount] = null;
        }
    }

    /** Forgets every timer (the pages stay, for the memory's owner to free when it closes). */
    void clear() {
        size = 0;
        missSlot = -1;
        Arrays.fill(index, 0);
    }

    // ---------------------------------------------------------------- heap

    /** Moves the hole at {@code hole} up to where a record due at {@code deadline} belongs; returns it. */
    private int up(int hole, long deadline) {
        int i = hole;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            if (deadline(parent) - deadline <= 0) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        return i;
    }

    /** Moves the hole at {@code hole} down to where a record due at {@code deadline} belongs; returns it. */
    private int down(int hole, long deadline) {
        int i = hole;
        while (true) {
            int first = 4 * i + 1;
            if (first >= size) {
                return i;
            }
            int child = first;
            long childDeadline = deadline(first);
            int end = Math.min(first + 4, size);
            for (int c = first + 1; c < end; c++) {
                long d = deadline(c);
                if (d - childDeadline < 0) {
                    child = c;
                    childDeadline = d;
                }
            }
            if (deadline - childDeadline <= 0) {
                return i;
            }
            move(child, i);
            i = child;
        }
    }

    private void write(int position, long deadline, long ident, long udata, long sdata, int flags, int slot) {
        MemorySegment page = page(position);
        long at = offset(position);
        page.set(ValueLayout.JAVA_LONG, at + DEADLINE, deadline);
        page.set(ValueLayout.JAVA_LONG, at + IDENT, ident);
        page.set(ValueLayout.JAVA_LONG, at + UDATA, udata);
        page.set(ValueLayout.JAVA_LONG, at + SDATA, sdata);
        page.set(ValueLayout.JAVA_INT, at + FLAGS, flags);
        page.set(ValueLayout.JAVA_INT, at + SLOT, slot);
    }

    private void move(int from, int to) {
        MemorySegment.copy(page(from), offset(from), page(to), offset(to), RECORD);
        point(to);
    }

    /** Points the record's index entry at its position. */
    private void point(int position) {
        int slot = slot(position);
        index[slot] = (index[slot] & ~POSITION_MASK) | (position + 1);
    }

    private int slot(int position) {
        return page(position).get(ValueLayout.JAVA_INT, offset(position) + SLOT);
    }

    private MemorySegment page(int position) {
        return pages[position >>> PAGE_SHIFT];
    }

    private static long offset(int position) {
        return (position & PAGE_MASK) * RECORD;
    }

    private void addPage() {
        if (pageCount == pages.length) {
            pages = Arrays.copyOf(pages, pageCount * 2);
        }
        pages[pageCount] = newPage(pageCount);
        pageCount++;
    }

    /** Page {@code page}: allocated on its own, or the next part of a huge page. */
    private MemorySegment newPage(int page) {
        int inHuge = page - SMALL_PAGES;
        if (pagesPerHugePage == 0 || inHuge < 0) {
            return memory.allocateFreeable(PAGE_BYTES, 8);
        }
        int huge = inHuge / pagesPerHugePage;
        if (inHuge % pagesPerHugePage == 0) {
            if (huge == hugePages.length) {
                hugePages = Arrays.copyOf(hugePages, huge * 2);
            }
            hugePages[huge] = memory.allocateFreeable(memory.hugePageSize(), 8);
        }
        return hugePages[huge].asSlice((long) (inHuge % pagesPerHugePage) * PAGE_BYTES, PAGE_BYTES);
    }

    /** Gives back page {@code page}, the last; a huge page goes with the first of its pages. */
    private void freePage(int page) {
        int inHuge = page - SMALL_PAGES;
        if (pagesPerHugePage == 0 || inHuge < 0) {
            memory.free(pages[page]);
        } else if (inHuge % pagesPerHugePage == 0) {
            memory.free(hugePages[inHuge / pagesPerHugePage]);
            hugePages[inHuge / pagesPerHugePage] = null;
        }
    }

    // ---------------------------------------------------------------- index

    private int freeSlot(long ident) {
        int mask = index.length - 1;
        int i = mix(ident) & mask;
        while (index[i] != 0) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void unindex(int slot) {
        int mask = index.length - 1;
        int i = slot;
        index[i] = 0;
        // Backward-shift deletion keeps every probe chain unbroken.
        for (int j = (i + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
            int position = (index[j] & POSITION_MASK) - 1;
            int home = mix(ident(position)) & mask;
            boolean between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!between) {
                index[i] = index[j];
                setSlot(position, i);
                index[j] = 0;
                i = j;
            }
        }
    }

    private void reindex(int capacity) {
        index = new int[capacity];
        for (int position = 0; position < size; position++) {
            long ident = ident(position);
            int slot = freeSlot(ident);
            index[slot] = tag(ident) | (position + 1);
            setSlot(position, slot);
        }
    }

    private void setSlot(int position, int slot) {
        page(position).set(ValueLayout.JAVA_INT, offset(position) + SLOT, slot);
    }

    /**
     * The ident's hash, as the knote table's: 16 consecutive idents get consecutive slots (timers
     * are often numbered), each such block spread by a multiplicative hash.
     */
    private static int mix(long ident) {
        long h = (ident >>> 4) * 0x9E3779B97F4A7C15L;
        return ((int) (h ^ (h >>> 32)) << 4) | (int) (ident & 15);
    }

    /** Eight bits of another hash of the ident, in an index entry's upper bits. */
    private static int tag(long ident) {
        return (int) ((ident * 0xC2B2AE3D27D4EB4FL) >>> 56) << POSITION_BITS;
    }
}
