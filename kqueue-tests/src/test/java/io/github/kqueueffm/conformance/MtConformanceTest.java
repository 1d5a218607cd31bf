package io.github.kqueueffm.conformance;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.tests.support.Os;
import io.github.kqueueffm.tests.support.StandardActivation;
import io.github.kqueueffm.tests.support.TmMtRsKit;
import io.github.kqueueffm.tests.support.TmMtRsKit.Q;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_DISABLE;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.NOTE_TRIGGER;
import static io.github.kqueueffm.tests.support.TmMtRsKit.LATE_NANOS;
import static io.github.kqueueffm.tests.support.TmMtRsKit.NO_EVENT_WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Conformance rows MT (docs/conformance.md#mt): several threads on one kqueue. Bracketed rows run
 * with the standard activations of docs/conformance.md#s1.4 for every listed filter: US, TM, SG,
 * VN, PR, RD, WR. Every thread is joined with a timeout; a thread still blocked then is released by
 * closing the kqueue (which wakes every waiter, docs/conformance.md#s3.4) and the test fails.
 */
class MtConformanceTest {
    private static final long MS = 1_000_000L;
    private static final long STOP = 1_000_000;

    /** Runs {@code body} on a new platform thread, recording the first failure in {@code error}. */
    private static Thread start(String name, AtomicReference<Throwable> error, ThrowingRunnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                error.compareAndSet(null, e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Joins every thread within {@code millis}; on a hang closes the kqueue to release them and fails. */
    private static void joinAll(List<Thread> threads, long millis, KQueue kq) {
        long end = System.nanoTime() + millis * MS;
        List<String> hung = new ArrayList<>();
        for (Thread t : threads) {
            if (!TmMtRsKit.join(t, Math.max(1, (end - System.nanoTime()) / MS))) {
                hung.add(t.getName());
            }
        }
        if (!hung.isEmpty()) {
            kq.close();
            for (Thread t : threads) {
                TmMtRsKit.join(t, 2000);
            }
            fail("threads did not terminate within " + millis + " ms: " + hung);
        }
    }

    private static void assertNoError(AtomicReference<Throwable> error) {
        Throwable e = error.get();
        if (e != null) {
            throw new AssertionError("a thread failed: " + e, e);
        }
    }

    /**
     * MT-01: [US TM SG VN PR RD WR] four threads blocked in kevent() (NULL timeout, nevents = 8) on
     * one kqueue holding one EV_CLEAR/one-shot knote: one activation is returned to exactly one
     * thread, exactly once; a stop knote (EVFILT_USER without EV_CLEAR, returned to every call) then
     * releases all. The standard knote of docs/conformance.md#s1.4 ({@link StandardActivation};
     * EV_CLEAR is given to every tag but US, which has it, and TM, which is one-shot — SG and PR
     * knotes carry it anyway, and PR becomes one-shot at the exit) is registered once the threads
     * are blocked, then the standard activation runs.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = StandardActivation.class, names = {"US", "TM", "SG", "VN", "PR", "RD", "WR"})
    void MT_01_oneActivationGoesToExactlyOneThread(StandardActivation tag) throws Exception {
        try (Q q = Q.open(); StandardActivation.Fixture f = tag.open()) {
            q.apply(STOP, EVFILT_USER, EV_ADD, 0, 0);
            long ident = f.ident();
            short filter = f.filter();
            AtomicIntegerArray hits = new AtomicIntegerArray(4);
            AtomicReference<Throwable> error = new AtomicReference<>();
            CountDownLatch entered = new CountDownLatch(4);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int me = t;
                threads.add(start("mt01-" + t, error, () -> {
                    try (KEventList ev = KEventList.allocate(8)) {
                        entered.countDown();
                        while (true) {
                            int n = q.kq.kevent(null, 0, ev, 8, null);
                            boolean stop = false;
                            for (int j = 0; j < n; j++) {
                                if (ev.filter(j) == filter && ev.ident(j) == ident) {
                                    hits.incrementAndGet(me);
                                } else if (ev.filter(j) == EVFILT_USER && ev.ident(j) == STOP) {
                                    stop = true;
                                }
                            }
                            if (stop) {
                                return;
                            }
                        }
                    }
                }));
            }
            assertTrue(entered.await(2, TimeUnit.SECONDS), "threads started");
            TmMtRsKit.sleep(100); // let them block
            boolean clearOrOneshot = (f.standardFlags() & (EV_CLEAR | EV_ONESHOT)) != 0;
            f.add(q.kq, clearOrOneshot ? 0 : EV_CLEAR, 0);
            f.activate(q.kq);
            TmMtRsKit.sleep(200); // room for a second, wrong delivery
            q.apply(STOP, EVFILT_USER, 0, NOTE_TRIGGER, 0);
            joinAll(threads, 5000, q.kq);
            assertNoError(error);
            int total = 0;
            int receivers = 0;
            for (int t = 0; t < 4; t++) {
                total += hits.get(t);
                receivers += hits.get(t) > 0 ? 1 : 0;
            }
            assertEquals(1, total, "the activation is returned exactly once: " + hits);
            assertEquals(1, receivers, "to exactly one thread: " + hits);
        }
    }

    /**
     * MT-02: [US TM SG VN PR RD WR] four threads poll in a loop (50 ms timeouts) while a fifth adds,
     * activates and deletes the standard knote of docs/conformance.md#s1.4 200 times (round i with
     * udata i): no error, and no thread receives an event for a knote whose EV_DELETE had returned
     * before that thread's call began. RD is drained after each delete. TM deviates from
     * docs/conformance.md#s1.4 for time's sake (200 rounds of 150 ms would take 30 s): a periodic
     * 1 ms timer, deleted after about 2 ms, so it fires in most rounds. PR watches a fresh gated
     * child in each round (a process exits once, {@link StandardActivation.Fixture#renew()}); its
     * knote is gone once a poller took the exit (EV_ONESHOT), so its EV_DELETE may fail with
     * ENOENT, which also means that no event can follow.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = StandardActivation.class, names = {"US", "TM", "SG", "VN", "PR", "RD", "WR"})
    void MT_02_noEventAfterDeleteReturned(StandardActivation tag) throws Exception {
        try (Q q = Q.open(); StandardActivation.Fixture f = tag.open()) {
            AtomicLong deletedUpTo = new AtomicLong();
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<String> stale = new ConcurrentLinkedQueue<>();
            AtomicReference<Throwable> error = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(start("mt02-poller-" + t, error, () -> {
                    try (KEventList ev = KEventList.allocate(8)) {
                        while (!done.get()) {
                            long deleted = deletedUpTo.get();
                            int n = q.kq.kevent(null, 0, ev, 8, Duration.ofMillis(50));
                            for (int j = 0; j < n; j++) {
                                long u = ev.udata(j);
                                if (u > 0 && u <= deleted) {
                                    stale.add(ev.get(j) + " in a call begun after EV_DELETE of round " + deleted);
                                }
                            }
                        }
                    }
                }));
            }
            threads.add(start("mt02-changer", error, () -> {
                try (KEventList ch = KEventList.allocate(1)) {
                    for (long i = 1; i <= 200; i++) {
                        if (tag == StandardActivation.TM) {
                            apply(q.kq, ch, f.ident(), EVFILT_TIMER, EV_ADD, 0, 1, i);
                            Thread.sleep(2);
                        } else {
                            f.renew();
                            f.add(q.kq, 0, i);
                            f.activate(q.kq);
                            Thread.sleep(1);
                        }
                        try {
                            f.apply(q.kq, EV_DELETE, 0);
                        } catch (KQueueException e) {
                            if (tag != StandardActivation.PR || e.errno() != Errno.ENOENT) {
                                throw e;
                            }
                        }
                        deletedUpTo.set(i);
                        f.drain();
                    }
                } finally {
                    done.set(true);
                }
            }));
            // 200 rounds take 0.4–5 s alone; the hang detector leaves room for a loaded 2-core CI
            joinAll(threads, 30_000, q.kq);
            assertNoError(error);
            assertEquals(List.of(), new ArrayList<>(stale), "events of knotes deleted before the call");
        }
    }

    private static void apply(KQueue kq, KEventList ch, long ident, short filter, int flags, int fflags,
            long data, long udata) throws KQueueException {
        ch.set(0, ident, filter, flags, fflags, data, udata);
        kq.kevent(ch, 1, null, 0, Duration.ZERO);
    }

    /** MT-03: a thread blocked with a 5 s timeout is woken by a NOTE_TRIGGER from another thread within 1 s. */
    @Test
    void MT_03_triggerFromAnotherThreadWakesWaiter() throws Exception {
        try (Q q = Q.open()) {
            q.apply(1, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0);
            AtomicReference<Throwable> error = new AtomicReference<>();
            CountDownLatch entered = new CountDownLatch(1);
            AtomicLong returnedAt = new AtomicLong();
            AtomicLong count = new AtomicLong(-1);
            Thread a = start("mt03", error, () -> {
                try (KEventList ev = KEventList.allocate(1)) {
                    entered.countDown();
                    count.set(q.kq.kevent(null, 0, ev, 1, Duration.ofSeconds(5)));
                    returnedAt.set(System.nanoTime());
                }
            });
            assertTrue(entered.await(2, TimeUnit.SECONDS));
            TmMtRsKit.sleep(200);
            long triggered = System.nanoTime();
            q.apply(1, EVFILT_USER, 0, NOTE_TRIGGER, 0);
            joinAll(List.of(a), 6000, q.kq);
            assertNoError(error);
            assertEquals(1, count.get(), "the waiter returned the event");
            assertTrue(returnedAt.get() - triggered < 1000 * MS,
                    "woken within 1 s: " + (returnedAt.get() - triggered) / MS + " ms");
        }
    }

    private static void closeWakesBlockedThreads(int nThreads) throws Exception {
        try (Q q = Q.open()) {
            AtomicReference<Throwable> error = new AtomicReference<>();
            CountDownLatch entered = new CountDownLatch(nThreads);
            ConcurrentLinkedQueue<Object> outcomes = new ConcurrentLinkedQueue<>();
            AtomicLong lastReturn = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < nThreads; t++) {
                threads.add(start("mt-close-" + t, error, () -> {
                    try (KEventList ev = KEventList.allocate(8)) {
                        entered.countDown();
                        try {
                            outcomes.add("returned " + q.kq.kevent(null, 0, ev, 8, null));
                        } catch (KQueueException e) {
                            outcomes.add(e.errno());
                        }
                        lastReturn.accumulateAndGet(System.nanoTime(), Math::max);
                    }
                }));
            }
            assertTrue(entered.await(2, TimeUnit.SECONDS));
            TmMtRsKit.sleep(200);
            long closed = System.nanoTime();
            q.kq.close();
            for (Thread t : threads) {
                TmMtRsKit.join(t, Math.max(1, 2000 - (System.nanoTime() - closed) / MS));
            }
            List<String> hung = threads.stream().filter(Thread::isAlive).map(Thread::getName).toList();
            assertEquals(List.of(), hung, "threads still blocked 2 s after close");
            assertNoError(error);
            List<Object> expected = new ArrayList<>();
            for (int t = 0; t < nThreads; t++) {
                expected.add(Errno.EBADF);
            }
            assertEquals(expected, new ArrayList<>(outcomes), "every blocked call fails with EBADF");
            assertTrue(lastReturn.get() - closed < 1000 * MS,
                    "within 1 s of close: " + (lastReturn.get() - closed) / MS + " ms");
            KQueueException later = org.junit.jupiter.api.Assertions.assertThrows(KQueueException.class,
                    () -> q.kq.kevent(null, 0, q.ev, 1, Duration.ZERO));
            assertEquals(Errno.EBADF, later.errno(), "later calls fail with EBADF");
        }
    }

    /**
     * MT-04: closing the kqueue while another thread is blocked in kevent() (NULL timeout) makes
     * that call fail with EBADF within 1 s; later calls fail with EBADF. (FreeBSD leaves the thread
     * asleep; this is the project's behaviour, docs/conformance.md#s3.4.)
     */
    @Test
    void MT_04_closeWakesBlockedThreadWithEbadf() throws Exception {
        closeWakesBlockedThreads(1);
    }

    /** MT-05: same as MT-04 with eight blocked threads: all eight return EBADF, none hangs. */
    @Test
    void MT_05_closeWakesEightBlockedThreads() throws Exception {
        closeWakesBlockedThreads(8);
    }

    /**
     * MT-06: four threads polling; 200 EV_ONESHOT user knotes added, triggered and deleted in turn
     * (the delete may find the knote already delivered: ENOENT): each triggered knote is returned at
     * most once across all threads.
     */
    @Test
    void MT_06_oneshotReturnedAtMostOnce() throws Exception {
        int n = 200;
        try (Q q = Q.open()) {
            AtomicIntegerArray seen = new AtomicIntegerArray(n);
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> error = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(start("mt06-" + t, error, () -> {
                    try (KEventList ev = KEventList.allocate(8)) {
                        while (!done.get()) {
                            int k = q.kq.kevent(null, 0, ev, 8, Duration.ofMillis(50));
                            for (int j = 0; j < k; j++) {
                                if (ev.filter(j) == EVFILT_USER && ev.ident(j) >= 0 && ev.ident(j) < n) {
                                    seen.incrementAndGet((int) ev.ident(j));
                                }
                            }
                        }
                    }
                }));
            }
            try {
                for (int i = 0; i < n; i++) {
                    q.apply(i, EVFILT_USER, EV_ADD | EV_ONESHOT, 0, 0);
                    q.apply(i, EVFILT_USER, 0, NOTE_TRIGGER, 0);
                    TmMtRsKit.spin((i % 4) * 250_000L);
                    q.ch.set(0, i, EVFILT_USER, EV_DELETE, 0, 0, 0);
                    int r = q.kq.kevent(q.ch, 1, q.ev, 1, Duration.ZERO);
                    if (r == 1) {
                        assertEquals(EV_ERROR, q.ev.flags(0), "delete entry " + q.ev.get(0));
                        assertEquals(Errno.ENOENT.value(), q.ev.data(0), "only a delivered knote is missing");
                    }
                }
                TmMtRsKit.sleep(100);
            } finally {
                done.set(true);
            }
            joinAll(threads, 5000, q.kq);
            assertNoError(error);
            int total = 0;
            for (int i = 0; i < n; i++) {
                assertTrue(seen.get(i) <= 1, "knote " + i + " returned " + seen.get(i) + " times");
                total += seen.get(i);
            }
            assertTrue(total > 0, "the polling threads received some of the triggered knotes");
        }
    }

    /**
     * MT-07: three threads repeatedly open pipes and socketpairs, register EVFILT_READ on one end and
     * EVFILT_WRITE on the other (unique udata each), write a byte and close both ends without
     * EV_DELETE, while another thread polls: no event is ever reported under an identity the number
     * no longer had when the returning call began (i.e. with the udata of a registration whose
     * descriptor was closed before that call started).
     */
    @Test
    void MT_07_noEventForReusedDescriptorIdentity() throws Exception {
        try (Q q = Q.open()) {
            AtomicLong uid = new AtomicLong();
            AtomicLong closeSeq = new AtomicLong();
            Map<Long, Long> closedAt = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<String> stale = new ConcurrentLinkedQueue<>();
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> error = new AtomicReference<>();
            List<Thread> workers = new ArrayList<>();
            long end = System.nanoTime() + 500 * MS;
            for (int t = 0; t < 3; t++) {
                workers.add(start("mt07-worker-" + t, error, () -> {
                    try (KEventList ch = KEventList.allocate(2)) {
                        for (int iter = 0; System.nanoTime() - end < 0; iter++) {
                            long u1 = uid.incrementAndGet();
                            long u2 = uid.incrementAndGet();
                            int[] p = iter % 2 == 0 ? Os.pipe() : Os.socketpair();
                            ch.set(0, p[0], EVFILT_READ, EV_ADD, 0, 0, u1);
                            ch.set(1, p[1], EVFILT_WRITE, EV_ADD, 0, 0, u2);
                            q.kq.kevent(ch, 2, null, 0, Duration.ZERO);
                            Os.write(p[1], 1);
                            Thread.yield();
                            Os.close(p[0]);
                            Os.close(p[1]);
                            long s = closeSeq.incrementAndGet();
                            closedAt.put(u1, s);
                            closedAt.put(u2, s);
                        }
                    }
                }));
            }
            Thread poller = start("mt07-poller", error, () -> {
                try (KEventList ev = KEventList.allocate(16)) {
                    while (!done.get()) {
                        long before = closeSeq.get();
                        int n = q.kq.kevent(null, 0, ev, 16, Duration.ofMillis(10));
                        for (int j = 0; j < n; j++) {
                            Long c = closedAt.get(ev.udata(j));
                            if (c != null && c <= before) {
                                stale.add(ev.get(j).toString());
                            }
                        }
                    }
                }
            });
            joinAll(workers, 5000, q.kq);
            done.set(true);
            joinAll(List.of(poller), 2000, q.kq);
            assertNoError(error);
            assertTrue(uid.get() > 100, "enough registrations: " + uid.get() / 2);
            assertEquals(List.of(), new ArrayList<>(stale), "events under a closed descriptor's identity");
        }
    }

    /**
     * MT-08: NOTE_TRIGGER from one thread racing EV_DELETE from another (500 rounds): each trigger
     * succeeds or fails with ENOENT, and no event appears after both have returned.
     */
    @Test
    void MT_08_triggerRacingDelete() throws Exception {
        int rounds = 500;
        try (Q q = Q.open()) {
            CyclicBarrier go = new CyclicBarrier(3);
            CyclicBarrier finished = new CyclicBarrier(3);
            AtomicReference<Throwable> error = new AtomicReference<>();
            ConcurrentLinkedQueue<String> bad = new ConcurrentLinkedQueue<>();
            Thread trigger = start("mt08-trigger", error, () -> {
                try (KEventList ch = KEventList.allocate(1)) {
                    for (int r = 0; r < rounds; r++) {
                        go.await(5, TimeUnit.SECONDS);
                        ch.set(0, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
                        try {
                            q.kq.kevent(ch, 1, null, 0, Duration.ZERO);
                        } catch (KQueueException e) {
                            if (e.errno() != Errno.ENOENT) {
                                bad.add("trigger round " + r + " failed with " + e.errno());
                            }
                        }
                        finished.await(5, TimeUnit.SECONDS);
                    }
                }
            });
            Thread deleter = start("mt08-delete", error, () -> {
                try (KEventList ch = KEventList.allocate(1)) {
                    for (int r = 0; r < rounds; r++) {
                        go.await(5, TimeUnit.SECONDS);
                        ch.set(0, 1, EVFILT_USER, EV_DELETE, 0, 0, 0);
                        q.kq.kevent(ch, 1, null, 0, Duration.ZERO);
                        finished.await(5, TimeUnit.SECONDS);
                    }
                }
            });
            for (int r = 0; r < rounds && error.get() == null; r++) {
                q.apply(1, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0);
                go.await(5, TimeUnit.SECONDS);
                finished.await(5, TimeUnit.SECONDS);
                List<KEvent> after = q.poll();
                if (!after.isEmpty()) {
                    bad.add("round " + r + ": event after both returned: " + after);
                }
            }
            joinAll(List.of(trigger, deleter), 5000, q.kq);
            assertNoError(error);
            assertEquals(List.of(), new ArrayList<>(bad));
        }
    }

    /**
     * MT-09: four threads for 500 ms each create a pipe and a kqueue, add EVFILT_WRITE on the write
     * end, delete it and close everything: no error, and the descriptor count returns to its start.
     */
    @Test
    void MT_09_createRegisterCloseFromFourThreads() throws Exception {
        ThrowingRunnable cycle = () -> {
            int[] p = Os.pipe();
            try (KQueue kq = KQueue.open(); KEventList ch = KEventList.allocate(1)) {
                apply(kq, ch, p[1], EVFILT_WRITE, EV_ADD, 0, 0, 0);
                apply(kq, ch, p[1], EVFILT_WRITE, EV_DELETE, 0, 0, 0);
            } finally {
                Os.close(p[0]);
                Os.close(p[1]);
            }
        };
        cycle.run(); // warm-up
        int before = Os.fdCount();
        AtomicReference<Throwable> error = new AtomicReference<>();
        long end = System.nanoTime() + 500 * MS;
        AtomicLong cycles = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(start("mt09-" + t, error, () -> {
                while (System.nanoTime() - end < 0) {
                    cycle.run();
                    cycles.incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) {
            if (!TmMtRsKit.join(t, 5000)) {
                fail("thread " + t.getName() + " did not terminate");
            }
        }
        assertNoError(error);
        assertTrue(cycles.get() >= 4, "cycles ran: " + cycles.get());
        assertEquals(before, Os.fdCount(), "descriptor count after " + cycles.get() + " cycles");
    }

    /**
     * MT-10: four threads for 500 ms add and delete 1 ms periodic timers (32 idents, 8 per thread) on
     * one kqueue: no error, and no leaked timer: after all are deleted a poll and a 100 ms wait
     * return 0.
     */
    @Test
    void MT_10_timerAddDeleteFromFourThreads() throws Exception {
        try (Q q = Q.open()) {
            AtomicReference<Throwable> error = new AtomicReference<>();
            long end = System.nanoTime() + 500 * MS;
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int base = t * 8;
                threads.add(start("mt10-" + t, error, () -> {
                    try (KEventList ch = KEventList.allocate(1)) {
                        for (int i = 0; System.nanoTime() - end < 0; i++) {
                            long ident = base + i % 8;
                            apply(q.kq, ch, ident, EVFILT_TIMER, EV_ADD, 0, 1, 0);
                            TmMtRsKit.spin((i % 5) * 200_000L);
                            apply(q.kq, ch, ident, EVFILT_TIMER, EV_DELETE, 0, 0, 0);
                        }
                    }
                }));
            }
            joinAll(threads, 5000, q.kq);
            assertNoError(error);
            assertEquals(List.of(), q.poll(), "final poll");
            assertEquals(List.of(), q.wait(NO_EVENT_WAIT), "no timer keeps firing");
        }
    }

    /**
     * MT-11: four threads add/trigger/delete user knotes over 16 idents (4 per thread) for 800
     * rounds each while one thread drains with 1 ms timeouts: no error.
     */
    @Test
    void MT_11_userKnoteStressWithDrainer() throws Exception {
        try (Q q = Q.open()) {
            AtomicReference<Throwable> error = new AtomicReference<>();
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong drained = new AtomicLong();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int base = t * 4;
                workers.add(start("mt11-" + t, error, () -> {
                    try (KEventList ch = KEventList.allocate(1)) {
                        for (int r = 0; r < 800; r++) {
                            long ident = base + r % 4;
                            apply(q.kq, ch, ident, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 0);
                            apply(q.kq, ch, ident, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
                            apply(q.kq, ch, ident, EVFILT_USER, EV_DELETE, 0, 0, 0);
                        }
                    }
                }));
            }
            Thread drainer = start("mt11-drain", error, () -> {
                try (KEventList ev = KEventList.allocate(16)) {
                    while (!done.get()) {
                        drained.addAndGet(q.kq.kevent(null, 0, ev, 16, Duration.ofMillis(1)));
                    }
                }
            });
            joinAll(workers, 10_000, q.kq);
            done.set(true);
            joinAll(List.of(drainer), 2000, q.kq);
            assertNoError(error);
        }
    }

    /**
     * MT-12: thread A blocks with a NULL timeout; thread B adds a 50 ms one-shot timer; A returns
     * that timer's event ≥ 50 ms after B's change (and within the 250 ms lateness allowance).
     */
    @Test
    void MT_12_changeFromOtherThreadAppliesToRunningWait() throws Exception {
        try (Q q = Q.open()) {
            AtomicReference<Throwable> error = new AtomicReference<>();
            CountDownLatch entered = new CountDownLatch(1);
            AtomicReference<KEvent> got = new AtomicReference<>();
            AtomicLong returnedAt = new AtomicLong();
            Thread a = start("mt12-A", error, () -> {
                try (KEventList ev = KEventList.allocate(1)) {
                    entered.countDown();
                    int n = q.kq.kevent(null, 0, ev, 1, null);
                    returnedAt.set(System.nanoTime());
                    if (n == 1) {
                        got.set(ev.get(0));
                    }
                }
            });
            assertTrue(entered.await(2, TimeUnit.SECONDS));
            TmMtRsKit.sleep(100);
            long added = System.nanoTime();
            q.apply(7, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 50);
            joinAll(List.of(a), 2000, q.kq);
            assertNoError(error);
            KEvent e = got.get();
            assertTrue(e != null && e.ident() == 7 && e.filter() == EVFILT_TIMER, "A returned the timer: " + e);
            long elapsed = returnedAt.get() - added;
            assertTrue(elapsed >= 50 * MS, "not early: " + elapsed / 1000 + " µs");
            assertTrue(elapsed <= 50 * MS + LATE_NANOS, "late by at most 250 ms: " + elapsed / MS + " ms");
        }
    }

    /** MT-13: EV_DISABLE by thread B stops an event already queued from being returned to a later call by thread A. */
    @Test
    void MT_13_disableFromOtherThreadDequeues() throws Exception {
        try (Q q = Q.open()) {
            q.apply(1, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0);
            q.apply(1, EVFILT_USER, 0, NOTE_TRIGGER, 0);
            AtomicReference<Throwable> error = new AtomicReference<>();
            Thread b = start("mt13-B", error, () -> {
                try (KEventList ch = KEventList.allocate(1)) {
                    apply(q.kq, ch, 1, EVFILT_USER, EV_DISABLE, 0, 0, 0);
                }
            });
            joinAll(List.of(b), 2000, q.kq);
            AtomicLong count = new AtomicLong(-1);
            Thread a = start("mt13-A", error, () -> {
                try (KEventList ev = KEventList.allocate(4)) {
                    count.set(q.kq.kevent(null, 0, ev, 4, Duration.ZERO));
                }
            });
            joinAll(List.of(a), 2000, q.kq);
            assertNoError(error);
            assertEquals(0, count.get(), "A's poll returns nothing");
        }
    }

    /**
     * MT-14: thread B doing 10 000 EV_ADD/EV_DELETE pairs (two calls each) while thread A is blocked
     * with a NULL timeout never waits more than 100 ms for any one call.
     */
    @Test
    void MT_14_changesNotBlockedByWaiter() throws Exception {
        try (Q q = Q.open()) {
            q.apply(STOP, EVFILT_USER, EV_ADD, 0, 0);
            AtomicReference<Throwable> error = new AtomicReference<>();
            CountDownLatch entered = new CountDownLatch(1);
            Thread a = start("mt14-A", error, () -> {
                try (KEventList ev = KEventList.allocate(1)) {
                    entered.countDown();
                    q.kq.kevent(null, 0, ev, 1, null);
                }
            });
            assertTrue(entered.await(2, TimeUnit.SECONDS));
            TmMtRsKit.sleep(50);
            long worst = 0;
            try {
                for (int i = 0; i < 10_000; i++) {
                    long t0 = System.nanoTime();
                    q.apply(1, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0);
                    long t1 = System.nanoTime();
                    q.apply(1, EVFILT_USER, EV_DELETE, 0, 0);
                    long t2 = System.nanoTime();
                    worst = Math.max(worst, Math.max(t1 - t0, t2 - t1));
                }
                assertTrue(a.isAlive(), "A stayed blocked meanwhile");
            } finally {
                q.apply(STOP, EVFILT_USER, 0, NOTE_TRIGGER, 0);
                joinAll(List.of(a), 2000, q.kq);
            }
            assertNoError(error);
            assertTrue(worst <= 100 * MS, "longest call " + worst / MS + " ms");
        }
    }

    /**
     * MT-15: Java-only: kevent() with a NULL timeout called from virtual threads does not stop other
     * virtual threads from running: with the default scheduler parallelism P, 2×P virtual threads
     * all enter kevent() and block, and a further virtual thread still runs within 1 s.
     */
    @Test
    void MT_15_virtualThreadsBlockedInKeventDoNotStarveOthers() throws Exception {
        int parallelism = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                Runtime.getRuntime().availableProcessors());
        int blocked = 2 * parallelism;
        try (Q q = Q.open()) {
            q.apply(STOP, EVFILT_USER, EV_ADD, 0, 0);
            AtomicReference<Throwable> error = new AtomicReference<>();
            CountDownLatch entered = new CountDownLatch(blocked);
            CountDownLatch returned = new CountDownLatch(blocked);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < blocked; t++) {
                threads.add(Thread.ofVirtual().name("mt15-" + t).start(() -> {
                    try (KEventList ev = KEventList.allocate(1)) {
                        entered.countDown();
                        q.kq.kevent(null, 0, ev, 1, null);
                    } catch (Throwable e) {
                        error.compareAndSet(null, e);
                    } finally {
                        returned.countDown();
                    }
                }));
            }
            CountDownLatch ran = new CountDownLatch(1);
            boolean allEntered;
            boolean furtherRan;
            long enteredCount;
            try {
                allEntered = entered.await(2, TimeUnit.SECONDS);
                enteredCount = blocked - entered.getCount();
                TmMtRsKit.sleep(100); // let them block in kevent()
                Thread further = Thread.ofVirtual().name("mt15-further").start(ran::countDown);
                threads.add(further);
                furtherRan = ran.await(1, TimeUnit.SECONDS);
            } finally {
                q.apply(STOP, EVFILT_USER, 0, NOTE_TRIGGER, 0);
                if (!returned.await(2, TimeUnit.SECONDS)) {
                    q.kq.close(); // releases every waiter with EBADF
                }
                for (Thread t : threads) {
                    TmMtRsKit.join(t, 2000);
                }
            }
            assertTrue(allEntered, "all " + blocked + " virtual threads entered kevent() (parallelism "
                    + parallelism + ") within 2 s: " + enteredCount + " did");
            assertTrue(furtherRan, "a further virtual thread ran within 1 s");
            assertTrue(returned.getCount() == 0, "the blocked virtual threads returned after the stop knote");
            assertNull(error.get(), "no failure in the blocked virtual threads");
            assertTrue(threads.stream().noneMatch(Thread::isAlive), "all virtual threads ended");
        }
    }
}
