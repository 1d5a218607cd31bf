package io.github.kqueueffm.conformance;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.tests.support.Os;
import io.github.kqueueffm.tests.support.TmMtRsKit;
import io.github.kqueueffm.tests.support.TmMtRsKit.Q;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_DISPATCH;
import static io.github.kqueueffm.KEvent.EV_ENABLE;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.NOTE_ABSTIME;
import static io.github.kqueueffm.KEvent.NOTE_MSECONDS;
import static io.github.kqueueffm.KEvent.NOTE_NSECONDS;
import static io.github.kqueueffm.KEvent.NOTE_SECONDS;
import static io.github.kqueueffm.KEvent.NOTE_USECONDS;
import static io.github.kqueueffm.tests.support.TmMtRsKit.LATE_NANOS;
import static io.github.kqueueffm.tests.support.TmMtRsKit.NO_EVENT_WAIT;
import static io.github.kqueueffm.tests.support.TmMtRsKit.assertEvent;
import static io.github.kqueueffm.tests.support.TmMtRsKit.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance rows TM (docs/conformance.md#tm): EVFILT_TIMER. Unit bits are FreeBSD's
 * (docs/conformance.md#appendix-a.4): NOTE_SECONDS 0x1, NOTE_MSECONDS 0x2, NOTE_USECONDS 0x4,
 * NOTE_NSECONDS 0x8, NOTE_ABSTIME 0x10. Every delivery is checked against CLOCK_MONOTONIC
 * ({@link System#nanoTime()}): never early, late by at most 250 ms (docs/conformance.md#s1.2).
 * Elapsed times are measured from just before the registering call to just after the returning
 * call, so "never early" can only be over-reported, never hidden.
 */
class TmConformanceTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    /** Waits for the first event of a timer due {@code intervalNanos} after {@code t0}. */
    private static List<KEvent> awaitDue(Q q, long t0, long intervalNanos) throws KQueueException {
        return q.waitUntil(t0 + intervalNanos + LATE_NANOS);
    }

    private static void assertNotEarly(long t0, long t1, long intervalNanos, String what) {
        assertTrue(t1 - t0 >= intervalNanos, what + " fired early: after " + (t1 - t0) / 1000 + " µs, interval "
                + intervalNanos / 1000 + " µs");
    }

    private static void assertNoEvent(Q q, String what) throws KQueueException {
        List<KEvent> got = q.wait(NO_EVENT_WAIT);
        assertEquals(List.of(), got, what);
    }

    /** TM-01: {@code ch(1, TIMER, EV_ADD, 0, 1000)} succeeds and returns no event at once. */
    @Test
    void TM_01_addSucceedsWithoutImmediateEvent() throws Exception {
        try (Q q = Q.open()) {
            assertEquals(0, q.apply(1, EVFILT_TIMER, EV_ADD, 0, 1000));
            assertEquals(List.of(), q.poll(), "no event at once");
        }
    }

    /**
     * TM-02: a periodic 1000 ms timer's first event arrives ≥ 1 s after registration as
     * {ident=1, EVFILT_TIMER, flags=EV_CLEAR, fflags=0, data=1}.
     */
    @Test
    void TM_02_firstPeriodicEventAfterOneSecond() throws Exception {
        try (Q q = Q.open()) {
            long t0 = System.nanoTime();
            q.apply(1, EVFILT_TIMER, EV_ADD, 0, 1000);
            List<KEvent> got = awaitDue(q, t0, S);
            long t1 = System.nanoTime();
            assertEquals(1, got.size(), "one event within 1 s + 250 ms: " + got);
            assertNotEarly(t0, t1, S, "1000 ms timer");
            assertEvent(got.get(0), 1, EVFILT_TIMER, EV_CLEAR, 0, 1);
        }
    }

    /** TM-03: relative timers get EV_CLEAR automatically (periodic and one-shot, not asked for). */
    @Test
    void TM_03_relativeTimersGetEvClear() throws Exception {
        try (Q q = Q.open()) {
            long t0 = System.nanoTime();
            q.apply(1, EVFILT_TIMER, EV_ADD, 0, 50);
            q.apply(2, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 50);
            Map<Long, KEvent> seen = new HashMap<>();
            long deadline = t0 + 50 * MS + LATE_NANOS;
            while (seen.size() < 2 && System.nanoTime() - deadline < 0) {
                List<KEvent> got = q.waitUntil(deadline);
                assertNotEarly(t0, System.nanoTime(), 50 * MS, "50 ms timer");
                for (KEvent e : got) {
                    seen.putIfAbsent(e.ident(), e);
                }
            }
            assertEquals(2, seen.size(), "both timers fired: " + seen);
            for (KEvent e : seen.values()) {
                assertEquals(EV_CLEAR, e.flags() & EV_CLEAR, "EV_CLEAR in flags of " + e);
            }
        }
    }

    /** TM-04: a periodic timer consumed once per period returns data = 1 each time, repeatedly. */
    @Test
    void TM_04_periodicConsumedEachPeriodHasDataOne() throws Exception {
        try (Q q = Q.open()) {
            long period = 200 * MS;
            long t0 = System.nanoTime();
            q.apply(1, EVFILT_TIMER, EV_ADD, 0, 200);
            for (int k = 1; k <= 5; k++) {
                List<KEvent> got = awaitDue(q, t0, k * period);
                long t1 = System.nanoTime();
                assertEquals(1, got.size(), "event " + k + ": " + got);
                assertNotEarly(t0, t1, k * period, "expiry " + k);
                assertEvent(got.get(0), 1, EVFILT_TIMER, EV_CLEAR, 0, 1);
            }
        }
    }

    /**
     * TM-05: a 50 ms periodic timer left unread for 500 ms gives one event with data ≥ 8 (and, never
     * early, no more expiries than whole periods elapsed).
     */
    @Test
    void TM_05_overrunsAreCounted() throws Exception {
        try (Q q = Q.open()) {
            long t0 = System.nanoTime();
            q.apply(1, EVFILT_TIMER, EV_ADD, 0, 50);
            TmMtRsKit.sleep(500);
            List<KEvent> got = q.poll();
            long elapsed = System.nanoTime() - t0;
            assertEquals(1, got.size(), "one event: " + got);
            KEvent e = got.get(0);
            assertEquals(EVFILT_TIMER, e.filter());
            assertTrue(e.data() >= 8, "data ≥ 8 after 500 ms: " + e);
            assertTrue(e.data() <= elapsed / (50 * MS), "no more expiries than periods elapsed ("
                    + elapsed / MS + " ms): " + e);
        }
    }

    /** TM-06: a 500 ms periodic timer read once and polled again within 50 ms returns nothing (or data ≤ 1). */
    @Test
    void TM_06_countRestartsAfterRetrieval() throws Exception {
        try (Q q = Q.open()) {
            long t0 = System.nanoTime();
            q.apply(1, EVFILT_TIMER, EV_ADD, 0, 500);
            List<KEvent> first = awaitDue(q, t0, 500 * MS);
            long tRead = System.nanoTime();
            assertEquals(1, first.size(), "first event: " + first);
            assertNotEarly(t0, tRead, 500 * MS, "500 ms timer");
            List<KEvent> again = q.poll();
            assertTrue(System.nanoTime() - tRead < 50 * MS, "second poll within 50 ms");
            assertTrue(again.isEmpty() || (again.size() == 1 && again.get(0).data() <= 1),
                    "nothing, or data ≤ 1: " + again);
        }
    }

    /**
     * TM-07: EV_ONESHOT with data = 500 gives one event {flags=EV_ONESHOT+EV_CLEAR, data=1},
     * nothing more within 3 s, and then EV_DELETE → ENOENT.
     */
    @Test
    void TM_07_oneshotFiresOnceThenIsGone() throws Exception {
        try (Q q = Q.open()) {
            long t0 = System.nanoTime();
            q.apply(1, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 500);
            List<KEvent> got = awaitDue(q, t0, 500 * MS);
            assertEquals(1, got.size(), "one event: " + got);
            assertNotEarly(t0, System.nanoTime(), 500 * MS, "500 ms one-shot");
            assertEvent(got.get(0), 1, EVFILT_TIMER, EV_ONESHOT | EV_CLEAR, 0, 1);
            assertEquals(List.of(), q.waitUntil(System.nanoTime() + 3 * S), "nothing more within 3 s");
            assertEquals(Errno.ENOENT, q.thrown(1, EVFILT_TIMER, EV_DELETE, 0, 0));
        }
    }

    /** TM-08: without a unit bit the unit is milliseconds: data = 100 → first expiry after ≥ 100 ms. */
    @Test
    void TM_08_defaultUnitIsMilliseconds() throws Exception {
        try (Q q = Q.open()) {
            long t0 = System.nanoTime();
            q.apply(1, EVFILT_TIMER, EV_ADD, 0, 100);
            List<KEvent> got = awaitDue(q, t0, 100 * MS);
            long t1 = System.nanoTime();
            assertEquals(1, got.size(), "fires within 100 ms + 250 ms: " + got);
            assertNotEarly(t0, t1, 100 * MS, "100 (ms) timer");
        }
    }

    /**
     * TM-09: [NOTE_SECONDS 1, NOTE_MSECONDS 50, NOTE_USECONDS 50 000, NOTE_NSECONDS 50 000 000] with
     * EV_ONESHOT each fire once, not earlier than the interval, and within 5 s.
     */
    @ParameterizedTest(name = "{0} {2}")
    @CsvSource({"NOTE_SECONDS, 1, 1, 1000000000",
        "NOTE_MSECONDS, 2, 50, 50000000",
        "NOTE_USECONDS, 4, 50000, 50000000",
        "NOTE_NSECONDS, 8, 50000000, 50000000"})
    void TM_09_unitsFireOnceNotEarly(String unit, int fflags, long data, long intervalNanos) throws Exception {
        try (Q q = Q.open()) {
            long t0 = System.nanoTime();
            q.apply(1, EVFILT_TIMER, EV_ADD | EV_ONESHOT, fflags, data);
            List<KEvent> got = q.waitUntil(t0 + 5 * S);
            long t1 = System.nanoTime();
            assertEquals(1, got.size(), unit + ": one event within 5 s: " + got);
            assertNotEarly(t0, t1, intervalNanos, unit + " " + data);
            assertEquals(1, got.get(0).data(), "one expiry: " + got);
            assertNoEvent(q, unit + ": fires once");
        }
    }

    /** TM-10: two unit bits at once (NOTE_SECONDS+NOTE_USECONDS) → EINVAL. */
    @Test
    void TM_10_twoUnitBitsAreEinval() throws Exception {
        try (Q q = Q.open()) {
            assertEquals(Errno.EINVAL, q.thrown(1, EVFILT_TIMER, EV_ADD, NOTE_SECONDS | NOTE_USECONDS, 100));
            assertEquals(Errno.EINVAL, q.errorEntry(1, EVFILT_TIMER, EV_ADD, NOTE_SECONDS | NOTE_USECONDS, 100));
        }
    }

    /** TM-11: fflags bits other than the four units and NOTE_ABSTIME (0x100) → EINVAL. */
    @Test
    void TM_11_unknownFflagsAreEinval() throws Exception {
        try (Q q = Q.open()) {
            assertEquals(Errno.EINVAL, q.thrown(1, EVFILT_TIMER, EV_ADD, 0x100, 100));
            assertEquals(Errno.EINVAL, q.errorEntry(1, EVFILT_TIMER, EV_ADD, 0x100, 100));
        }
    }

    /** TM-12: data < 0 → EINVAL. */
    @Test
    void TM_12_negativeDataIsEinval() throws Exception {
        try (Q q = Q.open()) {
            assertEquals(Errno.EINVAL, q.thrown(1, EVFILT_TIMER, EV_ADD, 0, -1));
            assertEquals(Errno.EINVAL, q.errorEntry(1, EVFILT_TIMER, EV_ADD, 0, -1));
        }
    }

    /**
     * TM-13: data = 0 without EV_ONESHOT is treated as 1 unit (1 ms): after 20 ms one event with
     * data ≥ 5 (and no more expiries than whole milliseconds elapsed).
     */
    @Test
    void TM_13_zeroPeriodIsOneUnit() throws Exception {
        try (Q q = Q.open()) {
            long t0 = System.nanoTime();
            q.apply(1, EVFILT_TIMER, EV_ADD, 0, 0);
            TmMtRsKit.sleep(20);
            List<KEvent> got = q.poll();
            long elapsed = System.nanoTime() - t0;
            assertEquals(1, got.size(), "one event: " + got);
            assertTrue(got.get(0).data() >= 5, "data ≥ 5 after 20 ms: " + got);
            assertTrue(got.get(0).data() <= elapsed / MS, "no more expiries than ms elapsed (" + elapsed / MS
                    + "): " + got);
        }
    }

    /** TM-14: data = 0 with EV_ONESHOT fires at once (the next poll), once. */
    @Test
    void TM_14_zeroOneshotFiresAtOnceOnce() throws Exception {
        try (Q q = Q.open()) {
            q.apply(1, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 0);
            List<KEvent> got = q.poll();
            assertEquals(1, got.size(), "fires at once: " + got);
            assertEquals(1, got.get(0).ident());
            assertEquals(EVFILT_TIMER, got.get(0).filter());
            assertNoEvent(q, "fires once");
        }
    }

    /** TM-15: data = 2⁶² with NOTE_NSECONDS is accepted, and no event arrives within 100 ms. */
    @Test
    void TM_15_hugeNanosecondPeriodIsClamped() throws Exception {
        try (Q q = Q.open()) {
            assertEquals(0, q.apply(1, EVFILT_TIMER, EV_ADD, NOTE_NSECONDS, 1L << 62));
            assertNoEvent(q, "no early expiry");
        }
    }

    /** TM-16: data = 2⁶² with NOTE_SECONDS is accepted, and no event arrives within 100 ms. */
    @Test
    void TM_16_hugeSecondPeriodIsClamped() throws Exception {
        try (Q q = Q.open()) {
            assertEquals(0, q.apply(1, EVFILT_TIMER, EV_ADD, NOTE_SECONDS, 1L << 62));
            assertNoEvent(q, "no early expiry");
        }
    }

    /**
     * TM-17: NOTE_ABSTIME+NOTE_USECONDS, EV_ONESHOT, data = now + 3 s (CLOCK_REALTIME µs) fires not
     * before that instant as {flags=EV_ONESHOT, fflags=0, data=1} (no EV_CLEAR), then is gone.
     */
    @Test
    void TM_17_absoluteTimerFiresAtDeadline() throws Exception {
        try (Q q = Q.open()) {
            long t0 = System.nanoTime(); // before reading the wall clock: the deadline is ≥ t0 + 3 s
            long deadlineMicros = TmMtRsKit.realtimeNanos() / 1000 + 3_000_000;
            q.apply(1, EVFILT_TIMER, EV_ADD | EV_ONESHOT, NOTE_ABSTIME | NOTE_USECONDS, deadlineMicros);
            List<KEvent> got = awaitDue(q, t0, 3 * S);
            long t1 = System.nanoTime();
            long wallMicros = TmMtRsKit.realtimeNanos() / 1000;
            assertEquals(1, got.size(), "one event: " + got);
            assertNotEarly(t0, t1, 3 * S, "absolute timer (CLOCK_MONOTONIC)");
            assertTrue(wallMicros >= deadlineMicros, "fired before the wall-clock deadline");
            assertEvent(got.get(0), 1, EVFILT_TIMER, EV_ONESHOT, 0, 1);
            assertEquals(Errno.ENOENT, q.thrown(1, EVFILT_TIMER, EV_DELETE, 0, 0), "the knote is gone");
        }
    }

    /** TM-18: NOTE_ABSTIME with a deadline 5 s in the past (ms, the default unit) fires at once. */
    @Test
    void TM_18_pastAbsoluteDeadlineFiresAtOnce() throws Exception {
        try (Q q = Q.open()) {
            long pastMillis = TmMtRsKit.realtimeNanos() / MS - 5000;
            q.apply(1, EVFILT_TIMER, EV_ADD | EV_ONESHOT, NOTE_ABSTIME, pastMillis);
            List<KEvent> got = q.poll();
            assertEquals(1, got.size(), "fires at once: " + got);
            assertEquals(1, got.get(0).ident());
            assertEquals(EVFILT_TIMER, got.get(0).filter());
            assertEquals(1, got.get(0).data());
        }
    }

    /** TM-19: NOTE_ABSTIME with data = 0 (the epoch) fires at once. */
    @Test
    void TM_19_epochDeadlineFiresAtOnce() throws Exception {
        try (Q q = Q.open()) {
            q.apply(1, EVFILT_TIMER, EV_ADD | EV_ONESHOT, NOTE_ABSTIME, 0);
            List<KEvent> got = q.poll();
            assertEquals(1, got.size(), "fires at once: " + got);
            assertEquals(1, got.get(0).ident());
            assertEquals(EVFILT_TIMER, got.get(0).filter());
            assertEquals(1, got.get(0).data());
        }
    }

    /**
     * TM-20: NOTE_ABSTIME with a deadline before the system booted (boot instant = CLOCK_REALTIME −
     * CLOCK_BOOTTIME, minus one hour; NOTE_SECONDS) fires at once.
     */
    @Test
    void TM_20_deadlineBeforeBootFiresAtOnce() throws Exception {
        try (Q q = Q.open()) {
            long bootRealtime = TmMtRsKit.realtimeNanos() - TmMtRsKit.boottimeNanos();
            long beforeBootSeconds = bootRealtime / S - 3600;
            assertTrue(beforeBootSeconds > 0, "boot instant after 1970 + 1 h");
            q.apply(1, EVFILT_TIMER, EV_ADD | EV_ONESHOT, NOTE_ABSTIME | NOTE_SECONDS, beforeBootSeconds);
            List<KEvent> got = q.poll();
            assertEquals(1, got.size(), "fires at once: " + got);
            assertEquals(1, got.get(0).ident());
            assertEquals(EVFILT_TIMER, got.get(0).filter());
            assertEquals(1, got.get(0).data());
        }
    }

    /**
     * TM-21: NOTE_ABSTIME without EV_ONESHOT or EV_CLEAR: after the deadline the knote stays active;
     * every poll returns it with data = 1 (no further expiry is counted) until it is deleted.
     */
    @Test
    void TM_21_absoluteLevelTimerStaysActive() throws Exception {
        try (Q q = Q.open()) {
            long t0 = System.nanoTime();
            long deadlineMicros = TmMtRsKit.realtimeNanos() / 1000 + 100_000;
            q.apply(1, EVFILT_TIMER, EV_ADD, NOTE_ABSTIME | NOTE_USECONDS, deadlineMicros);
            List<KEvent> got = awaitDue(q, t0, 100 * MS);
            assertEquals(1, got.size(), "fires: " + got);
            assertNotEarly(t0, System.nanoTime(), 100 * MS, "absolute timer");
            assertEquals(1, got.get(0).data());
            for (int k = 0; k < 3; k++) {
                List<KEvent> again = q.poll();
                assertEquals(1, again.size(), "poll " + k + " returns it again");
                assertEquals(1, again.get(0).ident());
                assertEquals(1, again.get(0).data(), "data stays 1: " + again);
            }
            TmMtRsKit.sleep(150);
            List<KEvent> later = q.poll();
            assertEquals(1, later.size(), "still returned 150 ms later");
            assertEquals(1, later.get(0).data(), "no further expiry counted: " + later);
            q.apply(1, EVFILT_TIMER, EV_DELETE, 0, 0);
            assertEquals(List.of(), q.poll(), "gone after EV_DELETE");
        }
    }

    /** TM-22: NOTE_ABSTIME with EV_CLEAR and without EV_ONESHOT: returned once with data = 1, then never again. */
    @Test
    void TM_22_absoluteClearTimerReturnedOnce() throws Exception {
        try (Q q = Q.open()) {
            long t0 = System.nanoTime();
            long deadlineMicros = TmMtRsKit.realtimeNanos() / 1000 + 100_000;
            q.apply(1, EVFILT_TIMER, EV_ADD | EV_CLEAR, NOTE_ABSTIME | NOTE_USECONDS, deadlineMicros);
            List<KEvent> got = awaitDue(q, t0, 100 * MS);
            assertEquals(1, got.size(), "fires: " + got);
            assertNotEarly(t0, System.nanoTime(), 100 * MS, "absolute timer");
            assertEquals(1, got.get(0).data());
            assertEquals(List.of(), q.wait(Duration.ofMillis(300)), "never again");
        }
    }

    /**
     * TM-23 (priv): the NOTE_ABSTIME deadline is fixed when registered: stepping CLOCK_REALTIME
     * forward by 1 h afterwards does not make a timer due in 2 s fire early. The clock is stepped with
     * clock_settime (CAP_SYS_TIME) for one 100 ms no-event wait and restored right after (restored
     * value = wall time at the start + CLOCK_MONOTONIC time elapsed since).
     */
    @Test
    void TM_23_absoluteDeadlineIgnoresClockStep() throws Exception {
        try (Q q = Q.open()) {
            long t0 = System.nanoTime();
            long rt0 = TmMtRsKit.realtimeNanos();
            long deadlineMicros = rt0 / 1000 + 2_000_000;
            q.apply(1, EVFILT_TIMER, EV_ADD | EV_ONESHOT, NOTE_ABSTIME | NOTE_USECONDS, deadlineMicros);
            List<KEvent> during;
            boolean stepped = TmMtRsKit.setRealtimeNanos(rt0 + (System.nanoTime() - t0) + 3600 * S);
            Assumptions.assumeTrue(stepped, "clock_settime(CLOCK_REALTIME) refused: needs CAP_SYS_TIME");
            try {
                during = q.wait(NO_EVENT_WAIT);
            } finally {
                TmMtRsKit.setRealtimeNanos(rt0 + (System.nanoTime() - t0));
            }
            assertEquals(List.of(), during, "no event after stepping CLOCK_REALTIME forward by 1 h");
            List<KEvent> got = awaitDue(q, t0, 2 * S);
            long t1 = System.nanoTime();
            assertEquals(1, got.size(), "fires at its registered deadline: " + got);
            assertNotEarly(t0, t1, 2 * S, "absolute timer");
        }
    }

    /**
     * TM-24: a re-add changes the period of a running timer: 1000 ms periodic, after its first event
     * re-added with 500 ms → after 1.2 s one event with 2 ≤ data ≤ 4 and EV_CLEAR.
     */
    @Test
    void TM_24_readdChangesPeriod() throws Exception {
        try (Q q = Q.open()) {
            long t0 = System.nanoTime();
            q.apply(1, EVFILT_TIMER, EV_ADD, 0, 1000);
            assertEquals(1, awaitDue(q, t0, S).size(), "first event");
            assertNotEarly(t0, System.nanoTime(), S, "1000 ms timer");
            long tReadd = System.nanoTime();
            q.apply(1, EVFILT_TIMER, EV_ADD, 0, 500);
            TmMtRsKit.sleep(1200);
            List<KEvent> got = q.poll();
            long elapsed = System.nanoTime() - tReadd;
            assertEquals(1, got.size(), "one event: " + got);
            KEvent e = got.get(0);
            assertTrue(e.data() >= 2 && e.data() <= 4, "2 ≤ data ≤ 4: " + e);
            assertTrue(e.data() <= elapsed / (500 * MS), "no more expiries than 500 ms periods since the re-add ("
                    + elapsed / MS + " ms): " + e);
            assertEquals(EV_CLEAR, e.flags() & EV_CLEAR, "EV_CLEAR: " + e);
        }
    }

    /** TM-25: a re-add shortens a pending one-shot: 1 s re-added as 1 ms → fires after ≥ 1 ms and < 1 s. */
    @Test
    void TM_25_readdShortensPendingOneshot() throws Exception {
        try (Q q = Q.open()) {
            q.apply(1, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 1000);
            long t0 = System.nanoTime();
            q.apply(1, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 1);
            List<KEvent> got = q.waitUntil(t0 + S);
            long t1 = System.nanoTime();
            assertEquals(1, got.size(), "fires within 1 s: " + got);
            assertTrue(t1 - t0 < S, "before 1 s: " + (t1 - t0) / MS + " ms");
            assertNotEarly(t0, t1, MS, "1 ms re-add");
        }
    }

    /** TM-26: a re-add with identical parameters restarts the timer: the event comes ≥ one interval after the re-add. */
    @Test
    void TM_26_identicalReaddRestarts() throws Exception {
        try (Q q = Q.open()) {
            q.apply(1, EVFILT_TIMER, EV_ADD, 0, 300);
            TmMtRsKit.sleep(200);
            long tReadd = System.nanoTime();
            q.apply(1, EVFILT_TIMER, EV_ADD, 0, 300);
            List<KEvent> got = awaitDue(q, tReadd, 300 * MS);
            long t1 = System.nanoTime();
            assertEquals(1, got.size(), "fires: " + got);
            assertNotEarly(tReadd, t1, 300 * MS, "restarted timer");
        }
    }

    /**
     * TM-27: a re-add after an expiry that was not yet retrieved discards that expiry: exactly one
     * event follows, ≥ one interval after the re-add. One-shot 1 ms (NOTE_USECONDS 1000) timers,
     * re-added after busy-waits of 500 – 1500 µs, three times each.
     */
    @Test
    void TM_27_readdDiscardsUnretrievedExpiry() throws Exception {
        try (Q q = Q.open()) {
            for (long delayMicros = 500; delayMicros <= 1500; delayMicros += 250) {
                for (int rep = 0; rep < 3; rep++) {
                    long ident = delayMicros * 10 + rep;
                    q.apply(ident, EVFILT_TIMER, EV_ADD | EV_ONESHOT, NOTE_USECONDS, 1000);
                    TmMtRsKit.spin(delayMicros * 1000);
                    long tReadd = System.nanoTime();
                    q.apply(ident, EVFILT_TIMER, EV_ADD | EV_ONESHOT, NOTE_USECONDS, 1000);
                    List<KEvent> got = awaitDue(q, tReadd, MS);
                    long t1 = System.nanoTime();
                    assertEquals(1, got.size(), "delay " + delayMicros + " µs: one event: " + got);
                    assertEquals(ident, got.get(0).ident());
                    assertNotEarly(tReadd, t1, MS, "delay " + delayMicros + " µs: event after the re-add");
                    assertEquals(List.of(), q.wait(NO_EVENT_WAIT), "delay " + delayMicros + " µs: exactly one event");
                }
            }
        }
    }

    /**
     * TM-28: a re-add replaces the unit rather than OR-ing it: NOTE_NSECONDS 1 h re-added with no
     * unit and data = 100 fires within 1 s, and not before 100 ms (OR-ing would keep nanoseconds).
     */
    @Test
    void TM_28_readdReplacesUnit() throws Exception {
        try (Q q = Q.open()) {
            q.apply(1, EVFILT_TIMER, EV_ADD, NOTE_NSECONDS, 3600 * S);
            long t0 = System.nanoTime();
            q.apply(1, EVFILT_TIMER, EV_ADD, 0, 100);
            List<KEvent> got = q.waitUntil(t0 + S);
            long t1 = System.nanoTime();
            assertEquals(1, got.size(), "fires within 1 s: " + got);
            assertNotEarly(t0, t1, 100 * MS, "100 ms after the re-add");
        }
    }

    /** TM-29: a relative timer (1 h) re-added with NOTE_ABSTIME and a deadline 200 ms ahead fires within 1 s. */
    @Test
    void TM_29_relativeReaddedAsAbsolute() throws Exception {
        try (Q q = Q.open()) {
            q.apply(1, EVFILT_TIMER, EV_ADD, NOTE_SECONDS, 3600);
            long t0 = System.nanoTime();
            long deadlineMicros = TmMtRsKit.realtimeNanos() / 1000 + 200_000;
            q.apply(1, EVFILT_TIMER, EV_ADD, NOTE_ABSTIME | NOTE_USECONDS, deadlineMicros);
            List<KEvent> got = q.waitUntil(t0 + S);
            long t1 = System.nanoTime();
            assertEquals(1, got.size(), "fires within 1 s: " + got);
            assertNotEarly(t0, t1, 200 * MS, "absolute deadline");
        }
    }

    /**
     * TM-30: a re-add with invalid parameters (data = −1) on an existing timer does not fail the
     * call; the knote is returned as an event with EV_ERROR in flags and data = EINVAL.
     */
    @Test
    void TM_30_invalidReaddReportsErrorAsEvent() throws Exception {
        try (Q q = Q.open()) {
            q.apply(1, EVFILT_TIMER, EV_ADD, NOTE_SECONDS, 3600);
            assertEquals(0, q.apply(1, EVFILT_TIMER, EV_ADD, 0, -1), "the call does not fail");
            List<KEvent> got = q.poll();
            assertEquals(1, got.size(), "the knote is returned: " + got);
            KEvent e = got.get(0);
            assertEquals(1, e.ident());
            assertEquals(EVFILT_TIMER, e.filter());
            assertEquals(EV_ERROR, e.flags() & EV_ERROR, "EV_ERROR in flags: " + e);
            assertEquals(Errno.EINVAL.value(), e.data(), "data = EINVAL: " + e);
        }
    }

    /** TM-31: a periodic timer re-added with EV_ONESHOT stays periodic (sticky flags, FL-04) and takes the new period. */
    @Test
    void TM_31_periodicReaddedOneshotStaysPeriodic() throws Exception {
        try (Q q = Q.open()) {
            q.apply(1, EVFILT_TIMER, EV_ADD, NOTE_SECONDS, 3600);
            long t0 = System.nanoTime();
            q.apply(1, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 100);
            for (int k = 1; k <= 2; k++) {
                List<KEvent> got = awaitDue(q, t0, k * 100 * MS);
                long t1 = System.nanoTime();
                assertEquals(1, got.size(), "event " + k + " (new period 100 ms): " + got);
                assertNotEarly(t0, t1, k * 100 * MS, "expiry " + k);
                assertEquals(0, got.get(0).flags() & EV_ONESHOT, "no EV_ONESHOT: " + got);
            }
            assertEquals(0, q.apply(1, EVFILT_TIMER, EV_DELETE, 0, 0), "the knote still exists");
        }
    }

    /**
     * TM-32: EV_DISPATCH, 200 ms period: first event {flags=EV_CLEAR+EV_DISPATCH, data=1}; no event
     * for the next 500 ms; the expiries meanwhile are counted, so EV_ENABLE makes the next poll return
     * at once with data = 2 or 3.
     */
    @Test
    void TM_32_dispatchCountsExpiriesWhileDisabled() throws Exception {
        try (Q q = Q.open()) {
            long t0 = System.nanoTime();
            q.apply(1, EVFILT_TIMER, EV_ADD | EV_DISPATCH, 0, 200);
            List<KEvent> first = awaitDue(q, t0, 200 * MS);
            assertEquals(1, first.size(), "first event: " + first);
            assertNotEarly(t0, System.nanoTime(), 200 * MS, "first expiry");
            assertEvent(first.get(0), 1, EVFILT_TIMER, EV_CLEAR | EV_DISPATCH, 0, 1);
            assertEquals(List.of(), q.wait(Duration.ofMillis(500)), "no event while disabled");
            q.apply(1, EVFILT_TIMER, EV_ENABLE, 0, 0);
            List<KEvent> got = q.poll();
            assertEquals(1, got.size(), "returned at once after EV_ENABLE: " + got);
            assertTrue(got.get(0).data() == 2 || got.get(0).data() == 3, "data 2 or 3: " + got);
        }
    }

    /**
     * TM-33: timer idents are their own namespace: ident 0, an ident equal to an open descriptor
     * number (with an EVFILT_READ knote on that descriptor) and 2⁶⁴−1 all register and fire
     * independently of descriptor filters.
     */
    @Test
    void TM_33_timerIdentsAreOwnNamespace() throws Exception {
        int[] pipe = Os.pipe();
        try (Q q = Q.open()) {
            int fd = pipe[0];
            q.apply(fd, EVFILT_READ, EV_ADD, 0, 0, 99);
            long[] idents = {0, fd, -1L};
            long t0 = System.nanoTime();
            for (int i = 0; i < idents.length; i++) {
                q.apply(idents[i], EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 50, 1000 + i);
            }
            Map<Long, KEvent> timers = new HashMap<>();
            List<KEvent> others = new ArrayList<>();
            while (timers.size() < 3 && System.nanoTime() - (t0 + 50 * MS + LATE_NANOS) < 0) {
                List<KEvent> got = q.waitUntil(t0 + 50 * MS + LATE_NANOS);
                long now = System.nanoTime();
                for (KEvent e : got) {
                    if (e.filter() == EVFILT_TIMER) {
                        assertNotEarly(t0, now, 50 * MS, "timer " + Long.toUnsignedString(e.ident()));
                        assertEquals(null, timers.put(e.ident(), e), "one event per timer: " + e);
                    } else {
                        others.add(e);
                    }
                }
            }
            assertEquals(List.of(), others, "no descriptor event without data");
            for (int i = 0; i < idents.length; i++) {
                KEvent e = timers.get(idents[i]);
                assertTrue(e != null, "timer ident " + Long.toUnsignedString(idents[i]) + " fired: " + timers);
                assertEquals(1000 + i, e.udata(), "its own udata: " + e);
            }
            Os.write(pipe[1], 1);
            List<KEvent> rd = q.poll();
            assertEquals(1, rd.size(), "the read knote is untouched: " + rd);
            assertEquals(EVFILT_READ, rd.get(0).filter());
            assertEquals(fd, rd.get(0).ident());
            assertEquals(99, rd.get(0).udata());
        } finally {
            Os.closeQuietly(pipe);
        }
    }

    /**
     * TM-34: no timer fires early: for each unit (none, NOTE_SECONDS, NOTE_MSECONDS, NOTE_USECONDS,
     * NOTE_NSECONDS) and several intervals, CLOCK_MONOTONIC time from registration to delivery is
     * ≥ the interval.
     */
    @Test
    void TM_34_noTimerFiresEarly() throws Exception {
        long[][] cases = { // fflags, data, interval in ns
            {0, 1, MS}, {0, 7, 7 * MS}, {0, 33, 33 * MS},
            {NOTE_SECONDS, 1, S},
            {NOTE_MSECONDS, 1, MS}, {NOTE_MSECONDS, 13, 13 * MS}, {NOTE_MSECONDS, 250, 250 * MS},
            {NOTE_USECONDS, 1, 1000}, {NOTE_USECONDS, 777, 777_000}, {NOTE_USECONDS, 40_001, 40_001_000},
            {NOTE_NSECONDS, 1, 1}, {NOTE_NSECONDS, 500_001, 500_001}, {NOTE_NSECONDS, 12_345_678, 12_345_678},
        };
        try (Q q = Q.open()) {
            long[] registered = new long[cases.length];
            long[] delivered = new long[cases.length];
            for (int i = 0; i < cases.length; i++) {
                registered[i] = System.nanoTime();
                q.apply(i, EVFILT_TIMER, EV_ADD | EV_ONESHOT, (int) cases[i][0], cases[i][1]);
            }
            long deadline = registered[0] + S + LATE_NANOS;
            int got = 0;
            while (got < cases.length && System.nanoTime() - deadline < 0) {
                List<KEvent> events = q.waitUntil(deadline);
                long now = System.nanoTime();
                for (KEvent e : events) {
                    int i = (int) e.ident();
                    assertEquals(0, delivered[i], "one-shot timer " + i + " delivered twice");
                    delivered[i] = now;
                    got++;
                }
            }
            for (int i = 0; i < cases.length; i++) {
                String what = "fflags " + hex((int) cases[i][0]) + " data " + cases[i][1];
                assertTrue(delivered[i] != 0, what + " fired");
                assertNotEarly(registered[i], delivered[i], cases[i][2], what);
            }
        }
    }

    /**
     * TM-35: 4000 timers in one kqueue register and fire without consuming any additional
     * descriptor: the process's descriptor count after registration and after delivery equals the
     * count with the kqueue open and holding no timer.
     */
    @Test
    void TM_35_fourThousandTimersUseNoDescriptor() throws Exception {
        int n = 4000;
        try (Q warm = Q.open()) { // load every class on the path once
            warm.apply(1, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 0);
            warm.poll();
        }
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(n);
             KEventList events = KEventList.allocate(n)) {
            int before = Os.fdCount();
            for (int i = 0; i < n; i++) {
                changes.set(i, i, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 100 + i % 100, 0);
            }
            long t0 = System.nanoTime();
            kq.kevent(changes, n, null, 0, Duration.ZERO);
            assertEquals(before, Os.fdCount(), "descriptors after registering 4000 timers");
            boolean[] seen = new boolean[n];
            int got = 0;
            long deadline = t0 + 200 * MS + LATE_NANOS;
            while (got < n && System.nanoTime() - deadline < 0) {
                int k = kq.kevent(null, 0, events, n, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                long now = System.nanoTime();
                for (int j = 0; j < k; j++) {
                    int id = (int) events.ident(j);
                    assertTrue(!seen[id], "timer " + id + " once");
                    assertNotEarly(t0, now, (100 + id % 100) * MS, "timer " + id);
                    seen[id] = true;
                    got++;
                }
            }
            assertEquals(n, got, "every timer fired");
            assertEquals(before, Os.fdCount(), "descriptors after delivery");
        }
    }

    /**
     * TM-36: registering more timers than the limit → ENOMEM. The project's limit is the
     * process-wide {@link KQueue#setMaxTimers(int)}; it is set to 10 and restored afterwards.
     */
    @Test
    void TM_36_timerLimitGivesEnomem() throws Exception {
        int old = KQueue.maxTimers();
        KQueue.setMaxTimers(10);
        try (Q q = Q.open()) {
            for (int i = 0; i < 10; i++) {
                q.apply(i, EVFILT_TIMER, EV_ADD, NOTE_SECONDS, 3600);
            }
            assertEquals(Errno.ENOMEM, q.thrown(10, EVFILT_TIMER, EV_ADD, NOTE_SECONDS, 3600));
            assertEquals(Errno.ENOMEM, q.errorEntry(10, EVFILT_TIMER, EV_ADD, NOTE_SECONDS, 3600));
        } finally {
            KQueue.setMaxTimers(old);
        }
    }
}
