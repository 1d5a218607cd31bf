package io.github.kqueueffm.emul;

import io.github.kqueueffm.core.Filter;
import io.github.kqueueffm.core.KEventRecord;
import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.Knote;

import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.NOTE_FFAND;
import static io.github.kqueueffm.KEvent.NOTE_FFCOPY;
import static io.github.kqueueffm.KEvent.NOTE_FFCTRLMASK;
import static io.github.kqueueffm.KEvent.NOTE_FFLAGSMASK;
import static io.github.kqueueffm.KEvent.NOTE_FFOR;
import static io.github.kqueueffm.KEvent.NOTE_TRIGGER;

/**
 * EVFILT_USER, pure Java on every OS: no descriptor per knote. {@link Trigger} is the triggered
 * bit, {@code sfflags} the 24 user bits, {@code sdata} the data of the latest change (FreeBSD's
 * filt_usertouch). Project rule (US-14): the bits stored at EV_ADD are masked to
 * NOTE_FFLAGSMASK.
 */
public final class UserFilter implements Filter {
    /** A user knote's state, in {@code Knote.state}; guarded by the kqueue's lock. */
    static final class Trigger {
        /** NOTE_TRIGGER was given and not yet cleared (FreeBSD's kn_hookid). */
        boolean triggered;
    }

    private final KQueueCore core;

    /** @param core the kqueue whose lock guards the knotes */
    public UserFilter(KQueueCore core) {
        this.core = core;
    }

    @Override
    public boolean isFd() {
        return false;
    }

    @Override
    public int attach(Knote kn) {
        assert core.holdsLock();
        kn.state = new Trigger(); // NOTE_TRIGGER in the EV_ADD change does not trigger (US-05)
        kn.sfflags &= NOTE_FFLAGSMASK;
        return 0;
    }

    @Override
    public void detach(Knote kn) {
        assert core.holdsLock();
    }

    @Override
    public boolean event(Knote kn) {
        assert core.holdsLock();
        return ((Trigger) kn.state).triggered;
    }

    @Override
    public boolean hasTouch() {
        return true;
    }

    @Override
    public void touch(Knote kn, KEventRecord kev, int type) {
        assert core.holdsLock();
        Trigger trigger = (Trigger) kn.state;
        if (type == EVENT_REGISTER) {
            if ((kev.fflags & NOTE_TRIGGER) != 0) {
                trigger.triggered = true;
            }
            int control = kev.fflags & NOTE_FFCTRLMASK;
            kev.fflags &= NOTE_FFLAGSMASK;
            switch (control) {
                case NOTE_FFAND -> kn.sfflags &= kev.fflags;
                case NOTE_FFOR -> kn.sfflags |= kev.fflags;
                case NOTE_FFCOPY -> kn.sfflags = kev.fflags;
                default -> {
                }
            }
            kn.sdata = kev.data;
            if ((kev.flags & EV_CLEAR) != 0) {
                clear(kn, trigger);
            }
        } else {
            kev.fflags = kn.sfflags;
            kev.data = kn.sdata;
            if ((kn.flags & EV_CLEAR) != 0) {
                clear(kn, trigger);
            }
        }
    }

    private static void clear(Knote kn, Trigger trigger) {
        trigger.triggered = false;
        kn.data = 0;
        kn.fflags = 0;
    }
}
