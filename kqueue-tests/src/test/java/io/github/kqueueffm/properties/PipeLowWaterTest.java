package io.github.kqueueffm.properties;

import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.tests.support.Os;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.NOTE_LOWAT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Regression (found by the command-sequence property): FreeBSD's pipe filters ignore NOTE_LOWAT
 * (filt_piperead reports from 1 byte, filt_pipewrite from PIPE_BUF free bytes, whatever the
 * change's data), unlike its socket filters (RD-14, WR-06). BEHAVIOUR.md lists no difference here.
 */
class PipeLowWaterTest {

    @Test
    void RD_19_pipeReadKnoteIgnoresNoteLowat() throws Exception {
        int[] pipe = Os.pipe();
        try (KQueue kq = KQueue.open();
             KEventList list = KEventList.allocate(1)) {
            list.set(0, pipe[0], EVFILT_READ, EV_ADD, NOTE_LOWAT, 16, 0);
            assertEquals(0, kq.kevent(list, 1, null, 0, Duration.ZERO));
            assertEquals(8, Os.write(pipe[1], 8));

            assertEquals(1, kq.kevent(null, 0, list, 1, Duration.ZERO), "8 bytes queued: readable, threshold 16 ignored");
            assertEquals(EVFILT_READ, list.filter(0));
            assertEquals(8, list.data(0));
        } finally {
            Os.closeQuietly(pipe);
        }
    }

    @Test
    void WR_08_pipeWriteKnoteIgnoresNoteLowat() throws Exception {
        int[] pipe = Os.pipe();
        try (KQueue kq = KQueue.open();
             KEventList list = KEventList.allocate(1)) {
            list.set(0, pipe[1], EVFILT_WRITE, EV_ADD, NOTE_LOWAT, 1L << 30, 0);
            assertEquals(0, kq.kevent(list, 1, null, 0, Duration.ZERO));

            assertEquals(1, kq.kevent(null, 0, list, 1, Duration.ZERO), "empty pipe: writable, threshold 2^30 ignored");
            assertEquals(EVFILT_WRITE, list.filter(0));
            assertEquals(65536, list.data(0));
        } finally {
            Os.closeQuietly(pipe);
        }
    }
}
