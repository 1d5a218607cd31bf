package io.github.kqueueffm.tests;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.tests.support.SteadyAllocation;
import io.github.kqueueffm.tests.support.TmMtRsKit.Q;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_DISABLE;
import static io.github.kqueueffm.KEvent.EV_ENABLE;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.EV_RECEIPT;
import static io.github.kqueueffm.KEvent.NOTE_SECONDS;
import static io.github.kqueueffm.tests.support.TmMtRsKit.LATE_NANOS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Timers the emulation keeps compact (a record, no knote, until a change names them or they
 * expire) behave as any knote: every change reaches them, they fire with what they were
 * registered with, the knote limit and the timer limit count them, and closing the kqueue gives
 * them back. On a native kqueue the same assertions hold of the kernel's knotes.
 */
class CompactTimersTest {
    private static final long MS = 1_000_000L;
    private static final int TIMERS = 2_000;

    @Test
    void everyChangeReachesATimerRegisteredBefore() throws Exception {
        try (Q q = Q.open(TIMERS)) {
            q.ch.set(0, 0, EVFILT_TIMER, EV_ADD | EV_ONESHOT | EV_RECEIPT, 0, 40, 1);
            assertEquals(1, q.kq.kevent(q.ch, 1, q.ev, 1, Duration.ZERO), "a receipt for the first timer");
            assertEquals(new KEvent(0, EVFILT_TIMER, EV_ERROR, 0, 0, 1), q.ev.get(0));
            for (int i = 1; i < TIMERS; i++) {
                q.apply(i, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 40 + i % 30, udata(i));
            }
            long allDue = System.nanoTime() + 70 * MS; // every first registration is due by then
            Map<Long, Long> expected = new HashMap<>(); // ident → udata of the timers that fire
            for (int i = 0; i < TIMERS; i++) {
                if (i % 3 == 0) {
                    q.apply(i, EVFILT_TIMER, EV_DELETE, 0, 0);
                    assertEquals(Errno.ENOENT, q.thrown(i, EVFILT_TIMER, EV_DELETE, 0, 0), "deleted twice");
                } else if (i % 5 == 0) {
                    q.apply(i, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 20, -i); // restarts it, new udata
                    expected.put((long) i, (long) -i);
                } else if (i % 7 == 1) {
                    q.apply(i, EVFILT_TIMER, EV_DISABLE, 0, 0, udata(i)); // a change sets udata too
                } else {
                    expected.put((long) i, udata(i));
                }
            }
            long deadline = System.nanoTime() + 70 * MS + LATE_NANOS;
            Map<Long, Long> fired = new HashMap<>();
            while (fired.size() < expected.size() && System.nanoTime() - deadline < 0) {
                for (KEvent e : q.wait(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                    assertEquals(EV_ONESHOT | EV_CLEAR, e.flags(), "flags of " + e);
                    assertEquals(1, e.data(), "one expiry: " + e);
                    assertEquals(null, fired.put(e.ident(), e.udata()), "fired once: " + e);
                }
            }
            assertEquals(expected, fired, "the enabled timers fired with their udata, the disabled ones did not");
            while (System.nanoTime() - allDue < 0) {
                Thread.sleep(1);
            }
            for (int i = 1; i < TIMERS; i += 7) {
                if (i % 3 != 0 && i % 5 != 0) {
                    q.apply(i, EVFILT_TIMER, EV_ENABLE, 0, 0, udata(i)); // expired while disabled: reported now
                }
            }
            Map<Long, Long> late = new HashMap<>();
            for (KEvent e : q.poll()) {
                assertEquals(1, e.data(), "one expiry: " + e);
                late.put(e.ident(), e.udata());
            }
            for (int i = 1; i < TIMERS; i += 7) {
                if (i % 3 != 0 && i % 5 != 0) {
                    assertEquals(udata(i), late.remove((long) i), "timer " + i + " reported on EV_ENABLE");
                }
            }
            assertTrue(late.isEmpty(), "only the re-enabled timers: " + late);
            for (int i = 0; i < TIMERS; i++) {
                assertEquals(Errno.ENOENT, q.thrown(i, EVFILT_TIMER, EV_DELETE, 0, 0), "one-shot " + i + " is gone");
            }
        }
    }

    @Test
    void theKnoteLimitCountsTimers() throws Exception {
        try (Q q = Q.of(KQueue.open(3))) {
            for (int i = 0; i < 3; i++) {
                q.apply(i, EVFILT_TIMER, EV_ADD, NOTE_SECONDS, 3600);
            }
            assertEquals(Errno.ENOMEM, q.thrown(3, EVFILT_TIMER, EV_ADD, NOTE_SECONDS, 3600));
            q.apply(1, EVFILT_TIMER, EV_DELETE, 0, 0);
            q.apply(3, EVFILT_TIMER, EV_ADD, NOTE_SECONDS, 3600);
        }
    }

    @Test
    void closingAKqueueGivesItsTimersBack() throws Exception {
        int old = KQueue.maxTimers();
        KQueue.setMaxTimers(10);
        try {
            try (Q q = Q.open()) {
                for (int i = 0; i < 10; i++) {
                    q.apply(i, EVFILT_TIMER, EV_ADD, NOTE_SECONDS, 3600);
                }
                assertEquals(Errno.ENOMEM, q.thrown(10, EVFILT_TIMER, EV_ADD, NOTE_SECONDS, 3600));
            }
            try (Q q = Q.open()) {
                for (int i = 0; i < 10; i++) {
                    q.apply(i, EVFILT_TIMER, EV_ADD, NOTE_SECONDS, 3600); // the first kqueue's ten are free again
                }
            }
        } finally {
            KQueue.setMaxTimers(old);
        }
    }

    /**
     * A timeout armed and cancelled before it fires (EV_ADD | EV_ONESHOT, then EV_DELETE: the
     * usual life of a request timeout) allocates no Java heap in steady state: 10 000 cycles
     * allocate under 16 KiB, measured as RS-11 measures trigger-and-poll cycles.
     */
    @Test
    void armingAndCancellingATimeoutAllocatesNothing() throws Exception {
        try (Q q = Q.open()) {
            q.apply(0, EVFILT_TIMER, EV_ADD, NOTE_SECONDS, 3600); // another timer, so the alarm stays
            long allocated = SteadyAllocation.bytes(() -> armAndCancel(q, 5_000), () -> armAndCancel(q, 10_000));
            assertTrue(allocated < 16 * 1024, "10 000 timeouts armed and cancelled allocated " + allocated + " bytes");
        }
    }

    private static void armAndCancel(Q q, int cycles) throws Exception {
        for (int i = 0; i < cycles; i++) {
            q.ch.set(0, 1 + (i & 63), EVFILT_TIMER, EV_ADD | EV_ONESHOT, NOTE_SECONDS, 60, i);
            q.kq.kevent(q.ch, 1, null, 0, Duration.ZERO);
            q.ch.set(0, 1 + (i & 63), EVFILT_TIMER, EV_DELETE, 0, 0, 0);
            q.kq.kevent(q.ch, 1, null, 0, Duration.ZERO);
        }
    }

    private static long udata(int i) {
        return 3L * i + 1;
    }
}
