package io.github.kqueueffm.emul;

import io.github.kqueueffm.core.Filter;
import io.github.kqueueffm.core.KEventRecord;
import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.Knote;
import io.github.kqueueffm.core.TimerLimit;

import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.NOTE_ABSTIME;
import static io.github.kqueueffm.KEvent.NOTE_MSECONDS;
import static io.github.kqueueffm.KEvent.NOTE_NSECONDS;
import static io.github.kqueueffm.KEvent.NOTE_SECONDS;
import static io.github.kqueueffm.KEvent.NOTE_USECONDS;

/**
 * EVFILT_TIMER on a heap of monotonic deadlines driving the kqueue's one alarm ({@link TimerClock}),
 * armed for the earliest deadline only (no descriptor per timer). Expiries are counted in
 * {@code data} from the clock, so overruns and expiries while disabled are never lost; absolute
 * (NOTE_ABSTIME) wall-clock deadlines are converted to the monotonic clock when registered. Rules
 * as FreeBSD's filt_timer: relative timers get EV_CLEAR, data 0 means one unit (at once with
 * EV_ONESHOT), a re-add restarts the timer and discards an undelivered expiry, invalid re-add
 * parameters come back as an event with EV_ERROR.
 */
public final class TimerFilter implements Filter {
    private static final int UNITS = NOTE_SECONDS | NOTE_MSECONDS | NOTE_USECONDS | NOTE_NSECONDS;
    /** Deadlines are capped this far ahead so comparisons never overflow (about 36 years). */
    private static final long FAR_FUTURE = 1L << 60;

    /** A timer's schedule, in {@code Knote.state}; guarded by the kqueue's lock. */
    static final class Timer {
        long deadline;
        /** 0 for a timer that expires once (EV_ONESHOT or NOTE_ABSTIME). */
        long period;
        /** Its position in the heap, or −1. */
        int index = -1;
    }

    private final KQueueCore core;
    private final TimerClock clock;
    // guarded by the kqueue's lock
    private final TimerHeap heap = new TimerHeap();
    /** The deadline the alarm is armed for, if {@link #armedAny}. */
    private long armed = Long.MIN_VALUE;
    private boolean armedAny;

    /**
     * @param core the kqueue
     * @param clock the OS's clocks and alarm
     */
    public TimerFilter(KQueueCore core, TimerClock clock) {
        this.core = core;
        this.clock = clock;
    }

    @Override
    public boolean isFd() {
        return false;
    }

    @Override
    public int attach(Knote kn) {
        assert core.holdsLock();
        int error = validate(kn.sfflags, kn.sdata);
        if (error != 0) {
            return error;
        }
        if (!TimerLimit.acquire()) {
            return Errors.ENOMEM;
        }
        kn.state = new Timer();
        if ((kn.sfflags & NOTE_ABSTIME) == 0) {
            kn.flags |= EV_CLEAR;
        }
        start(kn);
        return 0;
    }

    @Override
    public void detach(Knote kn) {
        assert core.holdsLock();
        heap.remove(kn);
        TimerLimit.release();
        rearm();
    }

    @Override
    public boolean event(Knote kn) {
        assert core.holdsLock();
        return kn.data != 0;
    }

    @Override
    public boolean hasTouch() {
        return true;
    }

    @Override
    public void touch(Knote kn, KEventRecord kev, int type) {
        assert core.holdsLock();
        if (type == EVENT_PROCESS) {
            if ((kn.flags & EV_CLEAR) != 0) {
                kn.data = 0;
            }
            return;
        }
        if ((kev.flags & EV_ADD) == 0) {
            return;
        }
        heap.remove(kn);
        core.deactivate(kn); // an expiry not yet retrieved is discarded
        kn.data = 0;
        kn.sfflags = kev.fflags;
        kn.sdata = kev.data;
        int error = validate(kn.sfflags, kn.sdata);
        if (error != 0) {
            kn.flags |= EV_ERROR;
            kn.data = error;
            rearm();
            return;
        }
        start(kn);
    }

    private static int validate(int fflags, long data) {
        if ((fflags & ~(UNITS | NOTE_ABSTIME)) != 0 || Integer.bitCount(fflags & UNITS) > 1 || data < 0) {
            return Errors.EINVAL;
        }
        return 0;
    }

    private void start(Knote kn) {
        Timer timer = (Timer) kn.state;
        long unit = unitNanos(kn.sfflags);
        long nowNanos = clock.now();
        if ((kn.sfflags & NOTE_ABSTIME) != 0) {
            long target = saturatingMultiply(kn.sdata, unit);
            long delta = target - clock.realtimeNanos();
            timer.deadline = nowNanos + Math.min(FAR_FUTURE, Math.max(0, delta));
            timer.period = 0;
        } else {
            boolean oneShot = (kn.flags & EV_ONESHOT) != 0;
            long count = kn.sdata == 0 && !oneShot ? 1 : kn.sdata;
            long interval = Math.min(FAR_FUTURE, saturatingMultiply(count, unit));
            timer.deadline = nowNanos + interval;
            timer.period = oneShot ? 0 : Math.max(1, interval);
        }
        heap.add(kn);
        rearm();
    }

    /** Counts the expiries due by now into {@code data} and activates those knotes (under the lock). */
    public void expire() {
        assert core.holdsLock();
        Knote top = heap.top();
        if (top == null) {
            return;
        }
        long nowNanos = clock.now();
        while (top != null && nowNanos - ((Timer) top.state).deadline >= 0) {
            Timer timer = (Timer) top.state;
            long expiries = 1;
            if (timer.period > 0) {
                long late = nowNanos - timer.deadline;
                expiries += late / timer.period;
                timer.deadline += expiries * timer.period;
                heap.topChanged();
            } else {
                heap.remove(top);
            }
            top.data += expiries;
            core.activate(top);
            top = heap.top();
        }
        rearm();
    }

    /** Arms the alarm for the earliest deadline (or disarms it), unless it already is. */
    private void rearm() {
        Knote top = heap.top();
        if (top == null) {
            if (armedAny) {
                clock.arm(0);
                armedAny = false;
            }
            return;
        }
        long deadline = ((Timer) top.state).deadline;
        if (armedAny && deadline == armed) {
            return;
        }
        clock.arm(Math.max(1, deadline));
        armed = deadline;
        armedAny = true;
    }

    private static long unitNanos(int fflags) {
        if ((fflags & NOTE_SECONDS) != 0) {
            return 1_000_000_000L;
        }
        if ((fflags & NOTE_USECONDS) != 0) {
            return 1_000L;
        }
        if ((fflags & NOTE_NSECONDS) != 0) {
            return 1L;
        }
        return 1_000_000L;
    }

    private static long saturatingMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            return lo;
        }
        return a < 0 == b < 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
}
