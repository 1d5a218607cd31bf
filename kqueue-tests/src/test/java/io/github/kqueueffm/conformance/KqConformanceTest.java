package io.github.kqueueffm.conformance;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.tests.support.Os;
import io.github.kqueueffm.tests.support.SignalSupport;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.kqueueffm.KEvent.EVFILT_AIO;
import static io.github.kqueueffm.KEvent.EVFILT_FS;
import static io.github.kqueueffm.KEvent.EVFILT_LIO;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_SENDFILE;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_DISABLE;
import static io.github.kqueueffm.KEvent.EV_ENABLE;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_RECEIPT;
import static io.github.kqueueffm.KEvent.KQUEUE_CLOEXEC;
import static io.github.kqueueffm.KEvent.KQUEUE_CPONFORK;
import static io.github.kqueueffm.KEvent.NOTE_TRIGGER;
import static io.github.kqueueffm.tests.support.KqSupport.change;
import static io.github.kqueueffm.tests.support.KqSupport.closeAll;
import static io.github.kqueueffm.tests.support.KqSupport.expectErrno;
import static io.github.kqueueffm.tests.support.KqSupport.fillDescriptors;
import static io.github.kqueueffm.tests.support.KqSupport.isClosed;
import static io.github.kqueueffm.tests.support.KqSupport.liveThreads;
import static io.github.kqueueffm.tests.support.KqSupport.millisSince;
import static io.github.kqueueffm.tests.support.KqSupport.newThreads;
import static io.github.kqueueffm.tests.support.KqSupport.noFileLimit;
import static io.github.kqueueffm.tests.support.KqSupport.poll;
import static io.github.kqueueffm.tests.support.KqSupport.reuseNumberWithPipes;
import static io.github.kqueueffm.tests.support.KqSupport.setNoFileLimit;
import static io.github.kqueueffm.tests.support.KqSupport.sleepUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance rows KQ-01 … KQ-30 (kqueue lifecycle, kevent() call-level rules and errors, start of
 * changelist processing) of the catalogue (docs/conformance.md#kq), against the real kernel.
 * KQ-31 … KQ-61 are in {@link KqConformance2Test}.
 */
class KqConformanceTest {
    private static final Duration POLL = Duration.ZERO;

    /** Loads every class that open/close, timers and errors use while descriptors are plentiful. */
    private static void warmUp() throws Exception {
        try (KQueue warm = KQueue.open(); KEventList ev = KEventList.allocate(2)) {
            change(warm, 1, EVFILT_TIMER, EV_ADD, 0, 1000, 0);
            change(warm, 2, EVFILT_USER, EV_ADD | EV_CLEAR);
            change(warm, 2, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
            poll(warm, ev);
            expectErrno(Errno.ENOENT, () -> change(warm, 3, EVFILT_USER, EV_DELETE));
        }
        expectErrno(Errno.EMFILE, () -> {
            throw new KQueueException(Errno.EMFILE, "warm-up");
        });
        Os.fdCount();
        liveThreads();
    }

    /** KQ-01: {@code kqueue()} gives a descriptor ≥ 0; an immediate poll with nevents = 1 returns 0. */
    @Test
    void KQ_01_openReturnsDescriptorAndFirstPollIsEmpty() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(1)) {
            assertEquals(0, kq.kevent(null, 0, ev, 1, POLL));
            int fd = kq.descriptor();
            assertTrue(fd >= 0, "descriptor " + fd);
            assertFalse(isClosed(fd), "the kqueue's descriptor is open");
        }
    }

    /** KQ-02: a user event triggered on one kqueue is returned by that kqueue only. */
    @Test
    void KQ_02_twoKqueuesAreIndependent() throws Exception {
        try (KQueue a = KQueue.open(); KQueue b = KQueue.open(); KEventList ev = KEventList.allocate(4)) {
            change(a, 1, EVFILT_USER, EV_ADD | EV_CLEAR);
            change(b, 1, EVFILT_USER, EV_ADD | EV_CLEAR);
            change(a, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
            assertEquals(1, poll(a, ev));
            assertEquals(1, ev.ident(0));
            assertEquals(EVFILT_USER, ev.filter(0));
            assertEquals(0, poll(b, ev));
        }
    }

    /**
     * KQ-03: with RLIMIT_NOFILE exhausted, {@code kqueue()} fails with EMFILE and leaves no new
     * descriptor and no new thread behind. The limit is set a few numbers above the highest open
     * descriptor and every free slot below it is filled with {@code dup()}; the attempt is then
     * repeated with 3, 2, 1 and 0 slots left, so that each internal descriptor of the kqueue is in
     * turn the one that fails: with 0 left the open must fail with EMFILE, with some left it may
     * succeed, and any failure must be EMFILE and leave the descriptor count and the set of
     * threads unchanged.
     */
    @Test
    void KQ_03_openWithDescriptorsExhaustedFailsWithEmfileAndLeavesNothing() throws Exception {
        warmUp();
        long[] saved = noFileLimit();
        int[] source = Os.pipe();
        List<Integer> fillers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean sawEmfileAtZero = false;
        try {
            int baseline = Os.fdCount();
            int[] open = Os.openDescriptors();
            setNoFileLimit(open[open.length - 1] + 1 + 4, saved[1]);
            for (int free = 3; free >= 0; free--) {
                Set<Thread> threadsBefore = liveThreads();
                fillDescriptors(source[0], fillers);
                assertTrue(fillers.size() >= free, "descriptors to free: " + fillers.size());
                for (int i = 0; i < free; i++) {
                    Os.close(fillers.removeLast());
                }
                Throwable failure = null;
                try {
                    KQueue kq = KQueue.open();
                    kq.close();
                } catch (Throwable t) {
                    failure = t;
                }
                closeAll(fillers);
                int after = Os.fdCount();
                if (after != baseline) {
                    problems.add(free + " free: descriptor count " + after + " instead of " + baseline);
                }
                if (failure != null) {
                    List<String> added = newThreads(threadsBefore);
                    if (!added.isEmpty()) {
                        problems.add(free + " free: new threads " + added);
                    }
                    if (!(failure instanceof KQueueException e) || e.errno() != Errno.EMFILE) {
                        problems.add(free + " free: failed with " + failure + " instead of EMFILE");
                    } else if (free == 0) {
                        sawEmfileAtZero = true;
                    }
                } else if (free == 0) {
                    problems.add("0 free: kqueue() succeeded");
                }
            }
        } finally {
            closeAll(fillers);
            setNoFileLimit(saved[0], saved[1]);
            Os.closeQuietly(source);
        }
        assertEquals(List.of(), problems);
        assertTrue(sawEmfileAtZero);
    }

    /**
     * KQ-04: under RLIMIT_NOFILE = 32, creating and closing 2×32+1 kqueues in a row, each with one
     * EVFILT_TIMER knote (data 1000), never fails with EMFILE, both without and with another
     * long-lived kqueue open. A C process under that limit has 29 free slots (0–2 are open); the
     * JVM holds more descriptors of its own, so if fewer than 29 slots are free below 32 the limit
     * is raised just enough to leave 29 free (and 2×limit+1 kqueues are made).
     */
    @Test
    void KQ_04_createAndCloseMoreKqueuesThanTheDescriptorLimit() throws Exception {
        warmUp();
        long[] saved = noFileLimit();
        int[] open = Os.openDescriptors();
        int limit = limitLeaving(open, 29);
        int rounds = 2 * limit + 1;
        List<String> failures = new ArrayList<>();
        try {
            setNoFileLimit(limit, saved[1]);
            createAndClose(rounds, "without a long-lived kqueue", failures);
            try (KQueue longLived = KQueue.open()) {
                change(longLived, 1, EVFILT_TIMER, EV_ADD, 0, 1000, 0);
                createAndClose(rounds, "with a long-lived kqueue", failures);
            }
        } finally {
            setNoFileLimit(saved[0], saved[1]);
        }
        assertEquals(List.of(), failures, "RLIMIT_NOFILE " + limit);
    }

    /** The smallest limit ≥ 32 that leaves {@code free} unused numbers below it. */
    private static int limitLeaving(int[] open, int free) {
        Set<Integer> used = new TreeSet<>();
        for (int fd : open) {
            used.add(fd);
        }
        int limit = 0;
        int unused = 0;
        while (unused < free || limit < 32) {
            if (!used.contains(limit)) {
                unused++;
            }
            limit++;
        }
        return limit;
    }

    private static void createAndClose(int rounds, String what, List<String> failures) {
        for (int i = 0; i < rounds; i++) {
            try (KQueue kq = KQueue.open()) {
                change(kq, 1, EVFILT_TIMER, EV_ADD, 0, 1000, 0);
            } catch (KQueueException e) {
                failures.add(what + ", kqueue #" + i + ": " + e.getMessage());
                return;
            }
        }
    }

    /**
     * KQ-05: the factory rejects unknown option bits with EINVAL. {@code KQueue.openx(flags)} is
     * FreeBSD 14's {@code kqueuex()}: 0 and KQUEUE_CLOEXEC are accepted, every other bit (including
     * FreeBSD 15's KQUEUE_CPONFORK) gives EINVAL.
     */
    @Test
    void KQ_05_openxRejectsUnknownFlagsWithEinval() throws Exception {
        for (int flags : new int[] {0, KQUEUE_CLOEXEC}) {
            try (KQueue kq = KQueue.openx(flags); KEventList ev = KEventList.allocate(1)) {
                assertEquals(0, poll(kq, ev), "openx(" + flags + ") gives a working kqueue");
            }
        }
        for (int bit = 1; bit < 32; bit++) {
            int flags = 1 << bit;
            expectErrno(Errno.EINVAL, () -> KQueue.openx(flags).close());
            expectErrno(Errno.EINVAL, () -> KQueue.openx(flags | KQUEUE_CLOEXEC).close());
        }
        expectErrno(Errno.EINVAL, () -> KQueue.openx(KQUEUE_CPONFORK).close());
        expectErrno(Errno.EINVAL, () -> KQueue.openx(-1).close());
    }

    /**
     * The Java API has no {@code kevent(int kq, …)}: a kqueue is reached only through a
     * {@link KQueue} made by {@code open}, {@code open(maxKnotes)} or {@code openx(flags)}, and
     * {@code kevent} is an instance method. Fails when a public way to address a kqueue by
     * descriptor number appears (then KQ-06/KQ-07 must call it directly).
     */
    private static void assertNoDescriptorEntryPoint() throws Exception {
        assertEquals(0, KQueue.class.getConstructors().length, "public KQueue constructors");
        List<String> factories = new ArrayList<>();
        for (Method m : KQueue.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && m.getReturnType() == KQueue.class) {
                factories.add(m.getName() + Arrays.toString(m.getParameterTypes()));
            }
            if (m.getName().equals("kevent")) {
                assertFalse(Modifier.isStatic(m.getModifiers()), "kevent is an instance method");
            }
        }
        factories.sort(null);
        assertEquals(List.of("open[]", "open[int]", "openx[int]"), factories,
                "the only ways to obtain a KQueue (open(int) takes a knote limit, openx(int) flags)");
        Method kevent = KQueue.class.getMethod("kevent", KEventList.class, int.class, KEventList.class, int.class,
                Duration.class);
        assertFalse(Modifier.isStatic(kevent.getModifiers()));
    }

    /**
     * KQ-06: {@code kevent()} on descriptor −1 fails with EBADF. Java mapping: the API has no
     * {@code kevent(int fd, …)}, so −1 cannot be named (checked by reflection); the one handle
     * without a live kqueue descriptor is a closed {@link KQueue}, whose {@code kevent} fails with
     * EBADF — with and without changes and events. (API difference for BEHAVIOUR.md.)
     */
    @Test
    void KQ_06_keventWithoutAKqueueDescriptorFailsWithEbadf() throws Exception {
        assertNoDescriptorEntryPoint();
        KQueue kq = KQueue.open();
        kq.close();
        try (KEventList changes = KEventList.allocate(1); KEventList ev = KEventList.allocate(1)) {
            changes.set(0, 1, EVFILT_USER, EV_ADD, 0, 0, 0);
            expectErrno(Errno.EBADF, () -> kq.kevent(null, 0, null, 0, POLL));
            expectErrno(Errno.EBADF, () -> kq.kevent(changes, 1, ev, 1, POLL));
        }
    }

    /**
     * KQ-07: {@code kevent()} on an open descriptor that is not a kqueue (a pipe's read end) fails
     * with EBADF. Java mapping: the API cannot call {@code kevent} on an arbitrary descriptor — a
     * {@link KQueue} is only made by the kqueue factories, never from a descriptor number
     * (checked by reflection), so a pipe can never be used as a kqueue. (API difference for
     * BEHAVIOUR.md.) The pipe's descriptor also stays untouched by a kqueue opened next to it.
     */
    @Test
    void KQ_07_keventOnANonKqueueDescriptorIsImpossible() throws Exception {
        assertNoDescriptorEntryPoint();
        int[] p = Os.pipe();
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(1)) {
            assertTrue(kq.descriptor() != p[0] && kq.descriptor() != p[1]);
            assertEquals(0, poll(kq, ev));
            assertFalse(isClosed(p[0]));
            assertEquals(1, Os.write(p[1], 1));
            assertEquals(1, Os.readable(p[0]), "the pipe is an ordinary pipe");
        } finally {
            Os.closeQuietly(p);
        }
    }

    /**
     * KQ-08: {@code kevent()} on a closed kqueue fails with EBADF, also after its descriptor number
     * was reused by a new descriptor (a pipe end here).
     */
    @Test
    void KQ_08_keventOnClosedKqueueFailsWithEbadfEvenAfterNumberReuse() throws Exception {
        KQueue kq = KQueue.open();
        int number = kq.descriptor();
        kq.close();
        List<Integer> opened = new ArrayList<>();
        try (KEventList changes = KEventList.allocate(1); KEventList ev = KEventList.allocate(1)) {
            changes.set(0, 1, EVFILT_USER, EV_ADD, 0, 0, 0);
            expectErrno(Errno.EBADF, () -> kq.kevent(null, 0, ev, 1, POLL));
            expectErrno(Errno.EBADF, () -> kq.kevent(changes, 1, null, 0, POLL));
            assertTrue(reuseNumberWithPipes(number, opened), "descriptor " + number + " was reused by a pipe");
            expectErrno(Errno.EBADF, () -> kq.kevent(null, 0, ev, 1, POLL));
            expectErrno(Errno.EBADF, () -> kq.kevent(changes, 1, ev, 1, POLL));
            expectErrno(Errno.EBADF, () -> kq.kevent(changes, 1, ev, 1, null));
            assertFalse(isClosed(number), "the new owner of the number is untouched");
        } finally {
            closeAll(opened);
        }
    }

    /** KQ-09: nchanges &lt; 0 → EINVAL, and no change is applied. */
    @Test
    void KQ_09_negativeNchangesFailsWithEinvalAndAppliesNothing() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(1);
             KEventList ev = KEventList.allocate(1)) {
            changes.set(0, 1, EVFILT_USER, EV_ADD, 0, 0, 0);
            expectErrno(Errno.EINVAL, () -> kq.kevent(changes, -1, null, 0, POLL));
            expectErrno(Errno.EINVAL, () -> kq.kevent(changes, -1, ev, 1, POLL));
            expectErrno(Errno.ENOENT, () -> change(kq, 1, EVFILT_USER, EV_DELETE));
        }
    }

    /**
     * KQ-10: nevents &lt; 0 → EINVAL, after the changelist of the same call was applied; the
     * eventlist is not written.
     */
    @Test
    void KQ_10_negativeNeventsFailsWithEinvalAfterApplyingChanges() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(2);
             KEventList ev = KEventList.allocate(2)) {
            changes.set(0, 1, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 0);
            changes.set(1, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
            ev.set(0, 777, EVFILT_TIMER, 0x1234, 5, 42, 99);
            expectErrno(Errno.EINVAL, () -> kq.kevent(changes, 2, ev, -1, POLL));
            assertSentinel(ev, 0);
            assertEquals(1, poll(kq, ev), "both changes were applied: the knote exists and was triggered");
            assertEquals(1, ev.ident(0));
            assertEquals(EVFILT_USER, ev.filter(0));
        }
    }

    private static void assertSentinel(KEventList ev, int i) {
        assertEquals(777, ev.ident(i));
        assertEquals(EVFILT_TIMER, ev.filter(i));
        assertEquals(0x1234, ev.flags(i));
        assertEquals(5, ev.fflags(i));
        assertEquals(42, ev.data(i));
        assertEquals(99, ev.udata(i));
    }

    /**
     * KQ-11: an nevents larger than the eventlist passed from Java → EFAULT before any change is
     * applied; nothing is written outside (or inside) the list and the JVM does not crash. Three
     * events are pending, so an implementation ignoring the capacity would write past it.
     */
    @Test
    void KQ_11_neventsBeyondEventlistCapacityFailsWithEfault() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(1);
             KEventList ev = KEventList.allocate(2); KEventList empty = KEventList.allocate(0);
             KEventList all = KEventList.allocate(8)) {
            for (int id = 5; id <= 7; id++) {
                change(kq, id, EVFILT_USER, EV_ADD | EV_CLEAR);
                change(kq, id, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
            }
            changes.set(0, 1, EVFILT_USER, EV_ADD, 0, 0, 0);
            ev.set(0, 777, EVFILT_TIMER, 0x1234, 5, 42, 99);
            ev.set(1, 777, EVFILT_TIMER, 0x1234, 5, 42, 99);
            expectErrno(Errno.EFAULT, () -> kq.kevent(changes, 1, ev, 3, POLL));
            expectErrno(Errno.EFAULT, () -> kq.kevent(changes, 1, ev, Integer.MAX_VALUE, POLL));
            expectErrno(Errno.EFAULT, () -> kq.kevent(changes, 1, empty, 1, POLL));
            expectErrno(Errno.EFAULT, () -> kq.kevent(changes, 1, null, 1, POLL));
            assertSentinel(ev, 0);
            assertSentinel(ev, 1);
            expectErrno(Errno.ENOENT, () -> change(kq, 1, EVFILT_USER, EV_DELETE));
            assertEquals(3, poll(kq, all), "the pending events were not consumed");
        }
    }

    /** KQ-12: a changelist shorter than nchanges → EFAULT, and no change is applied. */
    @Test
    void KQ_12_nchangesBeyondChangelistCapacityFailsWithEfault() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(2);
             KEventList ev = KEventList.allocate(4)) {
            changes.set(0, 1, EVFILT_USER, EV_ADD, 0, 0, 0);
            changes.set(1, 2, EVFILT_USER, EV_ADD, 0, 0, 0);
            expectErrno(Errno.EFAULT, () -> kq.kevent(changes, 3, null, 0, POLL));
            expectErrno(Errno.EFAULT, () -> kq.kevent(changes, 3, ev, 4, POLL));
            expectErrno(Errno.EFAULT, () -> kq.kevent(changes, Integer.MAX_VALUE, ev, 4, POLL));
            expectErrno(Errno.EFAULT, () -> kq.kevent(null, 1, ev, 4, POLL));
            expectErrno(Errno.ENOENT, () -> change(kq, 1, EVFILT_USER, EV_DELETE));
            expectErrno(Errno.ENOENT, () -> change(kq, 2, EVFILT_USER, EV_DELETE));
        }
    }

    /**
     * KQ-13: nevents = 0 returns at once (after applying the changelist) whatever the timeout —
     * NULL or 1 s. "At once" is checked as under 100 ms.
     */
    @Test
    void KQ_13_zeroNeventsReturnsAtOnceWhateverTheTimeout() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(1);
             KEventList ev = KEventList.allocate(4)) {
            for (Duration timeout : new Duration[] {null, Duration.ofSeconds(1)}) {
                int id = timeout == null ? 1 : 2;
                changes.set(0, id, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 0);
                long t0 = System.nanoTime();
                int n = assertTimeoutPreemptively(Duration.ofSeconds(3), () -> kq.kevent(changes, 1, null, 0, timeout));
                double ms = millisSince(t0);
                assertEquals(0, n);
                assertTrue(ms < 100, "timeout " + timeout + ": returned after " + ms + " ms");
                change(kq, id, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0); // the knote was added
            }
            assertEquals(2, poll(kq, ev));
        }
    }

    /**
     * KQ-14: a NULL timeout blocks until an event: another thread triggers a user knote 200 ms
     * after the start and the call returns 1 after ≥ 200 ms.
     */
    @Test
    void KQ_14_nullTimeoutBlocksUntilAnEvent() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(1)) {
            change(kq, 1, EVFILT_USER, EV_ADD | EV_CLEAR);
            long t0 = System.nanoTime();
            AtomicReference<Throwable> triggerError = new AtomicReference<>();
            Thread trigger = new Thread(() -> {
                try {
                    sleepUntil(t0 + TimeUnit.MILLISECONDS.toNanos(200));
                    change(kq, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
                } catch (Throwable t) {
                    triggerError.set(t);
                }
            });
            trigger.start();
            int n = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> kq.kevent(null, 0, ev, 1, null));
            double ms = millisSince(t0);
            trigger.join(5000);
            assertNull(triggerError.get());
            assertEquals(1, n);
            assertEquals(1, ev.ident(0));
            assertEquals(EVFILT_USER, ev.filter(0));
            assertTrue(ms >= 200, "returned after " + ms + " ms");
        }
    }

    /**
     * KQ-15: a {0, 0} timeout is a poll: it returns pending events or 0 without sleeping
     * (&lt; 5 ms). After a warm-up, the median of 11 timed polls must be under 5 ms (the median
     * keeps one scheduler hiccup on a shared CI machine from failing the row) and none may block.
     */
    @Test
    void KQ_15_zeroTimeoutIsAPoll() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(2)) {
            change(kq, 1, EVFILT_USER, EV_ADD | EV_CLEAR);
            for (int i = 0; i < 50; i++) {
                change(kq, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
                poll(kq, ev);
                poll(kq, ev);
            }
            double[] empty = new double[11];
            double[] pending = new double[11];
            for (int i = 0; i < 11; i++) {
                long t0 = System.nanoTime();
                int n = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> poll(kq, ev));
                empty[i] = millisSince(t0);
                assertEquals(0, n);
                change(kq, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
                t0 = System.nanoTime();
                n = poll(kq, ev);
                pending[i] = millisSince(t0);
                assertEquals(1, n);
                assertEquals(1, ev.ident(0));
            }
            Arrays.sort(empty);
            Arrays.sort(pending);
            assertTrue(empty[5] < 5, "median poll with nothing pending: " + empty[5] + " ms");
            assertTrue(pending[5] < 5, "median poll with one event pending: " + pending[5] + " ms");
        }
    }

    /** KQ-16: timeout {0, 50 000 000} with nothing pending returns 0 after ≥ 50 ms and &lt; 1 s. */
    @Test
    void KQ_16_fiftyMillisecondTimeoutReturnsZeroInTime() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(1)) {
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                int n = kq.kevent(null, 0, ev, 1, Duration.ofNanos(50_000_000));
                double ms = millisSince(t0);
                assertEquals(0, n);
                assertTrue(ms >= 50 && ms < 1000, "returned after " + ms + " ms");
            }
        }
    }

    /**
     * KQ-17: timeout {0, 500 000} returns an already pending event; with nothing pending it returns
     * 0 after ≥ 0.5 ms (it is not rounded down to a poll).
     */
    @Test
    void KQ_17_subMillisecondTimeoutIsNotRoundedDownToAPoll() throws Exception {
        Duration halfMs = Duration.ofNanos(500_000);
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(1)) {
            change(kq, 1, EVFILT_USER, EV_ADD | EV_CLEAR);
            for (int i = 0; i < 5; i++) {
                change(kq, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
                assertEquals(1, kq.kevent(null, 0, ev, 1, halfMs));
                assertEquals(1, ev.ident(0));
                long t0 = System.nanoTime();
                int n = kq.kevent(null, 0, ev, 1, halfMs);
                double ms = millisSince(t0);
                assertEquals(0, n);
                assertTrue(ms >= 0.5, "returned after " + ms + " ms");
                assertTrue(ms < 1000, "returned after " + ms + " ms");
            }
        }
    }

    /**
     * KQ-18: an invalid timeout → EINVAL, returned after the changelist was applied. Java mapping:
     * a {@link Duration} is always normalised (0 ≤ nanos &lt; 10⁹), so tv_nsec &lt; 0 and tv_nsec
     * ≥ 1 000 000 000 cannot be expressed; the API's invalid timeouts are the negative durations
     * (tv_sec &lt; 0), checked here: −1 s, −1 ns ({−1, 999 999 999}) and −5 s + 500 ns.
     */
    @Test
    void KQ_18_negativeTimeoutFailsWithEinvalAfterApplyingChanges() throws Exception {
        Duration[] invalid = {Duration.ofSeconds(-1), Duration.ofNanos(-1), Duration.ofSeconds(-5, 500)};
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(1);
             KEventList ev = KEventList.allocate(1)) {
            for (int i = 0; i < invalid.length; i++) {
                int id = 10 + i;
                Duration timeout = invalid[i];
                changes.set(0, id, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 0);
                expectErrno(Errno.EINVAL, () -> kq.kevent(changes, 1, ev, 1, timeout));
                assertEquals(0, change(kq, id, EVFILT_USER, EV_DELETE), "change of the failed call was applied");
            }
        }
    }

    /**
     * KQ-19: a timeout with tv_sec &gt; 2³¹−1 waits indefinitely: no error, no early return. Checked
     * with 2³¹ s and {@code Long.MAX_VALUE} s: the call returns the event another thread triggers
     * 200 ms later, not before.
     */
    @Test
    void KQ_19_hugeTimeoutWaitsIndefinitely() throws Exception {
        Duration[] huge = {Duration.ofSeconds(1L << 31), Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)};
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(1)) {
            change(kq, 1, EVFILT_USER, EV_ADD | EV_CLEAR);
            for (Duration timeout : huge) {
                long t0 = System.nanoTime();
                AtomicReference<Throwable> triggerError = new AtomicReference<>();
                Thread trigger = new Thread(() -> {
                    try {
                        sleepUntil(t0 + TimeUnit.MILLISECONDS.toNanos(200));
                        change(kq, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
                    } catch (Throwable t) {
                        triggerError.set(t);
                    }
                });
                trigger.start();
                int n = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> kq.kevent(null, 0, ev, 1, timeout));
                double ms = millisSince(t0);
                trigger.join(5000);
                assertNull(triggerError.get());
                assertEquals(1, n, "timeout " + timeout);
                assertEquals(1, ev.ident(0));
                assertTrue(ms >= 200, "timeout " + timeout + ": returned after " + ms + " ms");
            }
        }
    }

    /**
     * KQ-20 (Java-only): {@code Thread.interrupt()} of a thread blocked in {@code kevent()} makes
     * the call return within 100 ms with EINTR, the thread's interrupt status still set, and the
     * changes passed in that call applied. Differs from FreeBSD (no thread interrupt there; EINTR
     * comes from a caught signal) — a BEHAVIOUR.md entry.
     */
    @Test
    void KQ_20_threadInterruptEndsBlockedKeventWithEintr() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(1)) {
            changes.set(0, 3, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 0);
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            AtomicLong returnedAt = new AtomicLong();
            CountDownLatch entering = new CountDownLatch(1);
            Thread waiter = new Thread(() -> {
                try (KEventList ev = KEventList.allocate(1)) {
                    entering.countDown();
                    int n = kq.kevent(changes, 1, ev, 1, null);
                    returnedAt.set(System.nanoTime());
                    outcome.set(new AssertionError("kevent returned " + n));
                } catch (Throwable t) {
                    returnedAt.set(System.nanoTime());
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                    outcome.set(t);
                }
            });
            waiter.start();
            entering.await();
            Thread.sleep(150);
            assertTrue(waiter.isAlive(), "the waiter is blocked");
            long interruptedAt = System.nanoTime();
            waiter.interrupt();
            waiter.join(3000);
            assertFalse(waiter.isAlive(), "the waiter returned");
            KQueueException e = assertInstanceOf(KQueueException.class, outcome.get());
            assertEquals(Errno.EINTR, e.errno());
            assertTrue(stillInterrupted.get(), "interrupt status kept");
            double ms = (returnedAt.get() - interruptedAt) / 1e6;
            assertTrue(ms < 100, "returned " + ms + " ms after interrupt()");
            assertEquals(0, change(kq, 3, EVFILT_USER, EV_DELETE), "the change of the interrupted call was applied");
        }
    }

    /**
     * KQ-20 with several waiters: an interrupt must reach the interrupted thread even when others
     * are blocked on the same kqueue, whichever of them the kqueue's wakeup reaches first (a
     * wakeup that woke only one waiter, or that another waiter drained, would leave it blocked).
     * Three threads block with no timeout; the middle one is interrupted and must return EINTR
     * within 100 ms while the other two stay blocked; then two triggered knotes end those two. 30 rounds,
     * each on a fresh kqueue.
     */
    @Test
    void KQ_20_interruptReachesTheInterruptedOneOfSeveralWaiters() throws Exception {
        for (int round = 0; round < 30; round++) {
            try (KQueue kq = KQueue.open()) {
                assertEquals(0, change(kq, 9, EVFILT_USER, EV_ADD | EV_CLEAR));
                assertEquals(0, change(kq, 10, EVFILT_USER, EV_ADD | EV_CLEAR));
                Thread[] waiters = new Thread[3];
                AtomicReference<?>[] outcomes = new AtomicReference<?>[3];
                AtomicLong interruptedReturnedAt = new AtomicLong();
                CountDownLatch entering = new CountDownLatch(3);
                for (int i = 0; i < 3; i++) {
                    AtomicReference<Object> outcome = new AtomicReference<>();
                    outcomes[i] = outcome;
                    boolean interrupted = i == 1;
                    waiters[i] = new Thread(() -> {
                        try (KEventList ev = KEventList.allocate(1)) {
                            entering.countDown();
                            outcome.set(kq.kevent(null, 0, ev, 1, null));
                        } catch (Throwable t) {
                            outcome.set(t);
                        }
                        if (interrupted) {
                            interruptedReturnedAt.set(System.nanoTime());
                        }
                    });
                    waiters[i].start();
                }
                entering.await();
                Thread.sleep(50);
                long interruptedAt = System.nanoTime();
                waiters[1].interrupt();
                waiters[1].join(3000);
                assertFalse(waiters[1].isAlive(), "round " + round + ": the interrupted waiter returned");
                double ms = (interruptedReturnedAt.get() - interruptedAt) / 1e6;
                assertTrue(ms < 100, "round " + round + ": returned " + ms + " ms after interrupt()");
                KQueueException e = assertInstanceOf(KQueueException.class, outcomes[1].get(), "round " + round);
                assertEquals(Errno.EINTR, e.errno());
                assertTrue(waiters[0].isAlive() && waiters[2].isAlive(), "round " + round + ": the others stay blocked");
                assertEquals(0, change(kq, 9, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0));
                assertEquals(0, change(kq, 10, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0));
                for (int i : new int[] {0, 2}) {
                    waiters[i].join(3000);
                    assertFalse(waiters[i].isAlive(), "round " + round + ": waiter " + i + " woken by the triggers");
                }
            }
        }
    }

    /**
     * KQ-21 (project rule): a caught signal the caller did not ask about does not end the wait
     * early; the wait resumes with the remaining time. A Java handler is installed for SIGWINCH
     * (so the signal is caught, not ignored), and SIGWINCH is sent three times with
     * {@code tgkill} to the thread blocked in a 400 ms wait: the call returns 0 after ≥ 400 ms
     * (and, with the 250 ms lateness allowance, before 650 ms + scheduling slack of 350 ms).
     */
    @Test
    void KQ_21_caughtSignalDoesNotEndTheWaitEarly() throws Exception {
        Signal winch = new Signal("WINCH");
        AtomicInteger handled = new AtomicInteger();
        SignalHandler previous = Signal.handle(winch, s -> handled.incrementAndGet());
        try (KQueue kq = KQueue.open()) {
            AtomicInteger tid = new AtomicInteger();
            AtomicReference<Throwable> error = new AtomicReference<>();
            AtomicInteger result = new AtomicInteger(-1);
            AtomicLong elapsed = new AtomicLong();
            CountDownLatch ready = new CountDownLatch(1);
            Thread waiter = new Thread(() -> {
                try (KEventList ev = KEventList.allocate(1)) {
                    tid.set(SignalSupport.tid());
                    ready.countDown();
                    long t0 = System.nanoTime();
                    try {
                        result.set(kq.kevent(null, 0, ev, 1, Duration.ofMillis(400)));
                    } finally {
                        elapsed.set(System.nanoTime() - t0);
                    }
                } catch (Throwable t) {
                    error.set(t);
                }
            });
            waiter.start();
            ready.await();
            Thread.sleep(100);
            for (int i = 0; i < 3; i++) {
                SignalSupport.tgkill(tid.get(), winch.getNumber());
                Thread.sleep(50);
            }
            waiter.join(5000);
            assertNull(error.get());
            assertEquals(0, result.get());
            double ms = elapsed.get() / 1e6;
            assertTrue(ms >= 400, "returned after " + ms + " ms");
            assertTrue(ms < 1000, "returned after " + ms + " ms");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (handled.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(handled.get() > 0, "SIGWINCH was caught by its handler");
        } finally {
            Signal.handle(winch, previous);
        }
    }

    /**
     * KQ-22: changes are applied in array order before any event is collected: [add user 1
     * EV_CLEAR, trigger 1] with nevents = 1 returns that event from the same call.
     */
    @Test
    void KQ_22_changesAreAppliedBeforeEventsAreCollected() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(2);
             KEventList ev = KEventList.allocate(1)) {
            changes.set(0, 1, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 0);
            changes.set(1, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
            assertEquals(1, kq.kevent(changes, 2, ev, 1, POLL));
            assertEquals(1, ev.ident(0));
            assertEquals(EVFILT_USER, ev.filter(0));
            assertEquals(EV_CLEAR, ev.flags(0));
        }
    }

    /** KQ-23: [add 5, delete 5] in one call leaves no knote: a later EV_DELETE of 5 → ENOENT. */
    @Test
    void KQ_23_addThenDeleteInOneCallLeavesNoKnote() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(2);
             KEventList ev = KEventList.allocate(2)) {
            changes.set(0, 5, EVFILT_USER, EV_ADD, 0, 0, 0);
            changes.set(1, 5, EVFILT_USER, EV_DELETE, 0, 0, 0);
            assertEquals(0, kq.kevent(changes, 2, ev, 2, POLL));
            expectErrno(Errno.ENOENT, () -> change(kq, 5, EVFILT_USER, EV_DELETE));
        }
    }

    /**
     * KQ-24: a change whose filter is 0 is skipped: no error, no EV_ERROR entry (not even with
     * EV_RECEIPT), and the following changes are applied.
     */
    @Test
    void KQ_24_changeWithFilterZeroIsSkipped() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(3);
             KEventList ev = KEventList.allocate(3)) {
            changes.set(0, 1, (short) 0, EV_ADD, 0, 0, 0);
            changes.set(1, 2, (short) 0, EV_DELETE | EV_RECEIPT, 0, 0, 0);
            changes.set(2, 3, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 0);
            assertEquals(0, kq.kevent(changes, 3, ev, 3, POLL));
            assertEquals(0, kq.kevent(changes, 2, null, 0, POLL));
            assertEquals(0, change(kq, 3, EVFILT_USER, EV_DELETE), "the change after the skipped ones was applied");
        }
    }

    /** KQ-25: a filter value FreeBSD does not define (1, −20, −99) → EINVAL. */
    @Test
    void KQ_25_undefinedFilterFailsWithEinval() throws Exception {
        short[] filters = {1, -20, -99};
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(3);
             KEventList ev = KEventList.allocate(3)) {
            for (int i = 0; i < filters.length; i++) {
                short filter = filters[i];
                expectErrno(Errno.EINVAL, () -> change(kq, 1, filter, EV_ADD));
                changes.set(i, 1, filter, EV_ADD, 0, 0, 0);
            }
            assertEquals(3, kq.kevent(changes, 3, ev, 3, POLL));
            for (int i = 0; i < 3; i++) {
                assertEquals(filters[i], ev.filter(i));
                assertEquals(EV_ERROR, ev.flags(i));
                assertEquals(Errno.EINVAL.value(), ev.data(i));
            }
        }
    }

    /** KQ-26 (project rule): EVFILT_AIO (−3), EVFILT_LIO (−10) and EVFILT_SENDFILE (−12) → EPERM. */
    @Test
    void KQ_26_kernelOnlyFiltersFailWithEperm() throws Exception {
        try (KQueue kq = KQueue.open()) {
            for (short filter : new short[] {EVFILT_AIO, EVFILT_LIO, EVFILT_SENDFILE}) {
                expectErrno(Errno.EPERM, () -> change(kq, 1, filter, EV_ADD));
                expectErrno(Errno.EPERM, () -> change(kq, 0, filter, EV_ADD | EV_CLEAR, 0, 0, 0));
            }
        }
    }

    /**
     * KQ-27 (project rule): EVFILT_FS (−9) → ENXIO on the Linux backend. FreeBSD registers it and
     * reports mount events (BEHAVIOUR.md entry).
     */
    @Test
    void KQ_27_evfiltFsFailsWithEnxio() throws Exception {
        try (KQueue kq = KQueue.open()) {
            expectErrno(Errno.ENXIO, () -> change(kq, 0, EVFILT_FS, EV_ADD | EV_CLEAR));
            expectErrno(Errno.ENXIO, () -> change(kq, 1, EVFILT_FS, EV_ADD));
        }
    }

    /**
     * KQ-28: EV_ENABLE and EV_DISABLE in one change → EINVAL, for a new and for an existing knote;
     * the knote's state is unchanged (a new one is not created, an enabled one stays enabled, a
     * disabled one stays disabled).
     */
    @Test
    void KQ_28_enableWithDisableFailsWithEinvalAndChangesNothing() throws Exception {
        int both = EV_ENABLE | EV_DISABLE;
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(4)) {
            expectErrno(Errno.EINVAL, () -> change(kq, 1, EVFILT_USER, EV_ADD | both));
            expectErrno(Errno.ENOENT, () -> change(kq, 1, EVFILT_USER, EV_DELETE));

            change(kq, 2, EVFILT_USER, EV_ADD | EV_CLEAR);
            expectErrno(Errno.EINVAL, () -> change(kq, 2, EVFILT_USER, both));
            expectErrno(Errno.EINVAL, () -> change(kq, 2, EVFILT_USER, EV_ADD | both));
            change(kq, 2, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
            assertEquals(1, poll(kq, ev), "the enabled knote stayed enabled");
            assertEquals(2, ev.ident(0));

            change(kq, 3, EVFILT_USER, EV_ADD | EV_CLEAR | EV_DISABLE);
            expectErrno(Errno.EINVAL, () -> change(kq, 3, EVFILT_USER, both));
            change(kq, 3, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
            assertEquals(0, poll(kq, ev), "the disabled knote stayed disabled");
            change(kq, 3, EVFILT_USER, EV_ENABLE);
            assertEquals(1, poll(kq, ev));
            assertEquals(3, ev.ident(0));
        }
    }

    /**
     * KQ-29: a change without an action bit (flags = 0) on an (ident, filter) that is not
     * registered → ENOENT, and nothing is registered: data arriving later gives no event.
     */
    @Test
    void KQ_29_changeWithoutActionOnMissingKnoteFailsWithEnoent() throws Exception {
        int[] p = Os.pipe();
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(2)) {
            expectErrno(Errno.ENOENT, () -> change(kq, p[0], EVFILT_READ, 0));
            expectErrno(Errno.ENOENT, () -> change(kq, 4, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0));
            assertEquals(1, Os.write(p[1], 1));
            assertEquals(0, poll(kq, ev));
            expectErrno(Errno.ENOENT, () -> change(kq, p[0], EVFILT_READ, EV_DELETE));
        } finally {
            Os.closeQuietly(p);
        }
    }

    /** KQ-30: EV_ADD+EV_DELETE on a missing knote creates it; on an existing knote it deletes it. */
    @Test
    void KQ_30_addWithDeleteCreatesMissingAndDeletesExisting() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(2)) {
            assertEquals(0, change(kq, 1, EVFILT_USER, EV_ADD | EV_DELETE | EV_CLEAR));
            change(kq, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
            assertEquals(1, poll(kq, ev), "the knote was created");
            assertEquals(1, ev.ident(0));
            assertEquals(0, change(kq, 1, EVFILT_USER, EV_ADD | EV_DELETE));
            expectErrno(Errno.ENOENT, () -> change(kq, 1, EVFILT_USER, EV_DELETE));
            assertEquals(0, poll(kq, ev));
        }
    }
}
