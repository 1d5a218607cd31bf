package io.github.kqueueffm.properties.robustness;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.tests.support.HostOs;
import io.github.kqueueffm.tests.support.Os;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.kqueueffm.KEvent.EVFILT_PROC;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.NOTE_EXIT;
import static io.github.kqueueffm.KEvent.NOTE_TRIGGER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Row-style regression tests for the library bugs the robustness properties found, each named
 * after the catalogue row whose rule it pins down. Each asserts the behaviour the rows and
 * BEHAVIOUR.md give; each failed on the core before the fixes of "Fix bugs the robustness
 * properties found" (the racing ones within their time budget: a few hundred iterations). The
 * javadoc of each test describes the bug as it was.
 */
class RobustnessRegressionTest {

    /**
     * PR-11: EV_ADD of EVFILT_PROC for a number that names no process fails with ESRCH. A Linux
     * thread id of this JVM (not its main thread) is such a number: {@code pidfd_open} answers
     * ENOENT for it, and the library passed that on, although ENOENT means "no such knote" (KQ-29)
     * and cannot be the answer to an EV_ADD.
     */
    @Test
    void PR_11_threadIdOfThisJvmIsNoProcess_ESRCH() throws Exception {
        Thread parked = Thread.ofPlatform().daemon().name("robust-tid").start(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException ignored) {
                // done
            }
        });
        try (KQueue kq = KQueue.open(); KEventList ch = KEventList.allocate(1)) {
            long pid = ProcessHandle.current().pid();
            long tid = otherThreadId(pid);
            ch.set(0, tid, EVFILT_PROC, EV_ADD, NOTE_EXIT, 0, 0);
            KQueueException e = expectKQueueException(() -> kq.kevent(ch, 1, null, 0, Duration.ZERO));
            assertEquals(Errno.ESRCH, e.errno(), "EV_ADD EVFILT_PROC on thread id " + tid + " (process " + pid
                    + "): " + e.getMessage());
        } finally {
            parked.interrupt();
            parked.join(2000);
        }
    }

    private static long otherThreadId(long pid) {
        return Arrays.stream(HostOs.current().threadIds()).filter(t -> t != pid)
                .max().orElseThrow(() -> new AssertionError("this JVM has a single thread?"));
    }

    /**
     * KQ-11/KQ-12 with BEHAVIOUR.md "Bounds instead of faults": a list whose memory the calling
     * thread cannot use gives EFAULT like a freed one. A changelist in a confined arena of another
     * thread made {@code kevent} throw {@link WrongThreadException} instead.
     */
    @Test
    void KQ_12_changelistOfAnotherThreadsConfinedArena_EFAULT() throws Exception {
        try (KQueue kq = KQueue.open(); Arena confined = Arena.ofConfined()) {
            KEventList ch = KEventList.allocate(confined, 1);
            ch.set(0, 1, EVFILT_USER, EV_ADD, 0, 0, 0);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    kq.kevent(ch, 1, null, 0, Duration.ZERO);
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            t.join(5000);
            assertFalse(t.isAlive(), "kevent returned");
            Throwable e = thrown.get();
            assertNotNull(e, "kevent with a changelist it cannot read must fail");
            assertTrue(e instanceof KQueueException, "KQueueException expected, got " + e);
            assertEquals(Errno.EFAULT, ((KQueueException) e).errno());
        }
    }

    /** KQ-11: the same for an eventlist the calling thread cannot write while an event is pending. */
    @Test
    void KQ_11_eventlistOfAnotherThreadsConfinedArena_EFAULT() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList ch = KEventList.allocate(1); Arena confined = Arena.ofConfined()) {
            ch.set(0, 1, EVFILT_USER, EV_ADD | EV_CLEAR, NOTE_TRIGGER, 0, 0);
            kq.kevent(ch, 1, null, 0, Duration.ZERO);
            ch.set(0, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
            kq.kevent(ch, 1, null, 0, Duration.ZERO);
            KEventList ev = KEventList.allocate(confined, 1);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    kq.kevent(null, 0, ev, 1, Duration.ZERO);
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            t.join(5000);
            assertFalse(t.isAlive(), "kevent returned");
            Throwable e = thrown.get();
            assertNotNull(e, "kevent with an eventlist it cannot write and an event to write must fail");
            assertTrue(e instanceof KQueueException, "KQueueException expected, got " + e);
            assertEquals(Errno.EFAULT, ((KQueueException) e).errno());
        }
    }

    /**
     * KQ-12 with BEHAVIOUR.md "a KEventList whose memory was freed also gives EFAULT": a changelist
     * whose arena another thread closes while {@code kevent} is reading it gives EFAULT, and the
     * kqueue stays usable. {@code kevent} threw the arena's IllegalStateException ("Already
     * closed") instead.
     */
    @Test
    void KQ_12_changelistFreedWhileBeingRead_EFAULT() throws Exception {
        int n = 200_000;
        for (int attempt = 0; attempt < 5; attempt++, n *= 2) {
            try (KQueue kq = KQueue.open()) {
                Arena arena = Arena.ofShared();
                KEventList ch = KEventList.allocate(arena, n);
                for (int i = 0; i < n; i++) {
                    ch.set(i, i, EVFILT_USER, EV_ADD, 0, 0, 0);
                }
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                AtomicBoolean returned = new AtomicBoolean();
                CountDownLatch started = new CountDownLatch(1);
                int count = n;
                Thread t = Thread.ofPlatform().start(() -> {
                    started.countDown();
                    try {
                        kq.kevent(ch, count, null, 0, Duration.ZERO);
                    } catch (Throwable e) {
                        thrown.set(e);
                    } finally {
                        returned.set(true);
                    }
                });
                started.await();
                Thread.sleep(5);
                boolean freedDuringCall = !returned.get();
                arena.close();
                t.join(10_000);
                assertFalse(t.isAlive(), "kevent returned");
                if (!freedDuringCall) {
                    continue; // the call was faster than the free: try a longer list
                }
                Throwable e = thrown.get();
                if (e == null) {
                    continue; // all changes were read before the free took effect
                }
                assertTrue(e instanceof KQueueException, "KQueueException(EFAULT) expected, got " + e);
                assertEquals(Errno.EFAULT, ((KQueueException) e).errno());
                assertStillWorks(kq);
                return;
            }
        }
        fail("could not free the changelist while kevent was reading it");
    }

    private static void assertStillWorks(KQueue kq) throws KQueueException {
        try (KEventList ch = KEventList.allocate(1); KEventList ev = KEventList.allocate(1)) {
            ch.set(0, -5, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 0);
            kq.kevent(ch, 1, null, 0, Duration.ZERO);
            ch.set(0, -5, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
            kq.kevent(ch, 1, null, 0, Duration.ZERO);
            int got = 0;
            for (int i = 0; i < 1000 && got == 0; i++) {
                if (kq.kevent(null, 0, ev, 1, Duration.ZERO) == 1 && ev.ident(0) == -5) {
                    got = 1;
                }
            }
            assertEquals(1, got, "the kqueue still delivers events");
        }
    }

    /**
     * MT-04 / KQ-48: while {@code close()} runs on one thread, a {@code kevent} on another either
     * returns normally or fails with EBADF, and nothing the kqueue released is used afterwards. A
     * {@code kevent} that leaves an event queued on a pollable kqueue wrote to its wakeup eventfd
     * after unlocking, racing {@code close()}: it threw the kqueue arena's IllegalStateException
     * ("Already closed"). Between the eventfd's close and the arena's, such a write goes to a
     * descriptor number that another thread may already have been given: a thread here opens and
     * checks pipes all the time, so 8 stray bytes in one of them fail the test. (The same unlocked
     * wake is in {@code makePollable()} and {@code postAsync()}.)
     */
    @Test
    void MT_04_keventRacingCloseFailsOnlyWithEbadfAndWritesNothingAfterClose() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Robust.stress() ? 60 : 4);
        int iterations = 0;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> stray = new AtomicReference<>();
        Thread grabber = Thread.ofPlatform().daemon().name("mt04-pipes").start(() -> {
            while (!stop.get()) {
                int[] p = Os.pipe(); // takes the lowest free numbers, such as those close() just released
                try {
                    for (int k = 0; k < 20; k++) {
                        Thread.onSpinWait();
                    }
                    int queued = Os.readable(p[0]);
                    if (queued > 0) {
                        stray.compareAndSet(null, queued + " byte(s) appeared in a fresh pipe " + p[0] + "/" + p[1]);
                    }
                } finally {
                    Os.closeQuietly(p);
                }
            }
        });
        try (KEventList add = KEventList.allocate(2)) {
            add.set(0, 1, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 0);
            add.set(1, 2, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 0);
            while (System.nanoTime() < deadline && iterations < 5000 && stray.get() == null) {
                iterations++;
                KQueue kq = KQueue.open();
                kq.descriptor(); // pollable: a queued event keeps the wakeup descriptor signalled
                kq.kevent(add, 2, null, 0, Duration.ZERO);
                KEventList trigger = KEventList.allocate(2);
                KEventList ev = KEventList.allocate(1);
                trigger.set(0, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
                trigger.set(1, 2, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        kq.kevent(trigger, 2, ev, 1, Duration.ZERO); // one of two events stays queued
                    } catch (KQueueException e) {
                        if (e.errno() != Errno.EBADF) {
                            thrown.set(e);
                        }
                    } catch (Throwable e) {
                        thrown.set(e);
                    }
                });
                kq.close();
                t.join(5000);
                try {
                    assertFalse(t.isAlive(), "kevent returned");
                    if (thrown.get() != null) {
                        throw new AssertionError("iteration " + iterations + ": kevent racing close() threw "
                                + thrown.get(), thrown.get());
                    }
                } finally {
                    trigger.close();
                    ev.close();
                }
            }
        } finally {
            stop.set(true);
            grabber.join(5000);
        }
        if (stray.get() != null) {
            fail("iteration " + iterations + ": a write of a closed kqueue reached another descriptor: " + stray.get());
        }
        assertTrue(iterations > 0);
    }

    /**
     * MT-03 / KQ-14: a NOTE_TRIGGER from another thread wakes a thread blocked in {@code kevent}
     * with a NULL timeout. Three waiters block on one kqueue while two producers trigger their own
     * EV_CLEAR knotes as fast as they can for 500 ms; then everything is quiet for 1 s, after which
     * nothing may still be queued: a waiter blocked with a NULL timeout must have taken it. Events
     * were left queued with every waiter asleep in epoll_wait: {@code drainWake()} clears the
     * "wakeup written" flag and then reads the eventfd under the kqueue lock, while {@code wake()}
     * sets the flag and writes the eventfd after unlocking; a write that lands between the two is
     * consumed by the drain, the flag stays set with the eventfd empty, and no later change writes
     * it again while waiters are parked (a lost wakeup: the waiters sleep until their timeout,
     * forever with NULL).
     */
    @Test
    void MT_03_triggersFromOtherThreadsAlwaysWakeABlockedWaiter() throws Exception {
        int rounds = Robust.stress() ? 60 : 4;
        for (int round = 1; round <= rounds; round++) {
            String lost = burstRound(3, 2, 500);
            if (lost != null) {
                fail("round " + round + ": " + lost);
            }
        }
    }

    private static String burstRound(int waiters, int producers, long burstMillis) throws Exception {
        KQueue kq = KQueue.open();
        List<Thread> threads = new java.util.ArrayList<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicLong taken = new java.util.concurrent.atomic.AtomicLong();
        String lost = null;
        try {
            for (int w = 0; w < waiters; w++) {
                threads.add(Thread.ofPlatform().daemon().name("mt03-waiter-" + w).start(() -> {
                    try (KEventList ev = KEventList.allocate(4)) {
                        while (true) {
                            taken.addAndGet(kq.kevent(null, 0, ev, 4, null));
                        }
                    } catch (KQueueException e) {
                        if (e.errno() != Errno.EBADF) {
                            error.compareAndSet(null, e);
                        }
                    } catch (Throwable e) {
                        error.compareAndSet(null, e);
                    }
                }));
            }
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(burstMillis);
            List<Thread> producerThreads = new java.util.ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                producerThreads.add(Thread.ofPlatform().daemon().name("mt03-producer-" + p).start(() -> {
                    try (KEventList ch = KEventList.allocate(1)) {
                        ch.set(0, id, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 0);
                        kq.kevent(ch, 1, null, 0, Duration.ZERO);
                        ch.set(0, id, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
                        while (System.nanoTime() < end) {
                            kq.kevent(ch, 1, null, 0, Duration.ZERO);
                        }
                    } catch (Throwable e) {
                        error.compareAndSet(null, e);
                    }
                }));
            }
            threads.addAll(producerThreads);
            for (Thread t : producerThreads) {
                t.join(burstMillis + 10_000);
            }
            Thread.sleep(1000); // quiet: the blocked waiters must have taken whatever was queued
            try (KEventList ev = KEventList.allocate(8)) {
                int n = kq.kevent(null, 0, ev, 8, Duration.ZERO);
                if (n > 0) {
                    StringBuilder got = new StringBuilder();
                    for (int k = 0; k < n; k++) {
                        got.append(' ').append(ev.get(k));
                    }
                    lost = n + " event(s) still queued 1 s after the last trigger while " + waiters
                            + " threads were blocked in kevent with a NULL timeout (" + taken.get()
                            + " taken during the burst):" + got;
                }
            }
        } finally {
            kq.close();
            for (Thread t : threads) {
                t.join(5000);
            }
        }
        for (Thread t : threads) {
            assertFalse(t.isAlive(), t.getName() + " still running after close()");
        }
        if (error.get() != null) {
            throw new AssertionError("unexpected " + error.get(), error.get());
        }
        return lost;
    }

    /**
     * MT-05 / KQ-48 / RS-10: {@code close()} while three threads wait with NULL timeouts and three
     * others trigger knotes returns normally, wakes all six with EBADF, releases every byte of
     * native memory and leaves the kqueue closed, so a second {@code close()} returns at once. A
     * trigger's wakeup write runs after the kqueue lock is released (the race of the test above);
     * when it is inside its {@code write(2)} downcall as {@code close()} frees the kqueue's arena,
     * {@code close()} threw IllegalStateException ("Session is acquired by 1 clients"), the
     * kqueue's native memory stayed counted (2932 bytes for three waiters), the kqueue stayed in
     * its CLOSING state, and every later {@code close()} blocked forever.
     */
    @Test
    void MT_05_closeWhileThreadsTriggerAndWaitReturnsAndReleasesEverything() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Robust.stress() ? 60 : 5);
        int iterations = 0;
        long memBefore = KQueue.nativeMemoryInUse();
        while (System.nanoTime() < deadline && iterations < 300) {
            iterations++;
            KQueue kq = KQueue.open();
            List<Thread> threads = new java.util.ArrayList<>();
            AtomicReference<Throwable> error = new AtomicReference<>();
            for (int w = 0; w < 3; w++) {
                threads.add(Thread.ofPlatform().daemon().name("mt05-waiter-" + w).start(() -> {
                    try (KEventList ev = KEventList.allocate(4)) {
                        while (true) {
                            kq.kevent(null, 0, ev, 4, null);
                        }
                    } catch (KQueueException e) {
                        if (e.errno() != Errno.EBADF) {
                            error.compareAndSet(null, e);
                        }
                    } catch (Throwable e) {
                        error.compareAndSet(null, e);
                    }
                }));
            }
            for (int p = 0; p < 3; p++) {
                int id = p;
                threads.add(Thread.ofPlatform().daemon().name("mt05-producer-" + p).start(() -> {
                    try (KEventList ch = KEventList.allocate(1)) {
                        ch.set(0, id, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 0);
                        kq.kevent(ch, 1, null, 0, Duration.ZERO);
                        ch.set(0, id, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
                        while (true) {
                            kq.kevent(ch, 1, null, 0, Duration.ZERO);
                        }
                    } catch (KQueueException e) {
                        if (e.errno() != Errno.EBADF) {
                            error.compareAndSet(null, e);
                        }
                    } catch (Throwable e) {
                        error.compareAndSet(null, e);
                    }
                }));
            }
            Thread.sleep(10);
            AtomicReference<Throwable> closeError = new AtomicReference<>();
            Thread closer = Robust.runBounded("mt05-close", 5000, () -> {
                try {
                    kq.close();
                } catch (Throwable e) {
                    closeError.set(e);
                }
            });
            assertTrue(closer == null, "iteration " + iterations + ": close() did not return within 5 s");
            for (Thread t : threads) {
                t.join(5000);
                assertFalse(t.isAlive(), "iteration " + iterations + ": " + t.getName() + " still running after close()");
            }
            Thread again = Robust.runBounded("mt05-close-again", 2000, kq::close);
            if (closeError.get() != null) {
                throw new AssertionError("iteration " + iterations + ": close() threw " + closeError.get()
                        + "; native memory then " + KQueue.nativeMemoryInUse() + " (before " + memBefore
                        + "); a second close() " + (again != null ? "blocked for 2 s" : "returned"), closeError.get());
            }
            assertTrue(again == null, "iteration " + iterations + ": a second close() blocked for 2 s");
            if (error.get() != null) {
                throw new AssertionError("iteration " + iterations + ": a thread threw " + error.get(), error.get());
            }
            assertEquals(memBefore, KQueue.nativeMemoryInUse(), "iteration " + iterations
                    + ": native memory after close()");
        }
        assertTrue(iterations > 0);
    }

    /**
     * SG-20 / SG-23 / KQ-48: a watched signal (SIGURG, set to SIG_IGN here) delivered while its
     * kqueue closes neither fails in the JVM's signal handler thread nor makes {@code close()}
     * throw, and the kqueue's native memory is released. The handler posts to the knote and then
     * writes the kqueue's wakeup eventfd after unlocking (the race of MT_04/MT_05): the "SIGURG
     * handler" thread died with IllegalStateException ("Already closed") — so the previous handler
     * was not run for that delivery — and {@code close()} threw ("Session is acquired by 1
     * clients") and kept the kqueue's memory.
     */
    @Test
    void SG_23_signalDeliveredWhileItsKqueueClosesFailsNothing() throws Exception {
        sun.misc.Signal urg = new sun.misc.Signal("URG");
        sun.misc.SignalHandler previous = sun.misc.Signal.handle(urg, sun.misc.SignalHandler.SIG_IGN);
        Thread.UncaughtExceptionHandler previousDefault = Thread.getDefaultUncaughtExceptionHandler();
        AtomicReference<String> handlerFailure = new AtomicReference<>();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> handlerFailure.compareAndSet(null, t.getName() + ": " + e));
        AtomicBoolean stop = new AtomicBoolean();
        Thread sender = null;
        long memBefore = KQueue.nativeMemoryInUse();
        try {
            int sig = urg.getNumber();
            HostOs host = HostOs.current();
            int pid = host.pid();
            sender = Thread.ofPlatform().daemon().name("sg23-sender").start(() -> {
                while (!stop.get()) {
                    host.kill(pid, sig); // ignored, watched signal
                    Thread.onSpinWait();
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Robust.stress() ? 60 : 5);
            try (KEventList ch = KEventList.allocate(1)) {
                ch.set(0, sig, io.github.kqueueffm.KEvent.EVFILT_SIGNAL, EV_ADD, 0, 0, 0);
                for (int i = 1; System.nanoTime() < deadline && handlerFailure.get() == null; i++) {
                    KQueue kq = KQueue.open();
                    kq.descriptor();
                    kq.kevent(ch, 1, null, 0, Duration.ZERO);
                    Thread.sleep(0, 200_000);
                    AtomicReference<Throwable> closeError = new AtomicReference<>();
                    Thread closer = Robust.runBounded("sg23-close", 5000, () -> {
                        try {
                            kq.close();
                        } catch (Throwable e) {
                            closeError.set(e);
                        }
                    });
                    assertTrue(closer == null, "close() did not return within 5 s");
                    if (closeError.get() != null) {
                        throw new AssertionError("iteration " + i + ": close() threw " + closeError.get() + "; native memory "
                                + KQueue.nativeMemoryInUse() + " (before " + memBefore + ")", closeError.get());
                    }
                    assertEquals(memBefore, KQueue.nativeMemoryInUse(), "iteration " + i + ": native memory after close()");
                }
            }
        } finally {
            stop.set(true);
            if (sender != null) {
                sender.join(2000);
            }
            LeakPropertyTest.SignalThreads.join(2000);
            Thread.setDefaultUncaughtExceptionHandler(previousDefault);
            sun.misc.Signal.handle(urg, previous);
        }
        if (handlerFailure.get() != null) {
            fail("a thread died while its kqueue closed: " + handlerFailure.get());
        }
    }

    private interface KqCall {
        void run() throws Exception;
    }

    private static KQueueException expectKQueueException(KqCall call) {
        try {
            call.run();
        } catch (KQueueException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("KQueueException expected, got " + e, e);
        }
        return fail("the call succeeded");
    }
}
