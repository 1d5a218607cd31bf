package io.github.kqueueffm.tests;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.tests.support.Os;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.github.kqueueffm.KEvent.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A first end-to-end run of each implemented filter on real kernel objects. */
class SmokeTest {
    @Test
    void userTimerPipeSocketpair() throws Exception {
        int[] pipe = Os.pipe();
        try (KQueue kq = KQueue.open(); KEventList ch = KEventList.allocate(8); KEventList ev = KEventList.allocate(8)) {
            ch.set(0, 1, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 11);
            ch.set(1, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 12);
            assertEquals(1, kq.kevent(ch, 2, ev, 8, Duration.ZERO));
            assertEquals(new KEvent(1, EVFILT_USER, EV_CLEAR, 0, 0, 12), ev.get(0));
            assertEquals(0, kq.kevent(null, 0, ev, 8, Duration.ZERO));

            ch.set(0, pipe[0], EVFILT_READ, EV_ADD, 0, 0, 5);
            assertEquals(0, kq.kevent(ch, 1, ev, 8, Duration.ZERO));
            Os.write(pipe[1], 3);
            assertEquals(1, kq.kevent(null, 0, ev, 8, Duration.ZERO));
            assertEquals(new KEvent(pipe[0], EVFILT_READ, 0, 0, 3, 5), ev.get(0));
            assertEquals(1, kq.kevent(null, 0, ev, 8, Duration.ZERO));
            Os.read(pipe[0], 3);
            assertEquals(0, kq.kevent(null, 0, ev, 8, Duration.ZERO));

            long start = System.nanoTime();
            ch.set(0, 7, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 50, 0);
            assertEquals(1, kq.kevent(ch, 1, ev, 8, Duration.ofSeconds(2)));
            long elapsed = System.nanoTime() - start;
            assertEquals(new KEvent(7, EVFILT_TIMER, EV_ONESHOT | EV_CLEAR, 0, 1, 0), ev.get(0));
            org.junit.jupiter.api.Assertions.assertTrue(elapsed >= 50_000_000L, "early: " + elapsed);
        } finally {
            Os.closeQuietly(pipe);
        }
    }
}
