package io.github.kqueueffm.linux;

import io.github.kqueueffm.emul.Errors;
import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.core.Filter;
import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.Knote;

import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DROP;
import static io.github.kqueueffm.KEvent.EV_EOF;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.NOTE_CHILD;
import static io.github.kqueueffm.KEvent.NOTE_EXEC;
import static io.github.kqueueffm.KEvent.NOTE_EXIT;
import static io.github.kqueueffm.KEvent.NOTE_FORK;
import static io.github.kqueueffm.KEvent.NOTE_TRACK;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.POLLIN;

/**
 * EVFILT_PROC for any process this one can see, not only children: each knote holds one pidfd
 * (pidfd_open needs no permission and pins the process, so a reused pid never fires an old
 * knote), registered in the kqueue's epoll set; it polls readable once the process has exited.
 * The library never reaps: the status is read as {@link ExitStatus} describes, so the JDK's
 * reaper and {@code Process.exitValue()} keep working. The pidfd is closed when the knote goes
 * (after its NOTE_EXIT event, or at EV_DELETE). NOTE_FORK, NOTE_EXEC and NOTE_TRACK come from the
 * kernel's process-events connector (see {@link ProcConnector}).
 */
final class ProcFilter implements Filter {
    /** A watched process: its descriptor and what is known of its end. */
    static final class Watched {
        final int pidfd;
        boolean exited;
        long status;

        Watched(int pidfd) {
            this.pidfd = pidfd;
        }
    }

    private final KQueueCore core;
    private final EpollBackend backend;
    /** While a tracked child is registered: its exit status if it has exited, else −1. */
    private long trackedExit = -1;
    /** While a tracked child is registered: its parent's pid, else 0. */
    private long trackingParent;

    ProcFilter(KQueueCore core, EpollBackend backend) {
        this.core = core;
        this.backend = backend;
    }

    @Override
    public boolean isFd() {
        return false;
    }

    @Override
    public int attach(Knote kn) {
        if (kn.ident <= 0 || kn.ident > Integer.MAX_VALUE) {
            return Errors.ESRCH;
        }
        if ((kn.sfflags & (NOTE_FORK | NOTE_EXEC | NOTE_TRACK)) != 0) {
            int error = backend.connector().subscribe(kn);
            if (error != 0) {
                return error;
            }
        }
        if (trackingParent > 0) {
            // FreeBSD's knote_fork: the child's first event is NOTE_CHILD with the parent's pid,
            // set before anything can report its exit, which comes as an event of its own
            kn.fflags |= NOTE_CHILD;
            kn.hook = trackingParent;
        }
        int pidfd = LinuxCalls.pidfdOpen((int) kn.ident, 0);
        if (pidfd < 0 && trackedExit >= 0 && LinuxCalls.errno() == Errors.ESRCH) {
            Watched gone = new Watched(-1); // a tracked child that exited before its fork was seen
            gone.exited = true;
            gone.status = trackedExit;
            kn.state = gone;
            kn.flags |= EV_CLEAR;
            return 0;
        }
        if (pidfd < 0) {
            int error = LinuxCalls.errno();
            backend.connectorIfOpen().unsubscribe(kn);
            return error == Errors.ENOENT ? Errors.ESRCH : error; // a thread id is no process
        }
        Watched watched = new Watched(pidfd);
        kn.state = watched;
        kn.flags |= EV_CLEAR;
        int error = backend.watchOwned(pidfd, kn);
        if (error != 0) {
            LinuxCalls.close(pidfd);
            backend.connectorIfOpen().unsubscribe(kn);
            return error;
        }
        return 0;
    }

    @Override
    public void detach(Knote kn) {
        backend.connectorIfOpen().unsubscribe(kn);
        Watched watched = (Watched) kn.state;
        if (watched.pidfd >= 0) {
            backend.unwatchOwned(watched.pidfd);
            LinuxCalls.close(watched.pidfd);
        }
    }

    /**
     * NOTE_TRACK: registers the knote of a new child (FreeBSD's knote_fork), which first reports
     * NOTE_CHILD with the parent's pid and its exit separately.
     *
     * @param exitStatus the child's status if it has exited already, used if it cannot be opened
     * @return the child's knote, or null (NOTE_TRACKERR)
     */
    Knote registerTracked(int child, Knote parent, long exitStatus) {
        trackedExit = exitStatus;
        trackingParent = parent.ident;
        try {
            return core.registerChild(child, parent.filter, parent);
        } finally {
            trackedExit = -1;
            trackingParent = 0;
        }
    }

    @Override
    public void changed(Knote kn) {
        if ((kn.sfflags & (NOTE_FORK | NOTE_EXEC | NOTE_TRACK)) != 0) {
            backend.connector().subscribe(kn);
        }
    }

    @Override
    public boolean event(Knote kn) {
        Watched watched = (Watched) kn.state;
        if (!watched.exited && watched.pidfd >= 0
                && (backend.scratch.pollNow(watched.pidfd, POLLIN) & POLLIN) != 0) {
            exited(kn);
        }
        if ((kn.fflags & NOTE_CHILD) != 0) {
            // a tracked child's first event says only that it exists; its exit comes separately
            kn.data = kn.hook;
            if (watched.exited) {
                backend.activateAfterScan(kn);
            }
            return true;
        }
        if (watched.exited) {
            return reportExit(kn, watched.status);
        }
        return kn.fflags != 0;
    }

    /**
     * The pidfd polled readable: the process has exited. Its status is read now, before a reap,
     * and the knote becomes one-shot at once (as filt_proc does at exit), so the scan drops it
     * with its event.
     */
    void exited(Knote kn) {
        Watched watched = (Watched) kn.state;
        if (!watched.exited) {
            watched.exited = true;
            watched.status = ExitStatus.of(watched.pidfd, kn.ident, backend.scratch.procInfo);
            if ((kn.fflags & NOTE_CHILD) == 0) {
                reportExit(kn, watched.status);
            }
        }
    }

    /** FreeBSD's filt_proc at exit: NOTE_EXIT if asked for, EV_EOF and EV_ONESHOT, or EV_DROP. */
    static boolean reportExit(Knote kn, long status) {
        if ((kn.sfflags & NOTE_EXIT) != 0) {
            kn.fflags |= NOTE_EXIT;
            kn.data = status;
        }
        kn.flags |= EV_EOF | EV_ONESHOT;
        if (kn.fflags == 0) {
            kn.flags |= EV_DROP;
        }
        return true;
    }

    /** Records a fork/exec note from the connector (under the lock) and activates the knote. */
    void note(Knote kn, int note) {
        if ((kn.sfflags & note) != 0) {
            kn.fflags |= note;
            core.activate(kn);
        }
    }
}
