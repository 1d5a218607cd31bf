package io.github.kqueueffm.emul;

import io.github.kqueueffm.core.Knote;

import java.util.Arrays;

/**
 * A 4-ary min-heap of timer knotes ordered by deadline (CLOCK_MONOTONIC nanoseconds, compared by
 * difference so the order holds across overflow). The deadlines live in a {@code long[]} beside
 * the knotes, so sifting compares array elements instead of following a pointer per level, and a
 * timer costs no object of its own; each knote's position is kept in its {@link Knote#hookid}
 * (position + 1, 0 when not in the heap) so removal and re-keying are O(log n). Four children a
 * node halve the levels a new timer climbs, and each level climbed writes the position into a
 * knote that moved (a cache miss with 100 000 timers). Guarded by the kqueue's lock.
 */
final class TimerHeap {
    private long[] deadlines = new long[16];
    private Knote[] knotes = new Knote[16];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    /** @return the timer with the earliest deadline, or null */
    Knote top() {
        return size == 0 ? null : knotes[0];
    }

    /** @return the earliest deadline; the heap is not empty */
    long topDeadline() {
        assert size > 0;
        return deadlines[0];
    }

    /** @return whether the timer is in the heap */
    boolean contains(Knote kn) {
        return kn.hookid != 0;
    }

    /** @return the deadline of a timer in the heap */
    long deadline(Knote kn) {
        assert contains(kn) : kn;
        return deadlines[kn.hookid - 1];
    }

    /** Adds a timer that is not in the heap. */
    void add(Knote kn, long deadline) {
        assert !contains(kn) : kn;
        if (size == knotes.length) {
            knotes = Arrays.copyOf(knotes, size * 2);
            deadlines = Arrays.copyOf(deadlines, size * 2);
        }
        size++;
        up(size - 1, kn, deadline);
    }

    /** Removes a timer; one not in the heap is left alone. */
    void remove(Knote kn) {
        int i = kn.hookid - 1;
        if (i < 0) {
            return;
        }
        kn.hookid = 0;
        size--;
        Knote last = knotes[size];
        long lastDeadline = deadlines[size];
        knotes[size] = null;
        if (i != size) {
            // the last one fills the hole, then moves down or up to its place
            if (i > 0 && deadlines[(i - 1) >>> 2] - lastDeadline > 0) {
                up(i, last, lastDeadline);
            } else {
                down(i, last, lastDeadline);
            }
        }
    }

    /** Removes the top; the heap is not empty. */
    Knote pop() {
        Knote top = knotes[0];
        remove(top);
        return top;
    }

    /** Removes every timer. */
    void clear() {
        for (int i = 0; i < size; i++) {
            knotes[i].hookid = 0;
            knotes[i] = null;
        }
        size = 0;
    }

    /** Gives the top a later deadline and restores the order (a periodic timer's next period). */
    void rekeyTop(long deadline) {
        assert size > 0 && deadline - deadlines[0] >= 0;
        down(0, knotes[0], deadline);
    }

    /** Places {@code kn} at hole {@code i} or above it. */
    private void up(int i, Knote kn, long deadline) {
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            if (deadlines[parent] - deadline <= 0) {
                break;
            }
            place(i, knotes[parent], deadlines[parent]);
            i = parent;
        }
        place(i, kn, deadline);
    }

    /** Places {@code kn} at hole {@code i} or below it. */
    private void down(int i, Knote kn, long deadline) {
        while (true) {
            int first = 4 * i + 1;
            if (first >= size) {
                break;
            }
            int child = first;
            long childDeadline = deadlines[first];
            int end = Math.min(first + 4, size);
            for (int c = first + 1; c < end; c++) {
                if (deadlines[c] - childDeadline < 0) {
                    child = c;
                    childDeadline = deadlines[c];
                }
            }
            if (deadline - childDeadline <= 0) {
                break;
            }
            place(i, knotes[child], childDeadline);
            i = child;
        }
        place(i, kn, deadline);
    }

    private void place(int i, Knote kn, long deadline) {
        knotes[i] = kn;
        deadlines[i] = deadline;
        kn.hookid = i + 1;
    }
}
