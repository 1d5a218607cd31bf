package io.github.kqueueffm.emul;

/**
 * What {@link TimerFilter} needs from an OS: its clocks and one alarm that wakes the kqueue's
 * wait at the earliest deadline (a timerfd on Linux). Called under the kqueue's lock.
 */
public interface TimerClock {
    /**
     * The monotonic clock the alarm is set by, in nanoseconds.
     *
     * @return the current time
     */
    long now();

    /**
     * The wall clock (FreeBSD's CLOCK_REALTIME), for NOTE_ABSTIME deadlines.
     *
     * @return nanoseconds since the epoch
     */
    long realtimeNanos();

    /**
     * Makes the kqueue's wait return by a deadline of {@link #now()}'s clock.
     *
     * @param deadline the deadline (at least 1), or 0 to disarm
     */
    void arm(long deadline);
}
