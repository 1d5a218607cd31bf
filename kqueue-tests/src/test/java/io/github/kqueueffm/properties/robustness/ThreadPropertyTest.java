package io.github.kqueueffm.properties.robustness;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_DISABLE;
import static io.github.kqueueffm.KEvent.EV_DISPATCH;
import static io.github.kqueueffm.KEvent.EV_ENABLE;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.NOTE_TRIGGER;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Threads (issue 6, item 5; rows MT-01 – MT-06, MT-08, MT-13): W threads (2 – 8) call
 * {@code kevent} on one kqueue — with NULL, zero and short timeouts and 1 – 8 slots — while P
 * producer threads add EV_CLEAR user knotes (plain, EV_ONESHOT or EV_DISPATCH), trigger them,
 * delete them at random moments or disable and re-enable them around an activation, and finally (or early, at a random moment) one thread closes the
 * kqueue. Every knote has an ident and udata of its own, so each delivery names exactly one
 * activation. Invariants, checked for every sequence:
 * <ul>
 *   <li>every activation that was not deleted is delivered exactly once (a producer triggers a
 *       knote again only after its previous activation was delivered, so activations never merge);</li>
 *   <li>an activation deleted before delivery is delivered at most once, and never by a call that
 *       began after its EV_DELETE returned (MT-02); no call that began after an EV_DISABLE returned
 *       and ended before the next EV_ENABLE returns the knote (MT-13);</li>
 *   <li>nothing is delivered for a knote that was never triggered, no delivery carries action bits
 *       or foreign udata, and every producer call returns what the rows say (0, or ENOENT for a
 *       knote that is gone; EBADF once the kqueue is closed);</li>
 *   <li>no thread hangs: every thread is joined with a timeout; {@code close()} wakes every
 *       waiter, each of which fails with EBADF (MT-04, MT-05).</li>
 * </ul>
 * CI: sequences for about 22 s with a seeded mix of 2 – 8 waiters; {@code -Pstress}: 60 s with 8
 * waiters. Schedules are real thread interleavings, so a failing seed names the sequence's
 * parameters, not a replayable interleaving.
 */
class ThreadPropertyTest {
    /** How long a producer waits for one activation to be delivered. */
    private static final long DELIVERY_MILLIS = 5_000;
    /** How long close() may take to wake every waiter (MT-04 says 1 s; CI is shared). */
    private static final long WAKE_MILLIS = 2_000;

    @Test
    void everyActivationOnceNothingAfterDeleteCloseWakesAll() throws Exception {
        long seed = Robust.seed();
        long budgetNanos = TimeUnit.SECONDS.toNanos(Robust.stress() ? 60 : 22);
        Random random = new Random(seed);
        // warm-up: the JDK's lazily made threads and descriptors
        new Sequence(new Random(1), 2, 1, 20, false).run();
        Robust.Snapshot start = Robust.Snapshot.take();
        long sequences = 0;
        long divergences = 0;
        long activations = 0;
        long begin = System.nanoTime();
        try {
            while (System.nanoTime() - begin < budgetNanos) {
                int waiters = Robust.stress() ? 8 : 2 + random.nextInt(7);
                int producers = 1 + random.nextInt(3);
                int knotesPerProducer = 10 + random.nextInt(60);
                boolean closeEarly = random.nextInt(4) == 0;
                Sequence s = new Sequence(new Random(random.nextLong()), waiters, producers, knotesPerProducer,
                        closeEarly);
                sequences++;
                try {
                    activations += s.run();
                } catch (AssertionError e) {
                    divergences++;
                    throw new AssertionError("sequence " + sequences + " " + s + ": " + e.getMessage(), e);
                }
            }
        } finally {
            Robust.summary("threads", sequences, divergences, seed);
        }
        System.out.println("  (threads: " + activations + " activations delivered)");
        Robust.assertBackTo(start, 3000, "after the threads property");
    }

    /** One kqueue, its waiters and producers, from open to close. */
    static final class Sequence {
        private final Random random;
        private final int waiterCount;
        private final int producerCount;
        private final int knotesPerProducer;
        private final boolean closeEarly;

        /** A global clock: stamps taken before a kevent call and after an EV_DELETE returned. */
        private final AtomicLong clock = new AtomicLong();
        private final Map<Long, Knote> knotes = new ConcurrentHashMap<>();
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile KQueue kq;

        Sequence(Random random, int waiters, int producers, int knotesPerProducer, boolean closeEarly) {
            this.random = random;
            this.waiterCount = waiters;
            this.producerCount = producers;
            this.knotesPerProducer = knotesPerProducer;
            this.closeEarly = closeEarly;
        }

        @Override
        public String toString() {
            return "(waiters " + waiterCount + ", producers " + producerCount + ", knotes/producer "
                    + knotesPerProducer + ", closeEarly " + closeEarly + ")";
        }

        enum Mode { CLEAR, ONESHOT, DISPATCH }

        /** What else happens to a knote: a delete at some moment, or a disable/enable window (MT-13). */
        enum Delete { NEVER, BEFORE_TRIGGER, AFTER_TRIGGER, AFTER_DELIVERY, DISABLE_WINDOW }

        /** What one producer did to one knote, and what the waiters saw of it. */
        static final class Knote {
            final long ident;
            final long udata;
            final Mode mode;
            volatile int triggers;
            /** Clock value after EV_DELETE returned; Long.MAX_VALUE while not deleted. */
            volatile long deletedAt = Long.MAX_VALUE;
            /** Clock value after EV_DISABLE returned, and before the EV_ENABLE that ends the window. */
            volatile long disabledAt = Long.MAX_VALUE;
            volatile long enableStartedAt = Long.MAX_VALUE;
            final AtomicInteger deliveries = new AtomicInteger();

            Knote(long ident, long udata, Mode mode) {
                this.ident = ident;
                this.udata = udata;
                this.mode = mode;
            }
        }

        /** Runs the sequence; returns the number of activations delivered. */
        long run() throws Exception {
            int fdsBefore = Robust.fdCount();
            long memBefore = KQueue.nativeMemoryInUse();
            kq = KQueue.open();
            List<Thread> waiters = new ArrayList<>();
            List<Thread> producers = new ArrayList<>();
            try {
                for (int w = 0; w < waiterCount; w++) {
                    Random r = new Random(random.nextLong());
                    waiters.add(Thread.ofPlatform().daemon().name("robust-waiter-" + w).start(() -> waiter(r)));
                }
                for (int p = 0; p < producerCount; p++) {
                    Random r = new Random(random.nextLong());
                    long base = ((long) p << 32) | 0x5000_0000L;
                    producers.add(Thread.ofPlatform().daemon().name("robust-producer-" + p)
                            .start(() -> producer(r, base)));
                }
                if (closeEarly) {
                    Thread.sleep(random.nextInt(30));
                    closeAndJoin(waiters, producers);
                } else {
                    Robust.joinAll(producers, DELIVERY_MILLIS * 4 + knotesPerProducer * 50L, "producers");
                    closeAndJoin(waiters, producers);
                }
            } finally {
                if (!closed.get()) {
                    closed.set(true);
                    Robust.close(kq, WAKE_MILLIS);
                }
                for (Thread t : waiters) {
                    t.interrupt();
                }
                for (Thread t : producers) {
                    t.interrupt();
                }
            }
            verify();
            String leak = Robust.quickDiff(fdsBefore, memBefore);
            if (!leak.isEmpty()) {
                Thread.sleep(50);
                leak = Robust.quickDiff(fdsBefore, memBefore);
                if (!leak.isEmpty()) {
                    fail("leak after the sequence (RS-03, RS-10): " + leak);
                }
            }
            long delivered = 0;
            for (Knote k : knotes.values()) {
                delivered += k.deliveries.get();
            }
            return delivered;
        }

        private void closeAndJoin(List<Thread> waiters, List<Thread> producers) throws Exception {
            closed.set(true);
            String problem = Robust.close(kq, WAKE_MILLIS);
            if (problem != null) {
                fail(problem);
            }
            List<Thread> all = new ArrayList<>(waiters);
            all.addAll(producers);
            // MT-04/MT-05: every waiter returns with EBADF after close
            Robust.joinAll(all, WAKE_MILLIS + DELIVERY_MILLIS, "after close()");
        }

        private void verify() {
            if (!failures.isEmpty()) {
                fail(failures.size() + " violation(s): " + String.join("\n  ", failures));
            }
        }

        private void failure(String what) {
            failures.add(what);
        }

        // ---------------------------------------------------------------- waiters

        private void waiter(Random r) {
            try (KEventList ev = KEventList.allocate(8)) {
                while (true) {
                    int slots = 1 + r.nextInt(8);
                    int pick = r.nextInt(10);
                    Duration timeout = pick < 5 ? null : pick < 7 ? Duration.ZERO
                            : Duration.ofNanos(1 + r.nextInt(2_000_000));
                    long startedAt = clock.incrementAndGet();
                    int n;
                    try {
                        n = kq.kevent(null, 0, ev, slots, timeout);
                    } catch (KQueueException e) {
                        if (e.errno() == Errno.EBADF && closed.get()) {
                            return; // MT-04: close wakes the waiter with EBADF
                        }
                        failure(Thread.currentThread().getName() + ": kevent threw " + e);
                        return;
                    } catch (Throwable e) {
                        failure(Thread.currentThread().getName() + ": kevent threw " + e);
                        return;
                    }
                    if (n < 0 || n > slots) {
                        failure("kevent returned " + n + " with nevents " + slots);
                        return;
                    }
                    if (n == 0 && timeout == null) {
                        failure("kevent with a NULL timeout returned 0");
                    }
                    long returnedAt = clock.incrementAndGet();
                    for (int i = 0; i < n; i++) {
                        delivered(ev.get(i), startedAt, returnedAt);
                    }
                    if (pick == 5 || pick == 6) {
                        Thread.onSpinWait(); // a polling waiter must not starve the others
                        Thread.yield();
                    }
                }
            }
        }

        private void delivered(KEvent e, long startedAt, long returnedAt) {
            Knote k = knotes.get(e.ident());
            if (e.filter() != EVFILT_USER || k == null) {
                failure("event for a knote no producer made: " + e);
                return;
            }
            if (e.udata() != k.udata) {
                failure("udata " + e.udata() + " instead of " + k.udata + ": " + e);
            }
            int expectedFlags = EV_CLEAR | (k.mode == Mode.ONESHOT ? EV_ONESHOT : 0)
                    | (k.mode == Mode.DISPATCH ? EV_DISPATCH : 0);
            if (e.flags() != expectedFlags) {
                failure("flags 0x" + Integer.toHexString(e.flags()) + " instead of 0x"
                        + Integer.toHexString(expectedFlags) + " (US-02, FL-12, FL-15, FL-25): " + e);
            }
            if (startedAt > k.deletedAt) {
                failure("delivered by a call that began after the knote's EV_DELETE returned (MT-02): " + e);
            }
            if (startedAt > k.disabledAt && returnedAt < k.enableStartedAt) {
                failure("delivered by a call that began after EV_DISABLE returned and ended before EV_ENABLE"
                        + " (MT-13): " + e);
            }
            int n = k.deliveries.incrementAndGet();
            if (n > k.triggers) {
                failure("delivery " + n + " of a knote triggered " + k.triggers + " time(s): " + e);
            }
        }

        // ---------------------------------------------------------------- producers

        private void producer(Random r, long base) {
            try (KEventList ch = KEventList.allocate(2)) {
                List<Knote> mine = new ArrayList<>();
                for (int i = 0; i < knotesPerProducer; i++) {
                    Mode mode = Mode.values()[r.nextInt(3)];
                    Delete delete = Delete.values()[r.nextInt(5)];
                    long ident = base + i;
                    Knote k = new Knote(ident, r.nextLong(), mode);
                    knotes.put(ident, k);
                    mine.add(k);
                    int flags = EV_ADD | EV_CLEAR | (mode == Mode.ONESHOT ? EV_ONESHOT : 0)
                            | (mode == Mode.DISPATCH ? EV_DISPATCH : 0);
                    if (!apply(ch, k, flags, 0, 0)) {
                        return;
                    }
                    if (delete == Delete.BEFORE_TRIGGER) {
                        if (!deleteKnote(ch, k, 0)) {
                            return;
                        }
                        // a trigger of a deleted knote fails with ENOENT (US-21)
                        if (!apply(ch, k, 0, NOTE_TRIGGER, Errno.ENOENT.value())) {
                            return;
                        }
                        continue;
                    }
                    int triggers = mode == Mode.ONESHOT ? 1 : 1 + r.nextInt(3);
                    for (int t = 0; t < triggers; t++) {
                        int trigFlags = mode == Mode.DISPATCH && t > 0 ? EV_ENABLE : 0; // US-19
                        k.triggers++;
                        if (!apply(ch, k, trigFlags, NOTE_TRIGGER, 0)) {
                            return;
                        }
                        if (delete == Delete.DISABLE_WINDOW && t == triggers - 1) {
                            // MT-13: while disabled, no call that begins after EV_DISABLE returned may
                            // return the activation; EV_ENABLE then brings it back unless it was
                            // taken before the disable (a one-shot knote is gone then: ENOENT)
                            int expect = mode == Mode.ONESHOT ? -1 : 0;
                            if (!apply(ch, k, EV_DISABLE, 0, expect)) {
                                return;
                            }
                            k.disabledAt = clock.incrementAndGet();
                            for (int spin = r.nextInt(200); spin > 0; spin--) {
                                Thread.onSpinWait();
                            }
                            k.enableStartedAt = clock.incrementAndGet();
                            if (!apply(ch, k, EV_ENABLE, 0, expect)) {
                                return;
                            }
                        }
                        if (delete == Delete.AFTER_TRIGGER && t == triggers - 1) {
                            if (r.nextBoolean()) {
                                Thread.onSpinWait();
                            }
                            // the activation may be claimed first; then a one-shot knote is gone
                            if (!deleteKnote(ch, k, mode == Mode.ONESHOT ? -1 : 0)) {
                                return;
                            }
                            break;
                        }
                        if (!awaitDelivery(k, t + 1)) {
                            return;
                        }
                    }
                    if (delete == Delete.AFTER_DELIVERY) {
                        if (!deleteKnote(ch, k, mode == Mode.ONESHOT ? Errno.ENOENT.value() : 0)) {
                            return;
                        }
                    }
                    if (r.nextInt(8) == 0) {
                        Thread.yield();
                    }
                }
                // every activation not deleted has been delivered exactly once by now: awaitDelivery
                // checked each; a late duplicate is caught in delivered() until close
                for (Knote k : mine) {
                    if (k.deletedAt == Long.MAX_VALUE && k.deliveries.get() != k.triggers && !closed.get()) {
                        failure("knote " + k.ident + ": " + k.deliveries.get() + " deliveries of " + k.triggers
                                + " activations");
                    }
                }
            }
        }

        /**
         * Applies one change with nevents = 0; {@code expectErrno} 0 means it must succeed, −1 that
         * 0 or ENOENT are both fine. Returns false when the sequence should stop (kqueue closed or
         * a violation).
         */
        private boolean apply(KEventList ch, Knote k, int flags, int fflags, int expectErrno) {
            ch.set(0, k.ident, EVFILT_USER, flags, fflags, 0, k.udata);
            try {
                kq.kevent(ch, 1, null, 0, Duration.ZERO);
                if (expectErrno > 0) {
                    failure("change 0x" + Integer.toHexString(flags) + " on knote " + k.ident + " succeeded, expected "
                            + Errno.of(expectErrno));
                    return false;
                }
                return true;
            } catch (KQueueException e) {
                if (e.errno() == Errno.EBADF && closed.get()) {
                    return false;
                }
                if (expectErrno == e.errnoValue() || (expectErrno == -1 && e.errno() == Errno.ENOENT)) {
                    return true;
                }
                failure("change 0x" + Integer.toHexString(flags) + "/0x" + Integer.toHexString(fflags) + " on knote "
                        + k.ident + " (" + k.mode + ") failed: " + e);
                return false;
            } catch (Throwable e) {
                failure("change on knote " + k.ident + " threw " + e);
                return false;
            }
        }

        private boolean deleteKnote(KEventList ch, Knote k, int expectErrno) {
            boolean ok = apply(ch, k, EV_DELETE, 0, expectErrno);
            if (ok) {
                k.deletedAt = clock.incrementAndGet();
            }
            return ok;
        }

        /** What the waiters are doing, and what a poll from here finds. */
        private String diagnose() {
            StringBuilder sb = new StringBuilder("; waiters:");
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("robust-waiter-")) {
                    StackTraceElement[] st = t.getStackTrace();
                    sb.append(' ').append(t.getName()).append('=').append(t.getState());
                    for (StackTraceElement e : st) {
                        if (e.getClassName().startsWith("io.github.kqueueffm.core") || e.getClassName().contains("linux")) {
                            sb.append('@').append(e.getClassName().substring(e.getClassName().lastIndexOf('.') + 1))
                                    .append('.').append(e.getMethodName());
                            break;
                        }
                    }
                }
            }
            try (KEventList ev = KEventList.allocate(8)) {
                int n = kq.kevent(null, 0, ev, 8, Duration.ZERO);
                sb.append("; a poll from the producer returned ").append(n);
                for (int i = 0; i < n; i++) {
                    sb.append(' ').append(ev.get(i));
                    long now = clock.incrementAndGet();
                    delivered(ev.get(i), now, now);
                }
            } catch (Exception e) {
                sb.append("; a poll from the producer threw ").append(e);
            }
            return sb.toString();
        }

        private boolean awaitDelivery(Knote k, int count) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DELIVERY_MILLIS);
            while (k.deliveries.get() < count) {
                if (closed.get()) {
                    return false;
                }
                if (System.nanoTime() > deadline) {
                    failure("activation " + count + " of knote " + k.ident + " (" + k.mode + ") not delivered within "
                            + DELIVERY_MILLIS + " ms" + diagnose());
                    return false;
                }
                Thread.onSpinWait();
                Thread.yield();
            }
            return true;
        }
    }
}
