package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxStructs;
import io.github.kqueueffm.emul.TimerClock;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.github.kqueueffm.bindings.linux.LinuxConstants.CLOCK_REALTIME;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.TFD_TIMER_ABSTIME;

/**
 * EVFILT_TIMER's clocks on Linux: {@link System#nanoTime()} is CLOCK_MONOTONIC, the clock of the
 * kqueue's one timerfd, which is armed with absolute deadlines; the wall clock is CLOCK_REALTIME.
 * Used under the kqueue's lock (the scratch buffers are the kqueue's).
 */
final class LinuxTimerClock implements TimerClock {
    private final int timerfd;
    // the kqueue's scratch buffers: used only under its lock
    private final MemorySegment spec;
    private final MemorySegment now;

    LinuxTimerClock(int timerfd, Scratch scratch) {
        this.timerfd = timerfd;
        this.spec = scratch.itimerspec;
        this.now = scratch.timespec;
    }

    @Override
    public long now() {
        return System.nanoTime();
    }

    @Override
    public long realtimeNanos() {
        LinuxCalls.clockGettime(CLOCK_REALTIME, now);
        return now.get(ValueLayout.JAVA_LONG, LinuxStructs.TIMESPEC_SEC) * 1_000_000_000L
                + now.get(ValueLayout.JAVA_LONG, LinuxStructs.TIMESPEC_NSEC);
    }

    @Override
    public void arm(long deadline) {
        spec.set(ValueLayout.JAVA_LONG, LinuxStructs.ITIMERSPEC_INTERVAL + LinuxStructs.TIMESPEC_SEC, 0L);
        spec.set(ValueLayout.JAVA_LONG, LinuxStructs.ITIMERSPEC_INTERVAL + LinuxStructs.TIMESPEC_NSEC, 0L);
        spec.set(ValueLayout.JAVA_LONG, LinuxStructs.ITIMERSPEC_VALUE + LinuxStructs.TIMESPEC_SEC,
                deadline / 1_000_000_000L);
        spec.set(ValueLayout.JAVA_LONG, LinuxStructs.ITIMERSPEC_VALUE + LinuxStructs.TIMESPEC_NSEC,
                deadline % 1_000_000_000L);
        LinuxCalls.timerfdSettime(timerfd, deadline == 0 ? 0 : TFD_TIMER_ABSTIME, spec, MemorySegment.NULL);
    }
}
