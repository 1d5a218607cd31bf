package io.github.kqueueffm.emul;

import io.github.kqueueffm.core.HugePages;
import io.github.kqueueffm.core.NativeMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CompactTimers} against a HashMap: timers added (numbered in blocks, as W3 numbers them,
 * and at random, negative idents included), found, removed anywhere and taken from the top in a
 * fixed-seed random order, through several index growths and record pages. After every step
 * the top's deadline is the model's earliest and the store holds at most two pages beyond what its
 * records fill (emptied, one); every few steps each live timer is found with all
 * its fields, and idents never added or already removed are not found. Deadlines start just
 * below {@code Long.MAX_VALUE}, so they overflow as nanoTime values may. The same run, with
 * memory that has huge pages of two record pages each, checks pages carved from huge pages: a
 * huge page is held at most until the first of its pages is given back, and close returns them all.
 */
class CompactTimersModelTest {
    private static final long BASE = Long.MAX_VALUE - (1L << 24);
    private static final int STEPS = 200_000;
    /** 4 096 records of 40 bytes. */
    private static final long PAGE_BYTES = 4096 * 40;

    private record Timer(long ident, long udata, long sdata, int flags, int sfflags, long deadline) {
    }

    /** Huge pages of two record pages, in arenas (the store asks only for their size and blocks). */
    private static final class ArenaHugePages implements HugePages {
        final Map<Long, Arena> mapped = new HashMap<>();
        int maps;

        @Override
        public long pageSize() {
            return 2 * PAGE_BYTES;
        }

        @Override
        public MemorySegment map(long size) {
            Arena arena = Arena.ofShared();
            MemorySegment block = arena.allocate(size, 4096);
            mapped.put(block.address(), arena);
            maps++;
            return block;
        }

        @Override
        public void unmap(MemorySegment block) {
            mapped.remove(block.address()).close();
        }
    }

    private final ArenaHugePages hugePages = new ArenaHugePages();
    private NativeMemory memory;
    private CompactTimers timers;
    private final Map<Long, Timer> model = new HashMap<>();
    private final List<Long> live = new ArrayList<>();
    /** The live timers' deadlines (less BASE, so they sort) and how many have each. */
    private final TreeMap<Long, Integer> deadlines = new TreeMap<>();
    private final Random random = new Random(7);
    private long nextNumbered;

    @AfterEach
    void freeMemory() {
        memory.close();
    }

    @Test
    void agreesWithAHashMap() {
        memory = new NativeMemory();
        timers = new CompactTimers(memory);
        run(0);
    }

    @Test
    void agreesWithAHashMapWithPagesCarvedFromHugePages() {
        memory = new NativeMemory(hugePages);
        timers = new CompactTimers(memory);
        run(hugePages.pageSize() - PAGE_BYTES);
        assertTrue(hugePages.maps >= 3, "several huge pages were mapped: " + hugePages.maps);
        memory.close();
        assertEquals(Map.of(), hugePages.mapped, "close unmaps every huge page");
    }

    /** The random run; {@code slack}: bytes a huge page may hold beyond its pages in use. */
    private void run(long slack) {
        int maxLive = 0;
        long maxBytes = 0;
        for (int step = 1; step <= STEPS; step++) {
            // grow to about 20 000 timers (five pages), shrink, grow again
            boolean growing = (step / 50_000) % 2 == 0;
            int dice = random.nextInt(10);
            if (live.isEmpty() || dice < (growing ? 7 : 3)) {
                add();
            } else if (dice < (growing ? 8 : 6)) {
                removeAt(live.get(random.nextInt(live.size())));
            } else {
                removeTop();
            }
            maxLive = Math.max(maxLive, live.size());
            maxBytes = Math.max(maxBytes, memory.bytes());
            assertTrue(memory.bytes() <= PAGE_BYTES * (live.size() / 4096 + 3) + slack, "step " + step
                    + ": at most two pages beyond the records' own: " + memory.bytes() + " for " + live.size());
            assertEquals(model.size(), timers.size(), "step " + step);
            if (!model.isEmpty()) {
                assertEquals(earliest() - BASE, timers.topDeadline() - BASE, "step " + step);
            }
            if (step % 5_000 == 0) {
                assertEveryTimerFound(step);
            }
        }
        assertTrue(maxLive > 3 * 4096, "the run should fill several pages: " + maxLive);
        assertTrue(maxBytes >= 4 * PAGE_BYTES, "pages were allocated: " + maxBytes);
        while (!live.isEmpty()) {
            removeTop();
        }
        assertEquals(PAGE_BYTES, memory.bytes(), "emptied, the store keeps one page and gives the others back");
        timers.clear();
        assertEquals(0, timers.size());
        assertEquals(-1, timers.find(0), "cleared: nothing is found");
    }

    private void add() {
        long ident;
        do {
            ident = random.nextInt(4) == 0 ? random.nextLong() : nextNumbered++;
        } while (model.containsKey(ident));
        assertEquals(-1, timers.find(ident), "a new ident is not found");
        // a narrow range of deadlines, so many are equal
        Timer t = new Timer(ident, random.nextLong(), random.nextLong(), random.nextInt(1 << 16),
                random.nextInt(1 << 16), BASE + random.nextInt(1 << 14) * 1_000L);
        timers.add(t.ident, t.udata, t.sdata, t.flags, t.sfflags, t.deadline);
        model.put(ident, t);
        live.add(ident);
        deadlines.merge(t.deadline - BASE, 1, Integer::sum);
    }

    private void removeAt(long ident) {
        int position = timers.find(ident);
        assertTrue(position >= 0, "live timer " + ident + " found");
        assertSame(model.get(ident), position);
        timers.remove(position);
        forget(ident);
    }

    private void removeTop() {
        long ident = timers.ident(0);
        Timer t = model.get(ident);
        assertEquals(earliest(), t.deadline, "the top has the earliest deadline");
        assertSame(t, 0);
        timers.remove(0);
        forget(ident);
    }

    private void forget(long ident) {
        Timer t = model.remove(ident);
        deadlines.compute(t.deadline - BASE, (d, n) -> n == 1 ? null : n - 1);
        int i = live.indexOf(ident);
        live.set(i, live.get(live.size() - 1));
        live.remove(live.size() - 1);
        assertEquals(-1, timers.find(ident), "a removed ident is not found");
    }

    private void assertEveryTimerFound(int step) {
        for (Timer t : model.values()) {
            int position = timers.find(t.ident);
            assertTrue(position >= 0, "step " + step + ": " + t.ident + " found");
            assertSame(t, position);
        }
        for (int i = 0; i < 100; i++) {
            long absent = random.nextLong();
            if (!model.containsKey(absent)) {
                assertEquals(-1, timers.find(absent), "step " + step + ": " + absent + " was never added");
            }
        }
    }

    private void assertSame(Timer t, int position) {
        assertEquals(t.ident, timers.ident(position));
        assertEquals(t.udata, timers.udata(position));
        assertEquals(t.sdata, timers.sdata(position));
        assertEquals(t.flags, timers.flags(position));
        assertEquals(t.sfflags, timers.sfflags(position));
        assertEquals(t.deadline, timers.deadline(position));
    }

    private long earliest() {
        return deadlines.firstKey() + BASE;
    }
}
