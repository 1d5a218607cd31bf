package io.github.kqueueffm.properties;

import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.tests.support.Os;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
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
}
