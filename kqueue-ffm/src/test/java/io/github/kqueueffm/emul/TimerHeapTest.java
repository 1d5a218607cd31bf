package io.github.kqueueffm.emul;

import io.github.kqueueffm.core.Knote;
import io.github.kqueueffm.core.TestKnotes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TimerHeap}: timer knotes ordered by deadline, removable and re-keyable anywhere. */
class TimerHeapTest {
    private final TimerHeap heap = new TimerHeap();
    /** Each test timer's deadline, as TimerFilter computes it before adding the timer. */
    private final Map<Knote, Long> deadlines = new HashMap<>();

    @Test
    void anEmptyHeapHasNoTop() {
        assertNull(heap.top());
    }

    @Test
    void timersExpireInDeadlineOrder() {
        long[] deadlines = {50, 10, 40, 30, 20, 70, 60, 5, 90, 80, 100, 15, 25, 35, 45, 55, 65};
        for (int i = 0; i < deadlines.length; i++) {
            add(timer(i, deadlines[i]));
        }
        assertEquals(List.of(5L, 10L, 15L, 20L, 25L, 30L, 35L, 40L, 45L, 50L, 55L, 60L, 65L, 70L, 80L, 90L, 100L),
                drainDeadlines());
        assertNull(heap.top());
    }

    @Test
    void removeFromTheMiddle() {
        Knote[] knotes = new Knote[31];
        for (int i = 0; i < knotes.length; i++) {
            knotes[i] = timer(i, (i * 17L) % 31); // deadlines 0..30, shuffled
            add(knotes[i]);
        }
        Set<Long> removed = new HashSet<>();
        for (int i : new int[] {7, 3, 12, 30, 19}) {
            heap.remove(knotes[i]);
            removed.add(deadline(knotes[i]));
        }
        List<Long> expected = new ArrayList<>();
        for (long t = 0; t < 31; t++) {
            if (!removed.contains(t)) {
                expected.add(t);
            }
        }
        assertEquals(expected, drainDeadlines());
    }

    @Test
    void removeTheTopAndTheLast() {
        Knote first = timer(1, 10);
        Knote second = timer(2, 20);
        Knote last = timer(3, 30);
        add(first);
        add(second);
        add(last);
        heap.remove(first);
        assertSame(second, heap.top());
        heap.remove(last);
        assertSame(second, heap.top());
        heap.remove(second);
        assertNull(heap.top());
    }

    @Test
    void removingATimerNotInTheHeapChangesNothing() {
        Knote in = timer(1, 10);
        Knote neverAdded = timer(2, 5);
        Knote removedBefore = timer(3, 1);
        add(in);
        add(removedBefore);
        heap.remove(removedBefore);

        heap.remove(neverAdded);
        heap.remove(removedBefore);
        assertSame(in, heap.top());
        heap.remove(in);
        assertNull(heap.top());
    }

    /** TimerFilter's re-registration: remove, set the new deadline, add. */
    @Test
    void aRescheduledTimerMovesToItsNewPlace() {
        Knote[] knotes = new Knote[10];
        for (int i = 0; i < knotes.length; i++) {
            knotes[i] = timer(i, 100 + 10L * i);
            add(knotes[i]);
        }
        reschedule(knotes[5], 1); // later to earliest
        assertSame(knotes[5], heap.top());
        reschedule(knotes[5], 1_000); // earliest to latest
        reschedule(knotes[0], 145); // top to the middle
        assertEquals(List.of(110L, 120L, 130L, 140L, 145L, 160L, 170L, 180L, 190L, 1_000L), drainDeadlines());
    }

    /** TimerFilter's periodic expiry: the top's deadline grows by its period in place. */
    @Test
    void theTopMovesDownWhenItsDeadlineGrows() {
        Knote periodic = timer(1, 10);
        add(periodic);
        add(timer(2, 25));
        add(timer(3, 35));
        add(timer(4, 15));
        List<String> expiries = new ArrayList<>();
        while (expiries.size() < 8) {
            Knote top = heap.top();
            expiries.add(top.ident + "@" + deadline(top));
            if (top == periodic) {
                heap.rekeyTop(heap.topDeadline() + 10);
                deadlines.put(top, heap.deadline(top));
            } else {
                heap.remove(top);
            }
        }
        assertEquals(List.of("1@10", "4@15", "1@20", "2@25", "1@30", "3@35", "1@40", "1@50"), expiries);
    }

    @Test
    void equalDeadlinesAllExpireOnce() {
        List<Knote> at100 = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Knote kn = timer(i, i % 3 == 0 ? 50 : 100);
            add(kn);
            if (i % 3 != 0) {
                at100.add(kn);
            }
        }
        heap.remove(at100.remove(2));
        Set<Knote> seen = new HashSet<>();
        List<Long> order = new ArrayList<>();
        for (Knote top = heap.top(); top != null; top = heap.top()) {
            heap.remove(top);
            order.add(deadline(top));
            assertTrue(seen.add(top), "expired twice: " + top);
        }
        assertEquals(List.of(50L, 50L, 50L, 100L, 100L, 100L, 100L, 100L), order);
        assertTrue(seen.containsAll(at100));
    }

    /** Deadlines are System.nanoTime() values, compared by difference: the order holds across overflow. */
    @Test
    void deadlinesCompareAcrossLongOverflow() {
        long near = Long.MAX_VALUE - 5;
        Knote beforeWrap = timer(1, near + 3);
        Knote afterWrap = timer(2, near + 10); // negative as a long
        Knote earliest = timer(3, near - 3);
        add(afterWrap);
        add(beforeWrap);
        add(earliest);
        assertEquals(List.of(near - 3, near + 3, near + 10), drainDeadlines());
    }

    @Test
    void aRemovedTimerCanBeAddedAgain() {
        Knote kn = timer(1, 10);
        add(kn);
        add(timer(2, 20));
        heap.remove(kn);
        deadlines.put(kn, 30L);
        add(kn);
        assertEquals(List.of(20L, 30L), drainDeadlines());
    }

    @Test
    void clearEmptiesTheHeapAndForgetsEveryPosition() {
        Knote[] knotes = new Knote[20];
        for (int i = 0; i < knotes.length; i++) {
            knotes[i] = timer(i, 100 - i);
            add(knotes[i]);
        }
        heap.clear();
        assertTrue(heap.isEmpty());
        assertNull(heap.top());
        for (Knote kn : knotes) {
            assertFalse(heap.contains(kn));
        }
        add(knotes[3]);
        assertSame(knotes[3], heap.top());
    }

    /** A timer knote and the deadline it will be added with. */
    private Knote timer(long ident, long deadline) {
        Knote kn = TestKnotes.knote(ident, EVFILT_TIMER, false);
        deadlines.put(kn, deadline);
        return kn;
    }

    private void add(Knote kn) {
        heap.add(kn, deadlines.get(kn));
        assertEquals(deadlines.get(kn), heap.deadline(kn));
    }

    private long deadline(Knote kn) {
        return deadlines.get(kn);
    }

    private void reschedule(Knote kn, long deadline) {
        heap.remove(kn);
        deadlines.put(kn, deadline);
        add(kn);
    }

    private List<Long> drainDeadlines() {
        List<Long> out = new ArrayList<>();
        for (Knote top = heap.top(); top != null; top = heap.top()) {
            heap.remove(top);
            out.add(deadline(top));
        }
        return out;
    }
}
