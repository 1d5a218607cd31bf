package io.github.kqueueffm.properties.robustness;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.tests.support.SignalSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.kqueueffm.KEvent.EVFILT_EMPTY;
import static io.github.kqueueffm.KEvent.EVFILT_PROC;
import static io.github.kqueueffm.KEvent.EVFILT_PROCDESC;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_SIGNAL;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EVFILT_VNODE;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_RECEIPT;
import static io.github.kqueueffm.KEvent.NOTE_ATTRIB;
import static io.github.kqueueffm.KEvent.NOTE_EXIT;
import static io.github.kqueueffm.KEvent.NOTE_TRIGGER;
import static io.github.kqueueffm.KEvent.NOTE_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Leaks (issue 6, item 4; rows KQ-48, RS-03, RS-09, RS-10, RS-12): open a kqueue, register one
 * knote of every filter — EVFILT_USER, EVFILT_TIMER, EVFILT_READ on a pipe, EVFILT_WRITE on a
 * socketpair, EVFILT_EMPTY on a loopback TCP socket, EVFILT_SIGNAL (SIGURG, set to SIG_IGN),
 * EVFILT_PROC on a sleeping child started once, EVFILT_PROCDESC on its process descriptor
 * ({@code Processes.openDescriptor}) and EVFILT_VNODE on a temp file ({@code Descriptors.open}) —
 * and close it, 1 000 times (20 000 under {@code -Pstress}). A seeded generator varies each cycle:
 * the order of the changes, whether they go as one changelist or one by one, with EV_RECEIPT or
 * not, whether events are collected before the close, whether the kqueue was made pollable,
 * whether a second kqueue watches it, whether a thread is blocked in {@code kevent} when it is
 * closed, and whether a SIGURG (ignored) is sent to this process. Afterwards the descriptor count
 * ({@code /proc/self/fd}), the live threads and {@link KQueue#nativeMemoryInUse()} must be back at
 * their starting values (taken after a warm-up, so the JDK's lazily made threads and descriptors
 * exist already).
 */
class LeakPropertyTest {
    private static Fixtures fixtures;

    @BeforeAll
    static void setUp() throws Exception {
        fixtures = Fixtures.open();
    }

    @AfterAll
    static void tearDown() throws Exception {
        fixtures.close();
    }

    @Test
    void thousandCyclesOfEveryFilterLeakNothing() throws Exception {
        long seed = Robust.seed();
        int cycles = Robust.budget(1000, 20_000);
        Random warm = new Random(seed ^ 1);
        for (int i = 0; i < 30; i++) {
            cycle(warm, i % 2 == 0);
        }
        Robust.Snapshot start = Robust.Snapshot.take();
        Random random = new Random(seed);
        long done = 0;
        long divergences = 0;
        try {
            for (int i = 0; i < cycles; i++) {
                try {
                    cycle(random, true);
                } catch (AssertionError e) {
                    divergences++;
                    throw new AssertionError("cycle " + i + ": " + e.getMessage(), e);
                }
                done++;
            }
            String diff = Robust.settle(start, 3000);
            if (!diff.isEmpty()) {
                divergences++;
                fail("after " + cycles + " open-register-close cycles: " + diff);
            }
        } finally {
            Robust.summary("leakCycles", done, divergences, seed);
        }
    }

    /** One open – register every filter – close cycle, varied by {@code random}. */
    private static void cycle(Random random, boolean check) throws Exception {
        int urg = fixtures.ignoredSignals[0];
        List<KEvent> changes = new ArrayList<>(List.of(
                KEvent.of(1, EVFILT_USER, EV_ADD | EV_CLEAR, random.nextBoolean() ? NOTE_TRIGGER : 0, 0, 1),
                KEvent.of(2, EVFILT_TIMER, EV_ADD, 0, 1 + random.nextInt(3), 2),
                KEvent.of(fixtures.pipe[0], EVFILT_READ, EV_ADD, 0, 0, 3),
                KEvent.of(fixtures.socketpair[1], EVFILT_WRITE, EV_ADD, 0, 0, 4),
                KEvent.of(fixtures.tcp.clientFd(), EVFILT_EMPTY, EV_ADD, 0, 0, 5),
                KEvent.of(urg, EVFILT_SIGNAL, EV_ADD, 0, 0, 6),
                KEvent.of(fixtures.childPid(), EVFILT_PROC, EV_ADD, NOTE_EXIT, 0, 7),
                KEvent.of(fixtures.pidfd, EVFILT_PROCDESC, EV_ADD, NOTE_EXIT, 0, 8),
                KEvent.of(fixtures.fileFd, EVFILT_VNODE, EV_ADD | EV_CLEAR, NOTE_WRITE | NOTE_ATTRIB, 0, 9)));
        Collections.shuffle(changes, random);
        boolean receipts = random.nextInt(3) == 0;
        boolean oneByOne = random.nextInt(3) == 0;
        boolean collect = random.nextBoolean();
        boolean pollable = random.nextInt(4) == 0;
        boolean watched = random.nextInt(6) == 0;
        boolean blockedWaiter = random.nextInt(6) == 0;
        boolean signal = random.nextInt(10) == 0;
        int fdsBefore = Robust.fdCount();
        long memBefore = KQueue.nativeMemoryInUse();
        KQueue kq = KQueue.open();
        KQueue watcher = watched ? KQueue.open() : null;
        Thread waiter = null;
        AtomicReference<Throwable> waiterError = new AtomicReference<>();
        try (KEventList ch = KEventList.allocate(changes.size()); KEventList ev = KEventList.allocate(changes.size())) {
            for (int i = 0; i < changes.size(); i++) {
                KEvent c = changes.get(i);
                ch.set(i, c.ident(), c.filter(), c.flags() | (receipts ? EV_RECEIPT : 0), c.fflags(), c.data(), c.udata());
            }
            if (pollable) {
                kq.descriptor();
            }
            if (watcher != null) {
                try (KEventList w = KEventList.allocate(1)) {
                    w.set(0, kq.descriptor(), EVFILT_READ, EV_ADD, 0, 0, 0);
                    watcher.kevent(w, 1, null, 0, Duration.ZERO);
                }
            }
            if (oneByOne) {
                for (int i = 0; i < changes.size(); i++) {
                    applyOne(kq, ch, i, receipts, ev);
                }
            } else {
                int n = kq.kevent(ch, changes.size(), ev, receipts ? changes.size() : 0, Duration.ZERO);
                if (receipts) {
                    assertEquals(changes.size(), n, "one receipt per change (KQ-40)");
                    for (int i = 0; i < n; i++) {
                        assertEquals(0, ev.data(i), () -> "receipt data 0: " + ev.get(0));
                    }
                }
            }
            if (signal) {
                SignalSupport.killSelf(urg); // SIG_IGN'd SIGURG, observed by the knote
            }
            if (collect) {
                kq.kevent(null, 0, ev, ev.capacity(), Duration.ofMillis(random.nextInt(3)));
            }
            if (blockedWaiter) {
                waiter = Thread.ofPlatform().daemon().name("robust-leak-waiter").start(() -> {
                    try (KEventList own = KEventList.allocate(16)) {
                        while (true) {
                            kq.kevent(null, 0, own, 16, null);
                        }
                    } catch (KQueueException e) {
                        if (e.errno() != Errno.EBADF) {
                            waiterError.set(e);
                        }
                    } catch (Throwable e) {
                        waiterError.set(e);
                    }
                });
                if (random.nextBoolean()) {
                    Thread.sleep(1);
                }
            }
        } finally {
            String problem = Robust.close(kq, 3000);
            if (watcher != null) {
                String p2 = Robust.close(watcher, 3000);
                problem = problem == null ? p2 : problem;
            }
            if (waiter != null) {
                waiter.join(3000);
            }
            if (check && problem != null) {
                fail(problem);
            }
        }
        if (waiter != null && waiter.isAlive()) {
            fail("close() did not wake a thread blocked in kevent (MT-04): " + Robust.stackOf(waiter));
        }
        if (check && waiterError.get() != null) {
            throw new AssertionError("blocked waiter: " + waiterError.get(), waiterError.get());
        }
        if (signal) {
            // the JVM runs each handler on a new thread: let it finish before threads are counted
            SignalThreads.join(1000);
        }
        if (check) {
            // descriptors and native memory are released by close() itself (RS-03, RS-10)
            String leak = Robust.quickDiff(fdsBefore, memBefore);
            if (!leak.isEmpty()) {
                fail("leak after the cycle: " + leak);
            }
        }
    }

    private static void applyOne(KQueue kq, KEventList ch, int i, boolean receipts, KEventList ev) throws Exception {
        try (KEventList one = KEventList.allocate(1)) {
            one.set(0, ch.ident(i), ch.filter(i), ch.flags(i), ch.fflags(i), ch.data(i), ch.udata(i));
            int n = kq.kevent(one, 1, ev, receipts ? 1 : 0, Duration.ZERO);
            if (receipts) {
                assertEquals(1, n, "one receipt (KQ-38)");
                assertEquals(0, ev.data(0), () -> "receipt data 0: " + ev.get(0));
            }
        }
    }

    /** Joins the JVM's short-lived "SIG... handler" threads. */
    static final class SignalThreads {
        private SignalThreads() {
        }

        static void join(long millis) throws InterruptedException {
            long deadline = System.nanoTime() + millis * 1_000_000;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("SIG") && t.getName().endsWith(" handler")) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left > 0) {
                        t.join(left);
                    }
                }
            }
        }
    }
}
