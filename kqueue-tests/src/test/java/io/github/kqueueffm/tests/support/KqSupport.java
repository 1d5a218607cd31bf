package io.github.kqueueffm.tests.support;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Helpers for the KQ conformance rows (kqueue lifecycle, kevent() call rules, changelist,
 * receipts, nesting): single changes, errno expectations, RLIMIT_NOFILE, descriptor-number reuse
 * and thread snapshots. Everything here talks to the real kernel and the real library.
 */
public final class KqSupport {
    private KqSupport() {
    }

    /** A call that may fail with a {@link KQueueException}. */
    @FunctionalInterface
    public interface KqCall {
        /**
         * Runs the call.
         *
         * @throws Exception what it throws
         */
        void run() throws Exception;
    }

    /**
     * Applies one change with nevents = 0 (so a failing change throws).
     *
     * @return what kevent returned
     */
    public static int change(KQueue kq, long ident, short filter, int flags) throws KQueueException {
        return change(kq, ident, filter, flags, 0, 0, 0);
    }

    /**
     * Applies one change with nevents = 0 (so a failing change throws).
     *
     * @return what kevent returned
     */
    public static int change(KQueue kq, long ident, short filter, int flags, int fflags, long data, long udata)
            throws KQueueException {
        try (KEventList changes = KEventList.allocate(1)) {
            changes.set(0, ident, filter, flags, fflags, data, udata);
            return kq.kevent(changes, 1, null, 0, Duration.ZERO);
        }
    }

    /**
     * Runs a call that must throw a {@link KQueueException} with the given errno.
     *
     * @return the exception
     */
    public static KQueueException expectErrno(Errno expected, KqCall call) {
        try {
            call.run();
        } catch (KQueueException e) {
            assertEquals(expected, e.errno(), () -> "errno of: " + e.getMessage());
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected KQueueException(" + expected + "), got " + e, e);
        }
        return fail("expected KQueueException(" + expected + "), but the call succeeded");
    }

    /** A poll ({@code {0, 0}} timeout) with nevents = the list's capacity. */
    public static int poll(KQueue kq, KEventList events) throws KQueueException {
        return kq.kevent(null, 0, events, events.capacity(), Duration.ZERO);
    }

    /** A wait of at most {@code millis} with nevents = the list's capacity. */
    public static int waitFor(KQueue kq, KEventList events, long millis) throws KQueueException {
        return kq.kevent(null, 0, events, events.capacity(), Duration.ofMillis(millis));
    }

    /** Milliseconds elapsed since a {@link System#nanoTime()} value (CLOCK_MONOTONIC). */
    public static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    // ------------------------------------------------------------------ RLIMIT_NOFILE

    /** {@code getrlimit(RLIMIT_NOFILE)}: {@code {rlim_cur, rlim_max}}. */
    public static long[] noFileLimit() {
        return HostOs.current().noFileLimit();
    }

    /** {@code setrlimit(RLIMIT_NOFILE, {cur, max})}. */
    public static void setNoFileLimit(long cur, long max) {
        HostOs.current().setNoFileLimit(cur, max);
    }

    /**
     * Fills every free descriptor slot below the current RLIMIT_NOFILE with {@code dup(source)}
     * until dup fails with EMFILE, appending the new numbers to {@code fillers}. Allocates nothing
     * that needs a descriptor.
     */
    public static void fillDescriptors(int source, List<Integer> fillers) {
        HostOs host = HostOs.current();
        for (int i = 0; i < 1_000_000; i++) {
            int fd;
            try {
                fd = host.dup(source);
            } catch (HostOs.CallException e) {
                if (!e.errno().equals(Errno.EMFILE.name())) {
                    throw new IllegalStateException("dup failed with " + e.errno() + " instead of EMFILE", e);
                }
                return;
            }
            fillers.add(fd);
        }
        throw new IllegalStateException("RLIMIT_NOFILE was never reached");
    }

    /** Closes and forgets every descriptor in the list (errors ignored). */
    public static void closeAll(List<Integer> fds) {
        for (int fd : fds) {
            Os.closeQuietly(fd);
        }
        fds.clear();
    }

    // ------------------------------------------------------------------ descriptor numbers

    /**
     * Opens pipes until one end gets descriptor number {@code number} (Linux hands out the lowest
     * free number). Every descriptor opened is appended to {@code opened}, the caller closes them.
     *
     * @return whether the number was obtained
     */
    public static boolean reuseNumberWithPipes(int number, List<Integer> opened) {
        for (int i = 0; i < 200; i++) {
            int[] p = Os.pipe();
            opened.add(p[0]);
            opened.add(p[1]);
            if (p[0] == number || p[1] == number) {
                return true;
            }
            if (p[0] > number && p[1] > number && i > 20) {
                return false;
            }
        }
        return false;
    }

    /** Whether {@code fcntl(fd, F_GETFD)} fails with EBADF (the number is not open). */
    public static boolean isClosed(int fd) {
        return !HostOs.current().isOpen(fd);
    }

    /** A descriptor number that is not open right now (well above the open ones). */
    public static int unusedDescriptorNumber() {
        int[] open = Os.openDescriptors();
        int candidate = open[open.length - 1] + 100;
        while (!isClosed(candidate)) {
            candidate++;
        }
        return candidate;
    }

    // ------------------------------------------------------------------ threads

    /** The live threads of the JVM. */
    public static Set<Thread> liveThreads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    /** The names of live threads that are not in {@code before}. */
    public static List<String> newThreads(Set<Thread> before) {
        List<String> added = new ArrayList<>();
        for (Thread t : liveThreads()) {
            if (!before.contains(t) && t.isAlive()) {
                added.add(t.getName());
            }
        }
        return added;
    }

    /** Sleeps until {@code deadlineNanos} (System.nanoTime) has passed: never returns early. */
    public static void sleepUntil(long deadlineNanos) throws InterruptedException {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }
}
