package io.github.kqueueffm.emul;

import io.github.kqueueffm.core.CompactKnotes;
import io.github.kqueueffm.core.Filter;
import io.github.kqueueffm.core.KEventRecord;
import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.Knote;
import io.github.kqueueffm.core.NativeMemory;
import io.github.kqueueffm.core.TimerLimit;

import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
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
 *
 * <p>A new timer is kept compact ({@link CompactTimers}: a 40-byte native record, no knote) until
 * it expires or a change names it. The core then {@linkplain KQueueCore#expand expands} it into a
 * knote with the same state, and every rule applies to that knote as to any other; an EV_DELETE
 * only drops the record, so arming a timeout and cancelling it allocates nothing. A knote timer
 * is its knote and its heap slot, nothing else: the deadline lives in the heap, the period is
 * recomputed from {@code sfflags}/{@code sdata} when a periodic timer expires (it is 0, as
 * FreeBSD's {@code filt_timerexpire} decides, when the knote is EV_ONESHOT or NOTE_ABSTIME).
 * Registering a timer that is not the earliest makes no system call.
 */
public final class TimerFilter implements Filter {
    private static final int UNITS = NOTE_SECONDS | NOTE_MSECONDS | NOTE_USECONDS | NOTE_NSECONDS;
    /** Deadlines are capped this far ahead so comparisons never overflow (about 36 years). */
    private static final long FAR_FUTURE = 1L << 60;

    private final KQueueCore core;
    private final TimerClock clock;
    // guarded by the kqueue's lock
    private final TimerHeap heap = new TimerHeap();
    private final CompactTimers compact;
    private final Compact compactKnotes = new Compact();
    /** The deadline the alarm is armed for, if {@link #armedAny}. */
    private long armed = Long.MIN_VALUE;
    private boolean armedAny;
    /** {@link #expire} queued a knote and left the alarm for {@link #settle}. */
    private boolean rearmPending;

    /**
     * @param core the kqueue
     * @param clock the OS's clocks and alarm
     * @param memory the kqueue's native memory, for the compact timers
     */
    public TimerFilter(KQueueCore core, TimerClock clock, NativeMemory memory) {
        this.core = core;
        this.clock = clock;
        this.compact = new CompactTimers(memory);
    }

    @Override
    public boolean isFd() {
        return false;
    }

    @Override
    public int attach(Knote kn) {
        assert core.holdsLock();
        int error = admit(kn.sfflags, kn.sdata);
        if (error != 0) {
            return error;
        }
        kn.flags = flagsOf(kn.flags, kn.sfflags);
        start(kn);
        return 0;
    }

    /** Validates a new timer's parameters and counts it against the process's limit. */
    private static int admit(int sfflags, long sdata) {
        int error = validate(sfflags, sdata);
        if (error != 0) {
            return error;
        }
        return TimerLimit.acquire() ? 0 : Errors.ENOMEM;
    }

    /** A new timer's flags: relative timers get EV_CLEAR. */
    private static int flagsOf(int flags, int sfflags) {
        return (sfflags & NOTE_ABSTIME) == 0 ? flags | EV_CLEAR : flags;
    }

    @Override
    public void detach(Knote kn) {
        assert core.holdsLock();
        TimerLimit.release();
        if (core.isReleasing()) {
            heap.clear(); // all go at once: no sift per timer, no re-arming while they go
            return;
        }
        heap.remove(kn);
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
        heap.add(kn, deadline(kn.flags, kn.sfflags, kn.sdata));
        rearm(); // a system call only if the earliest deadline changed
    }

    /** The first deadline of a timer started now. */
    private long deadline(int flags, int sfflags, long sdata) {
        long unit = unitNanos(sfflags);
        long nowNanos = clock.now();
        if ((sfflags & NOTE_ABSTIME) != 0) {
            long target = saturatingMultiply(sdata, unit);
            long delta = target - clock.realtimeNanos();
            return nowNanos + Math.min(FAR_FUTURE, Math.max(0, delta));
        }
        boolean oneShot = (flags & EV_ONESHOT) != 0;
        long count = sdata == 0 && !oneShot ? 1 : sdata;
        return nowNanos + Math.min(FAR_FUTURE, saturatingMultiply(count, unit));
    }

    // ---------------------------------------------------------------- compact timers

    @Override
    public CompactKnotes compactKnotes() {
        return compactKnotes;
    }

    /** New timers as {@link CompactTimers} records until they expire or a change names them. */
    private final class Compact implements CompactKnotes {
        @Override
        public int attach(KEventRecord kev, int flags) {
            assert core.holdsLock();
            if (compact.size() >= CompactTimers.MAX) {
                return -1;
            }
            int error = admit(kev.fflags, kev.data);
            if (error != 0) {
                return error;
            }
            int knoteFlags = flagsOf(flags, kev.fflags);
            compact.add(kev.ident, kev.udata, kev.data, knoteFlags, kev.fflags,
                    deadline(knoteFlags, kev.fflags, kev.data));
            rearm(); // as start(): a system call only if the earliest deadline changed
            return 0;
        }

        @Override
        public boolean holds(long ident) {
            assert core.holdsLock();
            return compact.find(ident) >= 0;
        }

        @Override
        public void expand(Knote kn) {
            assert core.holdsLock();
            int position = compact.find(kn.ident);
            if (position < 0) {
                throw new IllegalStateException("no compact timer " + kn.ident);
            }
            kn.flags = compact.flags(position);
            kn.sfflags = compact.sfflags(position);
            kn.sdata = compact.sdata(position);
            kn.udata = compact.udata(position);
            long deadline = compact.deadline(position);
            compact.remove(position);
            heap.add(kn, deadline); // the earliest deadline of the two heaps is unchanged: no re-arm
        }

        @Override
        public boolean detach(long ident) {
            assert core.holdsLock();
            int position = compact.find(ident);
            if (position < 0) {
                return false;
            }
            compact.remove(position);
            TimerLimit.release();
            rearm();
            return true;
        }

        @Override
        public void releaseAll() {
            assert core.holdsLock() && core.isReleasing();
            TimerLimit.release(compact.size());
            compact.clear();
        }
    }

    /** A periodic timer's period in nanoseconds, or 0 for one that expires once. */
    private static long period(Knote kn) {
        if ((kn.flags & EV_ONESHOT) != 0 || (kn.sfflags & NOTE_ABSTIME) != 0) {
            return 0;
        }
        long count = kn.sdata == 0 ? 1 : kn.sdata;
        return Math.max(1, Math.min(FAR_FUTURE, saturatingMultiply(count, unitNanos(kn.sfflags))));
    }

    /**
     * Counts the expiries due by now into {@code data} and activates those knotes, in one pass
     * over the heap with one clock reading (under the lock). The alarm is re-armed for the new
     * earliest deadline at once, unless a knote was queued: the caller then collects without
     * waiting (a queued knote means no wait) and {@link #settle}s before the lock is released,
     * so a call that expires timers twice (before and after its poll) re-arms once.
     */
    public void expire() {
        assert core.holdsLock();
        if (heap.isEmpty() && compact.isEmpty()) {
            return;
        }
        long nowNanos = clock.now();
        while (!compact.isEmpty() && nowNanos - compact.topDeadline() >= 0) {
            if (core.expand(compact.ident(0), EVFILT_TIMER, this) == null) { // into the heap, expired below
                throw new IllegalStateException("a compact timer the kqueue does not count");
            }
        }
        boolean queued = false;
        while (!heap.isEmpty() && nowNanos - heap.topDeadline() >= 0) {
            Knote top = heap.top();
            long period = period(top);
            long expiries = 1;
            if (period > 0) {
                expiries += (nowNanos - heap.topDeadline()) / period;
                heap.rekeyTop(heap.topDeadline() + expiries * period);
            } else {
                heap.pop();
            }
            top.data += expiries;
            core.activate(top);
            queued |= top.has(Knote.QUEUED);
        }
        if (queued) {
            rearmPending = true;
        } else {
            rearm();
        }
    }

    /**
     * Re-arms the alarm if {@link #expire} left it (under the lock, after the scan that follows
     * it and before the lock is released).
     */
    public void settle() {
        assert core.holdsLock();
        if (rearmPending) {
            rearm();
        }
    }

    /** Arms the alarm for the earliest deadline (or disarms it), unless it already is. */
    private void rearm() {
        rearmPending = false;
        if (heap.isEmpty() && compact.isEmpty()) {
            if (armedAny) {
                clock.arm(0);
                armedAny = false;
            }
            return;
        }
        long deadline = heap.isEmpty() ? compact.topDeadline()
                : compact.isEmpty() || heap.topDeadline() - compact.topDeadline() <= 0 ? heap.topDeadline()
                : compact.topDeadline();
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
