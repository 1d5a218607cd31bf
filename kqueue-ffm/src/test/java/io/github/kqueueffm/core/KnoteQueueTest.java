package io.github.kqueueffm.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link KnoteQueue}: the intrusive FIFO and the QUEUED status bit. */
class KnoteQueueTest {
    /** More than any test queues: a walk this long has met a broken link. */
    private static final int MAX_LENGTH = 16;

    private final KnoteQueue queue = new KnoteQueue();
    private final Knote a = knote(1);
    private final Knote b = knote(2);
    private final Knote c = knote(3);
    private final Knote d = knote(4);

    @Test
    void anEmptyQueueHasNoFirst() {
        assertTrue(queue.isEmpty());
        assertNull(queue.first());
        assertEquals(0, queue.size());
    }

    @Test
    void knotesLeaveInTheOrderTheyCame() {
        enqueue(a, b, c, d);
        assertFalse(queue.isEmpty());
        assertSame(a, queue.first());
        assertEquals(List.of(a, b, c, d), drain());
        assertTrue(queue.isEmpty());
        assertNull(queue.first());
    }

    @Test
    void dequeueFromTheMiddle() {
        enqueue(a, b, c, d);
        queue.dequeue(b);
        assertQueue(a, c, d);
        queue.dequeue(c);
        assertQueue(a, d);
    }

    @Test
    void dequeueTheHead() {
        enqueue(a, b, c);
        queue.dequeue(a);
        assertQueue(b, c);
        assertSame(b, queue.first());
        queue.dequeue(b);
        assertQueue(c);
    }

    @Test
    void dequeueTheTailThenAppend() {
        enqueue(a, b, c);
        queue.dequeue(c);
        assertQueue(a, b);
        queue.enqueue(d);
        assertQueue(a, b, d);
    }

    @Test
    void dequeueTheOnlyKnoteEmptiesTheQueue() {
        queue.enqueue(a);
        queue.dequeue(a);
        assertTrue(queue.isEmpty());
        assertNull(queue.first());
        queue.enqueue(b);
        assertQueue(b);
    }

    @Test
    void aKnoteRequeuedGoesToTheTail() {
        enqueue(a, b, c);
        queue.dequeue(a);
        queue.enqueue(a);
        assertQueue(b, c, a);
    }

    @Test
    void dequeueOfAKnoteNotQueuedChangesNothing() {
        enqueue(a, b);
        c.status = Knote.ACTIVE;
        queue.dequeue(c);
        assertEquals(Knote.ACTIVE, c.status);
        assertQueue(a, b);
        queue.dequeue(a);
        queue.dequeue(a);
        assertQueue(b);
    }

    @Test
    void queuedIsSetWhileQueuedAndOtherBitsAreKept() {
        int others = Knote.ACTIVE | Knote.DISABLED | Knote.GONE;
        a.status = others;
        assertFalse(a.has(Knote.QUEUED));
        queue.enqueue(a);
        assertEquals(others | Knote.QUEUED, a.status);
        queue.dequeue(a);
        assertEquals(others, a.status);
    }

    @Test
    void sizeFollowsTheQueue() {
        enqueue(a, b, c);
        assertEquals(3, queue.size());
        queue.dequeue(b);
        assertEquals(2, queue.size());
        queue.dequeue(b);
        assertEquals(2, queue.size(), "a second dequeue is ignored");
        drain();
        assertEquals(0, queue.size());
    }

    /** The scan's pattern: a marker at the tail, knotes taken from the head until the marker. */
    @Test
    void aMarkerAtTheTailSeparatesKnotesQueuedDuringTheScan() {
        Knote marker = knote(0);
        enqueue(a, b);
        queue.enqueue(marker);
        List<Knote> scanned = new ArrayList<>();
        for (Knote kn = queue.first(); kn != marker; kn = queue.first()) {
            queue.dequeue(kn);
            scanned.add(kn);
            assertTrue(scanned.size() <= MAX_LENGTH, "the scan does not reach the marker: " + scanned);
            if (kn == a) {
                queue.enqueue(c); // activated during the scan: after the marker
            }
        }
        queue.dequeue(marker);
        assertEquals(List.of(a, b), scanned);
        assertQueue(c);
    }

    private static Knote knote(long ident) {
        return TestKnotes.knote(ident, EVFILT_USER, false);
    }

    private void enqueue(Knote... knotes) {
        for (Knote kn : knotes) {
            queue.enqueue(kn);
        }
    }

    private List<Knote> drain() {
        List<Knote> out = new ArrayList<>();
        for (Knote kn = queue.first(); kn != null; kn = queue.first()) {
            queue.dequeue(kn);
            assertFalse(kn.has(Knote.QUEUED), kn.toString());
            out.add(kn);
            assertTrue(out.size() <= MAX_LENGTH, "the queue does not empty: " + out);
        }
        return out;
    }

    /** The queue holds exactly these knotes in this order, linked both ways, each marked QUEUED. */
    private void assertQueue(Knote... expected) {
        List<Knote> forward = new ArrayList<>();
        Knote prev = null;
        for (Knote kn = queue.first(); kn != null; kn = kn.next) {
            assertSame(prev, kn.prev, "back link of " + kn);
            assertTrue(kn.has(Knote.QUEUED), kn.toString());
            forward.add(kn);
            prev = kn;
            assertTrue(forward.size() <= MAX_LENGTH, "the links form a cycle: " + forward);
        }
        assertEquals(List.of(expected), forward);
        assertEquals(expected.length, queue.size());
        for (Knote kn : new Knote[] {a, b, c, d}) {
            assertEquals(forward.contains(kn), kn.has(Knote.QUEUED), kn.toString());
        }
    }
}
