package io.github.kqueueffm.emul;

import io.github.kqueueffm.core.Knote;
import io.github.kqueueffm.core.TestKnotes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TimerHeap} against a {@link PriorityQueue}: 100 000 timers added, removed, rescheduled and
 * expired (periodic ones re-keyed in place) in a fixed-seed random order, the heap's top checked
 * against the model's earliest deadline after every step. The model deletes lazily: an entry
 * whose version is no longer its timer's current one is skipped. Deadlines start just below
 * {@code Long.MAX_VALUE}, so they overflow as nanoTime values may.
 */
class TimerHeapModelTest {
    private static final int TIMERS = 100_000;
    private static final long BASE = Long.MAX_VALUE - (1L << 24);

    private record Entry(long deadline, int id, int version) {
    }

    private final TimerHeap heap = new TimerHeap();
    private final PriorityQueue<Entry> model = new PriorityQueue<>(
            Comparator.comparingLong((Entry e) -> e.deadline() - BASE).thenComparingInt(Entry::id));
    private final Knote[] knotes = new Knote[TIMERS];
    private final int[] version = new int[TIMERS];
    /** The ids of the timers in the heap, in any order, and each one's place in it. */
    private final int[] live = new int[TIMERS];
    private final int[] place = new int[TIMERS];
    private int liveCount;
    private int added;
    private long now = BASE;
    private final Random random = new Random(42);

    @Test
    void agreesWithAPriorityQueue() {
        int steps = 0;
        while (added < TIMERS) {
            int dice = random.nextInt(10);
            if (dice < 5 || liveCount == 0) {
                add();
            } else if (dice == 5) {
                remove(live[random.nextInt(liveCount)]);
            } else if (dice == 6) {
                reschedule(live[random.nextInt(liveCount)]);
            } else {
                expireTop();
            }
            assertTopAgrees(++steps);
        }
        long previous = Long.MIN_VALUE;
        int drained = 0;
        for (Knote top = heap.top(); top != null; top = heap.top()) {
            assertTopAgrees(++steps);
            long d = heap.deadline(top) - BASE;
            assertTrue(d >= previous, "step " + steps);
            previous = d;
            remove((int) top.ident);
            drained++;
        }
        assertEquals(0, liveCount);
        assertTrue(drained > 10_000, "the drain should start from a full heap: " + drained);
        assertNull(liveModelTop());
    }

    private void add() {
        int id = added++;
        // A narrow range of deadlines, so many are equal.
        knotes[id] = TestKnotes.knote(id, EVFILT_TIMER, false);
        heap.add(knotes[id], now + random.nextInt(1 << 14));
        model.add(new Entry(heap.deadline(knotes[id]), id, version[id]));
        place[id] = liveCount;
        live[liveCount++] = id;
    }

    private void remove(int id) {
        heap.remove(knotes[id]);
        version[id]++;
        int moved = live[--liveCount];
        live[place[id]] = moved;
        place[moved] = place[id];
    }

    private void reschedule(int id) {
        heap.remove(knotes[id]);
        heap.add(knotes[id], now + random.nextInt(1 << 14));
        model.add(new Entry(heap.deadline(knotes[id]), id, ++version[id]));
    }

    /** As TimerFilter.expire: odd ids are periodic and re-keyed in place, even ones leave. */
    private void expireTop() {
        Knote top = heap.top();
        int id = (int) top.ident;
        now = heap.deadline(top);
        if (id % 2 == 1) {
            heap.rekeyTop(heap.topDeadline() + 1 + random.nextInt(1 << 12));
            model.add(new Entry(heap.deadline(top), id, ++version[id]));
        } else {
            remove(id);
        }
    }

    private void assertTopAgrees(int step) {
        Entry expected = liveModelTop();
        Knote top = heap.top();
        if (expected == null) {
            assertNull(top, "step " + step);
            return;
        }
        assertNotNull(top, "step " + step);
        int id = (int) top.ident;
        // Among equal deadlines any may be on top; it must be in the heap with that deadline.
        assertEquals(expected.deadline(), heap.deadline(top), "step " + step);
        assertTrue(liveCount > place[id] && live[place[id]] == id, "step " + step + ": top was removed: " + top);
    }

    private Entry liveModelTop() {
        Entry e = model.peek();
        while (e != null && e.version() != version[e.id()]) {
            model.poll();
            e = model.peek();
        }
        return e;
    }
}
