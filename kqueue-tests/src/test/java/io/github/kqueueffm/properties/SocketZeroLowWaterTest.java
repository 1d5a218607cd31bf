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
 * Regression (found by the command-sequence property, -Pstress): with NOTE_LOWAT and a threshold
 * of 0 a socket's EVFILT_READ condition (data ≥ 0) always holds, so every arrival activates an
 * EV_CLEAR knote and FreeBSD's scan returns it, with the data queued at collection time, even if
 * the bytes were read before the kevent call (RD-14 with data = 0; FL-13: new activity).
 */
class SocketZeroLowWaterTest {

    @Test
    void RD_14_arrivalActivatesAZeroLowWaterEvClearKnoteEvenIfReadBeforeTheScan() throws Exception {
        int[] pair = Os.socketpair();
        try (KQueue kq = KQueue.open();
             KEventList list = KEventList.allocate(2)) {
            list.set(0, pair[1], EVFILT_READ, EV_ADD | EV_CLEAR, NOTE_LOWAT, 0, 0);
            assertEquals(0, kq.kevent(list, 1, null, 0, Duration.ZERO));
            assertEquals(1, kq.kevent(null, 0, list, 2, Duration.ZERO), "threshold 0: reported at registration");
            assertEquals(0, kq.kevent(null, 0, list, 2, Duration.ZERO), "EV_CLEAR: quiet until new activity");

            assertEquals(1, Os.write(pair[0], 1));
            assertEquals(1, Os.read(pair[1], 1));

            assertEquals(1, kq.kevent(null, 0, list, 2, Duration.ZERO), "the arrival activated it; 0 ≥ 0 still holds");
            assertEquals(EVFILT_READ, list.filter(0));
            assertEquals(0, list.data(0));
        } finally {
            Os.closeQuietly(pair);
        }
    }
}
