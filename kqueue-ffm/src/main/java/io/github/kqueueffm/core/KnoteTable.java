package io.github.kqueueffm.core;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The knotes of one kqueue keyed by (ident, filter), without boxing: descriptor knotes live in an
 * array indexed by descriptor number (FreeBSD's {@code kq_knlist}), one slot per filter; the rest
 * (timers, user events, signals, pids) in an open-addressing table with linear probing
 * ({@code kq_knhash}). Each hash slot's key hash is kept beside it in an {@code int[]}, so
 * probing past other keys, deleting and rehashing compare ints instead of reading knotes (a cache
 * miss each in a large table). Guarded by the kqueue's lock.
 */
final class KnoteTable {
    /** Filters are −1 … −MAX_FILTERS. */
    static final int MAX_FILTERS = 16;

    private Knote[][] byFd = new Knote[64][];
    private Knote[] hash = new Knote[64];
    /** {@code mix(ident, filter)} of the knote in the same slot of {@link #hash}. */
    private int[] hashes = new int[64];
    private int hashCount;
    private int count;
    /**
     * Where the last {@link #find} of a hashed key that missed stopped (the empty slot that ends
     * its probe run) and the key's hash, so that {@link #insert} of that key right after needs no
     * second probe; −1 once the table changes.
     */
    private int missSlot = -1;
    private int missHash;
    private long missIdent;
    private short missFilter;

    int size() {
        return count;
    }

    Knote find(long ident, short filter, boolean isFd) {
        if (isFd) {
            if (ident < 0 || ident >= byFd.length) {
                return null;
            }
            Knote[] slots = byFd[(int) ident];
            return slots == null ? null : slots[slot(filter)];
        }
        int mask = hash.length - 1;
        int h = mix(ident, filter);
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Knote kn = hash[i];
            if (kn == null) {
                missSlot = i;
                missHash = h;
                missIdent = ident;
                missFilter = filter;
                return null;
            }
            if (hashes[i] == h && kn.ident == ident && kn.filter == filter) {
                return kn;
            }
        }
    }

    void insert(Knote kn, boolean isFd) {
        count++;
        if (isFd) {
            int fd = (int) kn.ident;
            if (fd >= byFd.length) {
                byFd = Arrays.copyOf(byFd, Math.max(fd + 1, byFd.length * 2));
            }
            if (byFd[fd] == null) {
                byFd[fd] = new Knote[MAX_FILTERS];
            }
            byFd[fd][slot(kn.filter)] = kn;
            return;
        }
        int slot = missSlot;
        missSlot = -1;
        if ((hashCount + 1) * 2 > hash.length) {
            rehash(hash.length * 2);
            slot = -1;
        }
        if (slot >= 0 && missIdent == kn.ident && missFilter == kn.filter) {
            assert hash[slot] == null;
            hash[slot] = kn;
            hashes[slot] = missHash;
        } else {
            put(kn, mix(kn.ident, kn.filter));
        }
        hashCount++;
    }

    void remove(Knote kn, boolean isFd) {
        if (isFd) {
            int fd = (int) kn.ident;
            Knote[] slots = fd < byFd.length ? byFd[fd] : null; // a knote never inserted: nothing to do
            if (slots != null && slots[slot(kn.filter)] == kn) {
                slots[slot(kn.filter)] = null;
                count--;
            }
            return;
        }
        int mask = hash.length - 1;
        int i = mix(kn.ident, kn.filter) & mask;
        while (hash[i] != kn) {
            if (hash[i] == null) {
                return;
            }
            i = (i + 1) & mask;
        }
        hash[i] = null;
        missSlot = -1;
        hashCount--;
        count--;
        // Backward-shift deletion keeps every probe chain unbroken.
        for (int j = (i + 1) & mask; hash[j] != null; j = (j + 1) & mask) {
            int home = hashes[j] & mask;
            boolean between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!between) {
                hash[i] = hash[j];
                hashes[i] = hashes[j];
                hash[j] = null;
                i = j;
            }
        }
    }

    /** The descriptor knotes of one descriptor number (filter slots, possibly null), or null. */
    Knote[] onDescriptor(int fd) {
        return fd >= 0 && fd < byFd.length ? byFd[fd] : null;
    }

    void forEach(Consumer<Knote> action) {
        for (Knote[] slots : byFd) {
            if (slots != null) {
                for (Knote kn : slots) {
                    if (kn != null) {
                        action.accept(kn);
                    }
                }
            }
        }
        for (Knote kn : hash) {
            if (kn != null) {
                action.accept(kn);
            }
        }
    }

    private void rehash(int capacity) {
        Knote[] old = hash;
        int[] oldHashes = hashes;
        hash = new Knote[capacity];
        hashes = new int[capacity];
        for (int i = 0; i < old.length; i++) {
            if (old[i] != null) {
                put(old[i], oldHashes[i]);
            }
        }
    }

    private void put(Knote kn, int h) {
        int mask = hash.length - 1;
        int i = h & mask;
        while (hash[i] != null) {
            i = (i + 1) & mask;
        }
        hash[i] = kn;
        hashes[i] = h;
    }

    private static int slot(short filter) {
        return -filter - 1;
    }

    /**
     * The key's hash: idents that differ only in their low 4 bits (16 consecutive numbers, as
     * timers and user events are often numbered) get consecutive slots, and each such block is
     * spread by a multiplicative hash. Registering numbered knotes then writes nearby slots: no
     * cache miss per insert, and few dirtied cards for the young collections to scan when the
     * table is an old array pointing to new knotes (W3: 100 000 timers, GC time 9.5 to 6 ms).
     * Numbered keys form longer probe runs than fully spread ones; the stored hashes keep a
     * probe to an int comparison per slot.
     */
    private static int mix(long ident, short filter) {
        long h = ((ident >>> 4) ^ ((long) filter << 48)) * 0x9E3779B97F4A7C15L;
        return ((int) (h ^ (h >>> 32)) << 4) | (int) (ident & 15);
    }
}
