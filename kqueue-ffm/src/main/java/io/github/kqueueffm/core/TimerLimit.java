package io.github.kqueueffm.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process-wide count and limit of EVFILT_TIMER knotes, FreeBSD's {@code kq_ncallouts} and
 * {@code kern.kq_calloutmax}. The default is high enough for 100 000 timers per kqueue.
 */
public final class TimerLimit {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static volatile int max = Integer.getInteger("io.github.kqueueffm.maxTimers", 4_000_000);

    private TimerLimit() {
    }

    /**
     * Sets the limit ({@code KQueue.setMaxTimers}).
     *
     * @param limit the most EVFILT_TIMER knotes in this process
     */
    public static void setMax(int limit) {
        max = limit;
    }

    /**
     * The limit.
     *
     * @return the most EVFILT_TIMER knotes in this process
     */
    public static int max() {
        return max;
    }

    /** @return whether one more timer fits; if so it is counted */
    public static boolean acquire() {
        while (true) {
            int n = COUNT.get();
            if (n >= max) {
                return false;
            }
            if (COUNT.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Uncounts one timer. */
    public static void release() {
        COUNT.decrementAndGet();
    }

    /**
     * Uncounts timers.
     *
     * @param timers how many
     */
    public static void release(int timers) {
        COUNT.addAndGet(-timers);
    }
}
