package io.github.kqueueffm.linux;

import io.github.kqueueffm.core.Filter;
import io.github.kqueueffm.core.KEventRecord;
import io.github.kqueueffm.core.Knote;

import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.NOTE_FFAND;
import static io.github.kqueueffm.KEvent.NOTE_FFCOPY;
import static io.github.kqueueffm.KEvent.NOTE_FFCTRLMASK;
import static io.github.kqueueffm.KEvent.NOTE_FFLAGSMASK;
import static io.github.kqueueffm.KEvent.NOTE_FFOR;
import static io.github.kqueueffm.KEvent.NOTE_TRIGGER;

/**
 * EVFILT_USER, pure Java: no descriptor per knote. {@code hook} is the triggered bit,
 * {@code sfflags} the 24 user bits, {@code sdata} the data of the latest change (FreeBSD's
 * filt_usertouch). Project rule (US-14): the bits stored at EV_ADD are masked to
 * NOTE_FFLAGSMASK.
 */
final class UserFilter implements Filter {
    @Override
    public boolean isFd() {
        return false;
    }

    @Override
    public int attach(Knote kn) {
        kn.hook = 0; // NOTE_TRIGGER in the EV_ADD change does not trigger (US-05)
        kn.sfflags &= NOTE_FFLAGSMASK;
        return 0;
    }

    @Override
    public void detach(Knote kn) {
    }

    @Override
    public boolean event(Knote kn) {
        return kn.hook != 0;
    }

    @Override
    public boolean hasTouch() {
        return true;
    }

    @Override
    public void touch(Knote kn, KEventRecord kev, int type) {
        if (type == EVENT_REGISTER) {
            if ((kev.fflags & NOTE_TRIGGER) != 0) {
                kn.hook = 1;
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
                kn.hook = 0;
                kn.data = 0;
                kn.fflags = 0;
            }
        } else {
            kev.fflags = kn.sfflags;
            kev.data = kn.sdata;
            if ((kn.flags & EV_CLEAR) != 0) {
                kn.hook = 0;
                kn.data = 0;
                kn.fflags = 0;
            }
        }
    }
}
