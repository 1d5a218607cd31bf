package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.core.Filter;
import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.Knote;
import io.github.kqueueffm.core.NativeMemory;
import io.github.kqueueffm.emul.DeferredActivations;
import io.github.kqueueffm.emul.Errors;

import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DROP;
import static io.github.kqueueffm.KEvent.EV_EOF;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.NOTE_CHILD;
import static io.github.kqueueffm.KEvent.NOTE_EXEC;
import static io.github.kqueueffm.KEvent.NOTE_EXIT;
import static io.github.kqueueffm.KEvent.NOTE_FORK;
import static io.github.kqueueffm.KEvent.NOTE_TRACK;
import static io.github.kqueueffm.KEvent.NOTE_TRACKERR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLET;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLIN;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.POLLIN;

/**
 * EVFILT_PROC for any process this one can see, not only children: each knote holds one pidfd
 * (pidfd_open needs no permission and pins the process, so a reused pid never fires an old
 * knote), an internal source of the kqueue's epoll set; it polls readable once the process has
 * exited. The library never reaps: the status is read as {@link ExitStatus} describes, so the
 * JDK's reaper and {@code Process.exitValue()} keep working. The pidfd is closed when the knote
 * goes (after its NOTE_EXIT event, or at EV_DELETE). NOTE_FORK, NOTE_EXEC and NOTE_TRACK come from
 * the kernel's process-events connector (see {@link ProcConnector}), opened on first use.
 */
final class ProcFilter implements Filter, ProcConnector.Listener {
    /** A watched process: its descriptor and what is known of its end; guarded by the kqueue's lock. */
    static final class Watched {
        final int pidfd;
        /** A tracked child's parent pid (its NOTE_CHILD event's data), else 0. */
        final long parent;
        boolean exited;
        /** The exit was judged against the knote's sfflags (once, as filt_proc at the exit). */
        boolean judged;
        long status;
        /**
         * The pidfd was just added to the epoll set, which reports it at the next wait if the
         * process has exited already: the registration's first evaluation can be left to it.
         */
        boolean justRegistered;

        Watched(int pidfd, long parent) {
            this.pidfd = pidfd;
            this.parent = parent;
        }
    }

    private final KQueueCore core;
    private final InternalSources sources;
    private final Scratch scratch;
    private final NativeMemory memory;
    private final DeferredActivations later;
    // guarded by the kqueue's lock
    private ProcConnector connector;
    /** While a tracked child is registered: its exit status if it has exited, else −1. */
    private long trackedExit = -1;
    /** While a tracked child is registered: its parent's pid, else 0. */
    private long trackingParent;

    ProcFilter(KQueueCore core, InternalSources sources, Scratch scratch, NativeMemory memory,
            DeferredActivations later) {
        this.core = core;
        this.sources = sources;
        this.scratch = scratch;
        this.memory = memory;
        this.later = later;
    }

    @Override
    public boolean isFd() {
        return false;
    }

    @Override
    public int attach(Knote kn) {
        assert core.holdsLock();
        if (kn.ident <= 0 || kn.ident > Integer.MAX_VALUE) {
            return Errors.ESRCH;
        }
        if ((kn.sfflags & (NOTE_FORK | NOTE_EXEC | NOTE_TRACK)) != 0) {
            int error = connector().subscribe(kn);
            if (error < 0) {
                return -error;
            }
        }
        long parent = trackingParent;
        if (parent > 0) {
            // FreeBSD's knote_fork: the child's first event is NOTE_CHILD with the parent's pid,
            // set before anything can report its exit, which comes as an event of its own
            kn.fflags |= NOTE_CHILD;
        }
        int pidfd = LinuxCalls.pidfdOpen((int) kn.ident, 0);
        if (pidfd == -Errors.ESRCH && trackedExit >= 0) {
            Watched gone = new Watched(-1, parent); // a tracked child that exited before its fork was seen
            gone.exited = true; // judged after its NOTE_CHILD event, as a tracked child's exit is
            gone.status = trackedExit;
            kn.state = gone;
            kn.flags |= EV_CLEAR;
            return 0;
        }
        if (pidfd < 0) {
            unsubscribe(kn);
            return pidfd == -Errors.ENOENT ? Errors.ESRCH : -pidfd; // a thread id is no process
        }
        Watched watched = new Watched(pidfd, parent);
        watched.justRegistered = true;
        kn.state = watched;
        kn.flags |= EV_CLEAR;
        int error = sources.add(pidfd, EPOLLIN | EPOLLET, () -> {
            exited(kn); // the pidfd polled readable: the process has exited
            core.activate(kn);
        });
        if (error < 0) {
            LinuxCalls.close(pidfd);
            unsubscribe(kn);
            return -error;
        }
        return 0;
    }

    @Override
    public void detach(Knote kn) {
        assert core.holdsLock();
        unsubscribe(kn);
        Watched watched = (Watched) kn.state;
        if (watched.pidfd >= 0) {
            sources.remove(watched.pidfd);
            LinuxCalls.close(watched.pidfd);
        }
    }

    /** The kqueue's process-events connector, opened on first use. */
    private ProcConnector connector() {
        if (connector == null) {
            connector = new ProcConnector(memory, sources, this);
        }
        return connector;
    }

    private void unsubscribe(Knote kn) {
        if (connector != null) {
            connector.unsubscribe(kn);
        }
    }

    @Override
    public void changed(Knote kn) {
        assert core.holdsLock();
        if ((kn.sfflags & (NOTE_FORK | NOTE_EXEC | NOTE_TRACK)) != 0) {
            connector().subscribe(kn);
        }
    }

    /**
     * Before a change replaces sfflags: fork and exec messages already queued on the connector,
     * then the exit if the pidfd polls readable, are judged with the sfflags in force (PR-24,
     * VN-36). Costs one poll of the pidfd (and one receive on the connector once the kqueue has
     * one) per change of an existing knote; none on a collection.
     */
    @Override
    public void collectPending(Knote kn) {
        assert core.holdsLock();
        ((Watched) kn.state).justRegistered = false; // an existing knote's change adds no registration
        if (connector != null) {
            // whatever the current sfflags: a knote once subscribed stays subscribed, and a record
            // queued while it asked for nothing must be judged by nothing, not by the new fflags
            connector.collect();
        }
        Watched watched = (Watched) kn.state;
        if (!watched.exited && watched.pidfd >= 0 && (scratch.pollNow(watched.pidfd, POLLIN) & POLLIN) != 0) {
            exited(kn);
            core.activate(kn);
        }
    }

    /**
     * A new knote's pidfd, just added to the epoll set, is reported by the next wait if the process
     * has exited already, so the registration needs no poll of its own; a tracked child's first
     * event (NOTE_CHILD) and activity the connector recorded are not the pidfd's to report.
     */
    @Override
    public boolean reportedByRegistration(Knote kn) {
        Watched watched = (Watched) kn.state;
        boolean fresh = watched.justRegistered;
        watched.justRegistered = false; // only the attach's own evaluation, never a later change's
        return fresh && kn.fflags == 0 && !watched.exited;
    }

    @Override
    public boolean event(Knote kn) {
        assert core.holdsLock();
        Watched watched = (Watched) kn.state;
        if (!watched.exited && watched.pidfd >= 0 && (scratch.pollNow(watched.pidfd, POLLIN) & POLLIN) != 0) {
            exited(kn);
        }
        if ((kn.fflags & NOTE_CHILD) != 0) {
            // a tracked child's first event says only that it exists; its exit comes separately
            kn.data = watched.parent;
            if (watched.exited) {
                later.defer(kn);
            }
            return true;
        }
        if (watched.exited) {
            if (!watched.judged) {
                watched.judged = true; // a tracked child's exit, after its NOTE_CHILD event
                reportExit(kn, watched.status);
            }
            return true; // NOTE_EXIT, or EV_DROP for the scan to drop it
        }
        return kn.fflags != 0;
    }

    /**
     * The pidfd polled readable: the process has exited. Its status is read now, before a reap,
     * and the knote becomes one-shot at once (as filt_proc does at exit), so the scan drops it
     * with its event.
     */
    private void exited(Knote kn) {
        Watched watched = (Watched) kn.state;
        if (!watched.exited) {
            watched.exited = true;
            watched.status = ExitStatus.of(watched.pidfd, kn.ident, scratch.procInfo);
            if ((kn.fflags & NOTE_CHILD) == 0) {
                watched.judged = true;
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

    @Override
    public void executed(Knote kn) {
        note(kn, NOTE_EXEC);
    }

    /**
     * FreeBSD's knote_fork: NOTE_FORK to the parent's knote and, with NOTE_TRACK, a knote for
     * the child, which first reports NOTE_CHILD with the parent's pid and its exit separately.
     */
    @Override
    public void forked(Knote kn, int child, long exitStatus) {
        note(kn, NOTE_FORK);
        if ((kn.sfflags & NOTE_TRACK) != 0) {
            Knote tracked = registerTracked(child, kn, exitStatus);
            if (tracked == null) {
                kn.fflags |= NOTE_TRACKERR;
                core.activate(kn);
            } else {
                core.activate(tracked); // its NOTE_CHILD was set when it attached
            }
        }
    }

    /**
     * Registers the knote of a new child.
     *
     * @param exitStatus the child's status if it has exited already, used if it cannot be opened
     * @return the child's knote, or null (NOTE_TRACKERR)
     */
    private Knote registerTracked(int child, Knote parent, long exitStatus) {
        trackedExit = exitStatus;
        trackingParent = parent.ident;
        try {
            return core.registerChild(child, parent.filter, parent);
        } finally {
            trackedExit = -1;
            trackingParent = 0;
        }
    }

    /** Records a fork/exec note from the connector and activates the knote. */
    private void note(Knote kn, int note) {
        if ((kn.sfflags & note) != 0) {
            kn.fflags |= note;
            core.activate(kn);
        }
    }
}
