package io.github.kqueueffm.properties;

import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.tests.support.Os;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.NOTE_LOWAT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Found by the command-sequence property: with NOTE_LOWAT and a threshold of 0 a socket's
 * EVFILT_READ condition (data ≥ 0) always holds, so on FreeBSD every arrival activates an EV_CLEAR
 * knote and the next scan returns it, even if the bytes were read before the kevent call (RD-14
 * with data = 0; FL-13: new activity).
 *
 * <p><b>Cannot be met on Linux:</b> epoll polls the socket when a wait collects a report and drops
 * the report if the socket is no longer readable, so an arrival consumed before the call leaves no
 * trace. This test asserts what agrees with FreeBSD (registration, quiet without activity, an
 * arrival still queued) and then the documented difference (BEHAVIOUR.md: "NOTE_LOWAT of 0 or less
 * with EV_CLEAR or EV_DISPATCH on a socket"), so a change either way is noticed.
 */
class SocketZeroLowWaterTest {

    @Test
    void RD_14_zeroLowWaterEvClearKnoteOnASocket() throws Exception {
        int[] pair = Os.socketpair();
        try (KQueue kq = KQueue.open();
             KEventList list = KEventList.allocate(2)) {
            list.set(0, pair[1], EVFILT_READ, EV_ADD | EV_CLEAR, NOTE_LOWAT, 0, 0);
            assertEquals(0, kq.kevent(list, 1, null, 0, Duration.ZERO));
            assertEquals(1, kq.kevent(null, 0, list, 2, Duration.ZERO), "threshold 0: reported at registration");
            assertEquals(0, list.data(0));
            assertEquals(0, kq.kevent(null, 0, list, 2, Duration.ZERO), "EV_CLEAR: quiet until new activity");

            assertEquals(1, Os.write(pair[0], 1));
            assertEquals(1, kq.kevent(null, 0, list, 2, Duration.ZERO), "an arrival still queued activates it");
            assertEquals(1, list.data(0));
            assertEquals(1, Os.read(pair[1], 1));
            assertEquals(0, kq.kevent(null, 0, list, 2, Duration.ZERO), "reading is no new activity");

            assertEquals(1, Os.write(pair[0], 1));
            assertEquals(1, Os.read(pair[1], 1));
            assertEquals(0, kq.kevent(null, 0, list, 2, Duration.ZERO),
                    "Linux (BEHAVIOUR.md): an arrival read before the call is not returned; FreeBSD returns data 0");
        } finally {
            Os.closeQuietly(pair);
        }
    }
}
