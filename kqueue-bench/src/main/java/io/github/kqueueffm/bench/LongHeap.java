package io.github.kqueueffm.bench;

import java.util.Arrays;

/**
 * A binary min-heap of {@code long}s in one growing array, as a C event loop keeps its timer
 * deadlines: the raw epoll floor of W3 allocates nothing per timer but the array's growth.
 */
final class LongHeap {
    private long[] heap = new long[1024];
    private int size;

    /**
     * Adds a value.
     *
     * @param value the value
     */
    void add(long value) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= value) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = value;
    }

    /**
     * The smallest value.
     *
     * @return it, or {@link Long#MAX_VALUE} when empty
     */
    long peek() {
        return size == 0 ? Long.MAX_VALUE : heap[0];
    }

    /**
     * Removes the smallest value.
     *
     * @throws IllegalStateException when empty
     */
    void removeFirst() {
        if (size == 0) {
            throw new IllegalStateException("empty");
        }
        long last = heap[--size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1] < heap[child]) {
                child++;
            }
            if (last <= heap[child]) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = last;
    }
}
