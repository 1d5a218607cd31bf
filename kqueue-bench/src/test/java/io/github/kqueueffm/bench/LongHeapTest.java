package io.github.kqueueffm.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The raw epoll floor of W3 pops its deadlines in order, or its expiry counts are wrong. */
class LongHeapTest {
    @Test
    void popsInAscendingOrderAcrossGrowth() {
        Random random = new Random(11);
        long[] values = random.longs(5_000, -1_000, 1_000).toArray();
        LongHeap heap = new LongHeap();
        for (long v : values) {
            heap.add(v);
        }
        long[] popped = new long[values.length];
        for (int i = 0; i < popped.length; i++) {
            popped[i] = heap.peek();
            heap.removeFirst();
        }
        Arrays.sort(values);
        assertArrayEquals(values, popped);
        assertEquals(Long.MAX_VALUE, heap.peek());
        assertThrows(IllegalStateException.class, heap::removeFirst);
    }
}
