package io.github.kqueueffm.properties;

import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.tests.support.Os;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Regression (found by the command-sequence property): when one scan drops the knotes of a
 * descriptor that was closed (the first of them is found gone, the others go with it), the scan
 * must neither visit a level-triggered knote it re-queued a second time (KQ-45: an (ident, filter)
 * appears at most once per call) nor run past the end of the emptied queue (a
 * NullPointerException out of kevent, where only KQueueException is allowed).
 */
class ClosedDescriptorDuringScanTest {

    @Test
    void KQ_45_levelEventIsReturnedOnceWhenTheKnotesOfAClosedDescriptorAreDroppedInTheSameScan() throws Exception {
        int[] pipe = Os.pipe();
        int[] pair = Os.socketpair();
        try (KQueue kq = KQueue.open();
             KEventList changes = KEventList.allocate(3);
             KEventList events = KEventList.allocate(8)) {
            assertEquals(1, Os.write(pair[0], 1)); // pair[1] readable
            changes.set(0, pipe[1], EVFILT_WRITE, EV_ADD, 0, 0, 0); // level, writable: queued first
            changes.set(1, pair[1], EVFILT_READ, EV_ADD, 0, 0, 0);
            changes.set(2, pair[1], EVFILT_WRITE, EV_ADD, 0, 0, 0);
            assertEquals(0, kq.kevent(changes, 3, null, 0, Duration.ZERO));
            Os.close(pair[1]);
            pair[1] = -1;

            int n = kq.kevent(null, 0, events, 8, Duration.ZERO);

            assertEquals(1, n, "one event, the pipe's EVFILT_WRITE, exactly once");
            assertEquals(pipe[1], events.ident(0));
            assertEquals(EVFILT_WRITE, events.filter(0));
        } finally {
            Os.closeQuietly(pipe[0], pipe[1], pair[0]);
            if (pair[1] >= 0) {
                Os.closeQuietly(pair[1]);
            }
        }
    }

    @Test
    void KQ_50_scanOfOnlyTheKnotesOfAClosedDescriptorReturnsNothing() throws Exception {
        int[] pair = Os.socketpair();
        try (KQueue kq = KQueue.open();
             KEventList changes = KEventList.allocate(2);
             KEventList events = KEventList.allocate(8)) {
            assertEquals(1, Os.write(pair[0], 1));
            changes.set(0, pair[1], EVFILT_READ, EV_ADD, 0, 0, 0);
            changes.set(1, pair[1], EVFILT_WRITE, EV_ADD, 0, 0, 0);
            assertEquals(0, kq.kevent(changes, 2, null, 0, Duration.ZERO));
            Os.close(pair[1]);
            pair[1] = -1;

            assertEquals(0, kq.kevent(null, 0, events, 8, Duration.ZERO), "no event of a closed descriptor, no exception");
        } finally {
            Os.closeQuietly(pair[0]);
            if (pair[1] >= 0) {
                Os.closeQuietly(pair[1]);
            }
        }
    }
}
