package io.github.kqueueffm.properties.robustness;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;

import java.util.EnumSet;
import java.util.Set;

import static io.github.kqueueffm.KEvent.EVFILT_AIO;
import static io.github.kqueueffm.KEvent.EVFILT_EMPTY;
import static io.github.kqueueffm.KEvent.EVFILT_FS;
import static io.github.kqueueffm.KEvent.EVFILT_LIO;
import static io.github.kqueueffm.KEvent.EVFILT_PROC;
import static io.github.kqueueffm.KEvent.EVFILT_PROCDESC;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_SENDFILE;
import static io.github.kqueueffm.KEvent.EVFILT_SIGNAL;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EVFILT_VNODE;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_DISABLE;
import static io.github.kqueueffm.KEvent.EV_ENABLE;
import static io.github.kqueueffm.KEvent.EV_FORCEONESHOT;
import static io.github.kqueueffm.KEvent.EV_KEEPUDATA;

/**
 * The errno values the conformance catalogue (docs/conformance.md#rows) allows for one change, by
 * the rows that name them. A change may meet several rules at once (an unknown filter with
 * EV_ENABLE+EV_DISABLE); the set is their union, since the catalogue gives no precedence except
 * where a row says "before" (KQ-09 – KQ-12).
 */
final class Oracle {
    /** The action bits that never appear in a returned event (FL-25). */
    static final int ACTION_BITS = EV_ADD | EV_DELETE | EV_ENABLE | EV_DISABLE | EV_FORCEONESHOT | EV_KEEPUDATA;

    private Oracle() {
    }

    /** Whether the filter is one FreeBSD defines (−1 … −13). */
    static boolean knownFilter(short filter) {
        return filter <= -1 && filter >= -KEvent.EVFILT_SYSCOUNT;
    }

    /** Whether the filter takes a descriptor as its ident (KQ-32). */
    static boolean descriptorFilter(short filter) {
        return filter == EVFILT_READ || filter == EVFILT_WRITE || filter == EVFILT_EMPTY
                || filter == EVFILT_VNODE || filter == EVFILT_PROCDESC;
    }

    /** Whether a returned event may carry this filter (kernel-only and FS filters never register). */
    static boolean reportableFilter(short filter) {
        return knownFilter(filter) && filter != EVFILT_AIO && filter != EVFILT_LIO
                && filter != EVFILT_SENDFILE && filter != EVFILT_FS;
    }

    /**
     * The errnos a change (filter != 0) may fail with.
     *
     * @param ident the resolved ident
     */
    static Set<Errno> allowed(long ident, short filter, int flags, int fflags) {
        EnumSet<Errno> out = EnumSet.noneOf(Errno.class);
        if (!knownFilter(filter)) {
            out.add(Errno.EINVAL); // KQ-25
            return out;
        }
        if ((flags & (EV_ENABLE | EV_DISABLE)) == (EV_ENABLE | EV_DISABLE)) {
            out.add(Errno.EINVAL); // KQ-28
        }
        if ((flags & (EV_ADD | EV_KEEPUDATA)) == (EV_ADD | EV_KEEPUDATA)) {
            out.add(Errno.EINVAL); // FL-23
        }
        if (descriptorFilter(filter) && (ident < 0 || ident > Integer.MAX_VALUE)) {
            out.add(Errno.EBADF); // KQ-33: checked before the knote lookup
            return out;
        }
        if ((flags & EV_ADD) == 0) {
            out.add(Errno.ENOENT); // KQ-29, FL-11
        } else {
            out.add(Errno.ENOMEM); // RS-08: the per-kqueue knote limit
        }
        switch (filter) {
            case EVFILT_AIO, EVFILT_LIO, EVFILT_SENDFILE -> out.add(Errno.EPERM); // KQ-26
            case EVFILT_FS -> out.add(Errno.ENXIO); // KQ-27
            case EVFILT_TIMER -> out.add(Errno.EINVAL); // TM-10 – TM-12; ENOMEM past the timer limit (TM-36)
            case EVFILT_SIGNAL -> out.add(Errno.EINVAL); // SG-09, SG-10
            case EVFILT_PROC -> {
                out.add(Errno.ESRCH); // PR-11
                out.add(Errno.EPERM); // PR-23: NOTE_FORK/EXEC/TRACK without CAP_NET_ADMIN
                out.add(Errno.EMFILE); // RS-07: a pidfd per knote
                out.add(Errno.ENFILE);
            }
            case EVFILT_USER -> {
                // US rows: no error of its own
            }
            default -> {
                // descriptor filters
                out.add(Errno.EBADF); // KQ-32, KQ-49
                out.add(Errno.EINVAL); // KQ-53, KQ-56, PD-07, PD-08: the wrong kind of descriptor
                out.add(Errno.ELOOP); // KQ-58, KQ-59: kqueues watching kqueues
                out.add(Errno.EMFILE); // RS-07
                out.add(Errno.ENFILE);
                // No row covers descriptors that epoll refuses (character devices without poll
                // support such as /dev/null): kqueue-ffm passes epoll_ctl's EPERM through.
                // Accepted here, reported to the lead as a catalogue gap.
                out.add(Errno.EPERM);
            }
        }
        return out;
    }
}
