package io.github.kqueueffm.properties.robustness;

import io.github.kqueueffm.Errno;

/**
 * The library bugs these properties found, each pinned by a test in
 * {@link RobustnessRegressionTest}. By default the properties treat them as divergences like any
 * other. With {@code -Dkqueue.robust.tolerateKnownBugs=true} they accept exactly these outcomes, so
 * the properties can look for further bugs while these wait for their fix; the regression tests are
 * never relaxed.
 */
final class KnownBugs {
    /** kqueues whose close() threw (tolerated): never closed again, since that would block forever. */
    private static final java.util.Set<Object> POISONED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Native bytes those kqueues kept. */
    private static final java.util.concurrent.atomic.AtomicLong LEAKED = new java.util.concurrent.atomic.AtomicLong();

    private KnownBugs() {
    }

    static boolean tolerated() {
        return Boolean.getBoolean("kqueue.robust.tolerateKnownBugs");
    }

    /** {@code PR_11_threadIdOfThisJvmIsNoProcess_ESRCH}: EV_ADD EVFILT_PROC on a thread id gives ENOENT. */
    static boolean procThreadIdEnoent(Errno errno) {
        return tolerated() && errno == Errno.ENOENT;
    }

    /**
     * {@code KQ_1x_...OfAnotherThreadsConfinedArena_EFAULT}: a list the calling thread may not
     * access makes kevent throw WrongThreadException instead of failing with EFAULT.
     */
    static boolean foreignList(Throwable t) {
        return tolerated() && t instanceof WrongThreadException;
    }

    /**
     * {@code MT_03_triggersFromOtherThreadsAlwaysWakeABlockedWaiter}: a lost wakeup can leave every
     * waiter with a NULL timeout asleep while events are queued. Tolerated by giving waiters a
     * 50 ms timeout instead of NULL (a waiter that wakes from its timeout takes the queued events).
     */
    static java.time.Duration waiterTimeout(java.time.Duration timeout) {
        return tolerated() && timeout == null ? java.time.Duration.ofMillis(50) : timeout;
    }

    /**
     * {@code MT_04_keventRacingClose...}: a kevent (or a signal handler) that wakes the kqueue after
     * unlocking races close() and throws the closed arena's IllegalStateException.
     */
    static boolean closeRace(Throwable t) {
        return tolerated() && t instanceof IllegalStateException && "Already closed".equals(t.getMessage());
    }

    /**
     * {@code MT_05_closeWhileThreadsTriggerAndWait...}: the same race seen from close(): it throws
     * IllegalStateException ("Session is acquired by 1 clients"), keeps the kqueue's native memory
     * and leaves the kqueue CLOSING, so a second close() blocks forever.
     */
    static boolean closeThrew(Throwable t) {
        return tolerated() && t instanceof IllegalStateException && t.getMessage() != null
                && t.getMessage().startsWith("Session is acquired");
    }

    static void poison(Object kq) {
        POISONED.add(kq);
    }

    static boolean poisoned(Object kq) {
        return POISONED.contains(kq);
    }

    /** Records native bytes kept by a poisoned kqueue. */
    static void leaked(long bytes) {
        LEAKED.addAndGet(bytes);
    }

    /** @return native bytes kept by poisoned kqueues so far (0 unless tolerated) */
    static long leakedSoFar() {
        return LEAKED.get();
    }
}
