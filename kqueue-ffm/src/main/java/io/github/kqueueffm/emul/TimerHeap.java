package io.github.kqueueffm.emul;

import io.github.kqueueffm.core.Knote;

import java.util.Arrays;

/**
 * A binary min-heap of timer knotes ordered by deadline (CLOCK_MONOTONIC nanoseconds), with each
 * timer's position kept in its {@link TimerFilter.Timer} so removal and re-keying are O(log n).
 * Guarded by the kqueue's lock.
 */
final class TimerHeap {
    private Knote[] heap = new Knote[16];
    private int size;

    Knote top() {
        return size == 0 ? null : heap[0];
    }

    void add(Knote kn) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = kn;
        timer(kn).index = size;
        size++;
        up(size - 1);
    }

    void remove(Knote kn) {
        int i = timer(kn).index;
        if (i < 0) {
            return;
        }
        timer(kn).index = -1;
        size--;
        if (i != size) {
            Knote last = heap[size];
            heap[i] = last;
            timer(last).index = i;
            heap[size] = null;
            down(i);
            up(timer(last).index);
        } else {
            heap[size] = null;
        }
    }

    /** Restores order after the top's deadline grew. */
    void topChanged() {
        down(0);
    }

    private void up(int i) {
        Knote kn = heap[i];
        long deadline = timer(kn).deadline;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Knote p = heap[parent];
            if (timer(p).deadline - deadline <= 0) {
                break;
            }
            heap[i] = p;
            timer(p).index = i;
            i = parent;
        }
        heap[i] = kn;
        timer(kn).index = i;
    }

    private void down(int i) {
        Knote kn = heap[i];
        long deadline = timer(kn).deadline;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && timer(heap[child + 1]).deadline - timer(heap[child]).deadline < 0) {
                child++;
            }
            if (deadline - timer(heap[child]).deadline <= 0) {
                break;
            }
            heap[i] = heap[child];
            timer(heap[i]).index = i;
            i = child;
        }
        heap[i] = kn;
        timer(kn).index = i;
    }

    private static TimerFilter.Timer timer(Knote kn) {
        return (TimerFilter.Timer) kn.state;
    }
}
