package io.github.kqueueffm.tests.support;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Helpers of the TM (EVFILT_TIMER), MT (threads) and RS (resources) conformance tests: a small
 * kqueue wrapper with its own change and event lists, the wall clock, RLIMIT_NOFILE, descriptor
 * link targets, and thread snapshots. Everything talks to the real kernel.
 */
public final class TmMtRsKit {
    /** How late a timer may fire on CI (docs/conformance.md#s1.2). */
    public static final long LATE_NANOS = Duration.ofMillis(250).toNanos();
    /** The wait that stands for "no event" with asynchronous sources (docs/conformance.md#s1.2). */
    public static final Duration NO_EVENT_WAIT = Duration.ofMillis(100);

    private TmMtRsKit() {
    }

    /**
     * One kqueue with a change list and an event list of its own. Not thread-safe: one thread
     * uses one {@code Q} (other threads get their own lists through {@link #newEvents}).
     */
    public static final class Q implements AutoCloseable {
        /** The kqueue. */
        public final KQueue kq;
        /** Change list. */
        public final KEventList ch;
        /** Event list. */
        public final KEventList ev;

        private Q(KQueue kq, int capacity) {
            this.kq = kq;
            this.ch = KEventList.allocate(capacity);
            this.ev = KEventList.allocate(capacity);
        }

        /** A new kqueue with lists of 64 records. */
        public static Q open() throws KQueueException {
            return new Q(KQueue.open(), 64);
        }

        /** A new kqueue with lists of {@code capacity} records. */
        public static Q open(int capacity) throws KQueueException {
            return new Q(KQueue.open(), capacity);
        }

        /** Wraps an open kqueue. */
        public static Q of(KQueue kq) {
            return new Q(kq, 64);
        }

        /** Applies one change with nevents = 0 (throws on failure); returns kevent's result. */
        public int apply(long ident, short filter, int flags, int fflags, long data, long udata)
                throws KQueueException {
            ch.set(0, ident, filter, flags, fflags, data, udata);
            return kq.kevent(ch, 1, null, 0, Duration.ZERO);
        }

        /** Applies one change with nevents = 0, udata 0. */
        public int apply(long ident, short filter, int flags, int fflags, long data) throws KQueueException {
            return apply(ident, filter, flags, fflags, data, 0);
        }

        /** The errno a change fails with when nevents = 0 (the call must throw). */
        public Errno thrown(long ident, short filter, int flags, int fflags, long data) {
            ch.set(0, ident, filter, flags, fflags, data, 0);
            KQueueException e = assertThrows(KQueueException.class,
                    () -> kq.kevent(ch, 1, null, 0, Duration.ZERO),
                    "change (" + ident + ", " + filter + ", flags 0x" + Integer.toHexString(flags) + ") must fail");
            return e.errno();
        }

        /**
         * The EV_ERROR entry a change yields when the call has room (nevents = 1): asserts one
         * entry with flags = EV_ERROR and returns its data as an Errno.
         */
        public Errno errorEntry(long ident, short filter, int flags, int fflags, long data) throws KQueueException {
            ch.set(0, ident, filter, flags, fflags, data, 0);
            int n = kq.kevent(ch, 1, ev, 1, Duration.ZERO);
            assertEquals(1, n, "one EV_ERROR entry for a failing change");
            assertEquals(KEvent.EV_ERROR, ev.flags(0) & KEvent.EV_ERROR, "the entry carries EV_ERROR: " + ev.get(0));
            return Errno.of((int) ev.data(0));
        }

        /** A poll: timeout {0, 0}. */
        public List<KEvent> poll() throws KQueueException {
            return collect(kq.kevent(null, 0, ev, ev.capacity(), Duration.ZERO));
        }

        /** A wait of at most {@code timeout} (null: no timeout). */
        public List<KEvent> wait(Duration timeout) throws KQueueException {
            return collect(kq.kevent(null, 0, ev, ev.capacity(), timeout));
        }

        /**
         * Waits until at least one event arrives or {@code deadlineNanos} (System.nanoTime) passes;
         * returns what the first non-empty call returned (empty at the deadline).
         */
        public List<KEvent> waitUntil(long deadlineNanos) throws KQueueException {
            while (true) {
                long left = deadlineNanos - System.nanoTime();
                List<KEvent> got = wait(Duration.ofNanos(Math.max(0, left)));
                if (!got.isEmpty() || left <= 0) {
                    return got;
                }
            }
        }

        private List<KEvent> collect(int n) {
            List<KEvent> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(ev.get(i));
            }
            return out;
        }

        @Override
        public void close() {
            kq.close();
            ch.close();
            ev.close();
        }
    }

    /** Asserts every written field of a returned event. */
    public static void assertEvent(KEvent e, long ident, short filter, int flags, int fflags, long data) {
        String what = "event " + e;
        assertEquals(ident, e.ident(), what + ": ident");
        assertEquals(filter, e.filter(), what + ": filter");
        assertEquals(hex(flags), hex(e.flags()), what + ": flags");
        assertEquals(hex(fflags), hex(e.fflags()), what + ": fflags");
        assertEquals(data, e.data(), what + ": data");
    }

    /** Hex text of flag bits, for readable assertion messages. */
    public static String hex(int bits) {
        return "0x" + Integer.toHexString(bits);
    }

    // ------------------------------------------------------------------ clocks

    /** CLOCK_REALTIME in nanoseconds since the epoch. */
    public static long realtimeNanos() {
        return HostOs.current().clockNanos(HostOs.Clock.REALTIME);
    }

    /** CLOCK_BOOTTIME in nanoseconds (time since boot, suspend included). */
    public static long boottimeNanos() {
        return HostOs.current().clockNanos(HostOs.Clock.BOOTTIME);
    }

    /**
     * {@code clock_settime(CLOCK_REALTIME)}: needs CAP_SYS_TIME.
     *
     * @return whether the clock was set
     */
    public static boolean setRealtimeNanos(long nanos) {
        return HostOs.current().setRealtimeClock(nanos);
    }

    /** Busy-waits (no sleep) for {@code nanos}. */
    public static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    // ------------------------------------------------------------------ RLIMIT_NOFILE

    /** RLIMIT_NOFILE as {cur, max}. */
    public static long[] getNofile() {
        return HostOs.current().noFileLimit();
    }

    /** Sets RLIMIT_NOFILE; returns whether setrlimit succeeded. */
    public static boolean setNofile(long cur, long max) {
        try {
            HostOs.current().setNoFileLimit(cur, max);
            return true;
        } catch (HostOs.CallException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ descriptors

    /**
     * What each open descriptor of a process refers to ({@link HostOs#descriptorTargets}: on Linux
     * the {@code /proc/<pid>/fd} link text).
     */
    public static Map<Integer, String> fdTargets(long pid) {
        return HostOs.current().descriptorTargets(pid);
    }

    /** Our own descriptors with their link targets. */
    public static Map<Integer, String> ownFdTargets() {
        return fdTargets(ProcessHandle.current().pid());
    }

    /** The descriptor numbers open now. */
    public static Set<Integer> openFds() {
        Set<Integer> s = new HashSet<>();
        for (int fd : Os.openDescriptors()) {
            s.add(fd);
        }
        return s;
    }

    /**
     * Descriptors open now that were not in {@code before}, with their link targets (descriptors
     * that closed while the listing ran are left out).
     */
    public static Map<Integer, String> newFds(Set<Integer> before) {
        HostOs host = HostOs.current();
        Map<Integer, String> out = new TreeMap<>();
        for (Map.Entry<Integer, String> e : ownFdTargets().entrySet()) {
            if (!before.contains(e.getKey()) && host.isOpen(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /**
     * Number of our descriptors whose link target starts with {@code prefix} (e.g. Linux's
     * "anon_inode:inotify").
     */
    public static int countFdsWithTarget(String prefix) {
        return (int) ownFdTargets().values().stream().filter(t -> t.startsWith(prefix)).count();
    }

    // ------------------------------------------------------------------ threads

    /** The live platform threads of the JVM. */
    public static Set<Thread> liveThreads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    /** Joins a thread for at most {@code millis}; returns whether it ended. */
    public static boolean join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    /** Thread.sleep without the checked exception. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
