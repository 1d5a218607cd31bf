package io.github.kqueueffm.properties;

import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.tests.support.Os;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.github.kqueueffm.KEvent.EVFILT_EMPTY;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Regression (found by the command-sequence property): knotes of different filters on one
 * descriptor are independent (FL-28), and an EV_CLEAR knote is returned again only after new
 * activity (FL-13, WR-02). Registering, re-arming or dropping the descriptor's other knote is no
 * activity for it; on Linux the shared epoll registration is modified then and reports the
 * descriptor's current readiness again, which must not re-activate the EV_CLEAR knote.
 */
class EdgeKnoteOnSharedDescriptorTest {

    @Test
    void FL_28_addingAReadKnoteDoesNotReactivateTheEvClearWriteKnote() throws Exception {
        int[] pair = Os.socketpair();
        try (KQueue kq = KQueue.open();
             KEventList list = KEventList.allocate(4)) {
            list.set(0, pair[0], EVFILT_WRITE, EV_ADD | EV_CLEAR, 0, 0, 0);
            assertEquals(0, kq.kevent(list, 1, null, 0, Duration.ZERO));
            assertEquals(1, kq.kevent(null, 0, list, 4, Duration.ZERO), "writable: one event");
            assertEquals(0, kq.kevent(null, 0, list, 4, Duration.ZERO), "EV_CLEAR: quiet while nothing happens");

            list.set(0, pair[0], EVFILT_READ, EV_ADD, 0, 0, 0); // nothing to read
            assertEquals(0, kq.kevent(list, 1, null, 0, Duration.ZERO));

            assertEquals(0, kq.kevent(null, 0, list, 4, Duration.ZERO), "no new activity for the EVFILT_WRITE knote");
        } finally {
            Os.closeQuietly(pair);
        }
    }

    @Test
    void FL_13_deliveringTheOtherFiltersOneShotEventDoesNotReactivateTheEvClearReadKnote() throws Exception {
        int[] pair = Os.socketpair();
        try (KQueue kq = KQueue.open();
             KEventList list = KEventList.allocate(4)) {
            assertEquals(5, Os.write(pair[1], 5));
            list.set(0, pair[0], EVFILT_READ, EV_ADD | EV_CLEAR, 0, 0, 0);
            assertEquals(0, kq.kevent(list, 1, null, 0, Duration.ZERO));
            assertEquals(1, kq.kevent(null, 0, list, 4, Duration.ZERO), "5 bytes: one event");

            list.set(0, pair[0], EVFILT_WRITE, EV_ADD | EV_ONESHOT, 0, 0, 0);
            assertEquals(0, kq.kevent(list, 1, null, 0, Duration.ZERO));
            assertEquals(1, kq.kevent(null, 0, list, 4, Duration.ZERO), "the one-shot EVFILT_WRITE event");
            assertEquals(EVFILT_WRITE, list.filter(0));

            assertEquals(0, kq.kevent(null, 0, list, 4, Duration.ZERO), "no new data: the EV_CLEAR read knote stays quiet");
        } finally {
            Os.closeQuietly(pair);
        }
    }

    @Test
    void FL_13_theOtherDirectionsEdgeDoesNotReactivateTheEvClearReadKnote() throws Exception {
        int[] pair = Os.socketpair();
        try (KQueue kq = KQueue.open();
             KEventList list = KEventList.allocate(4)) {
            assertEquals(5, Os.write(pair[1], 5)); // pair[0] holds 5 unread bytes throughout
            list.set(0, pair[0], EVFILT_READ, EV_ADD | EV_CLEAR, 0, 0, 0);
            list.set(1, pair[0], EVFILT_WRITE, EV_ADD | EV_CLEAR, 0, 0, 0);
            assertEquals(0, kq.kevent(list, 2, null, 0, Duration.ZERO));
            assertEquals(2, kq.kevent(null, 0, list, 4, Duration.ZERO), "readable and writable: two events");
            assertEquals(0, kq.kevent(null, 0, list, 4, Duration.ZERO), "EV_CLEAR: quiet while nothing happens");

            assertEquals(3, Os.write(pair[0], 3));
            assertEquals(3, Os.read(pair[1], 3)); // frees pair[0]'s send space: a write-side edge

            int n = kq.kevent(null, 0, list, 4, Duration.ZERO);
            for (int i = 0; i < n; i++) {
                assertEquals(EVFILT_WRITE, list.filter(i), "no new data arrived: only the write side may fire");
            }
        } finally {
            Os.closeQuietly(pair);
        }
    }

    @Test
    void FL_28_addingAndDeletingAnEmptyKnoteDoesNotReactivateTheEvClearReadAndWriteKnotes() throws Exception {
        int[] pair = Os.socketpair();
        try (KQueue kq = KQueue.open();
             KEventList list = KEventList.allocate(4)) {
            assertEquals(5, Os.write(pair[1], 5));
            list.set(0, pair[0], EVFILT_READ, EV_ADD | EV_CLEAR, 0, 0, 0);
            list.set(1, pair[0], EVFILT_WRITE, EV_ADD | EV_CLEAR, 0, 0, 0);
            assertEquals(0, kq.kevent(list, 2, null, 0, Duration.ZERO));
            assertEquals(2, kq.kevent(null, 0, list, 4, Duration.ZERO), "readable and writable: two events");

            list.set(0, pair[0], EVFILT_EMPTY, EV_ADD, 0, 0, 0); // nothing queued to send: it holds
            assertEquals(0, kq.kevent(list, 1, null, 0, Duration.ZERO));
            assertEquals(1, kq.kevent(null, 0, list, 4, Duration.ZERO), "only the new EVFILT_EMPTY knote");
            assertEquals(EVFILT_EMPTY, list.filter(0));

            list.set(0, pair[0], EVFILT_EMPTY, EV_DELETE, 0, 0, 0);
            assertEquals(0, kq.kevent(list, 1, null, 0, Duration.ZERO));
            assertEquals(0, kq.kevent(null, 0, list, 4, Duration.ZERO), "no new activity for READ or WRITE");

            assertEquals(1, Os.write(pair[1], 1));
            assertEquals(1, kq.kevent(null, 0, list, 4, Duration.ZERO), "new data: the READ knote only");
            assertEquals(EVFILT_READ, list.filter(0));
            assertEquals(6, list.data(0));
        } finally {
            Os.closeQuietly(pair);
        }
    }
}
