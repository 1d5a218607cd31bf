package io.github.kqueueffm.linux;

import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.Knote;
import io.github.kqueueffm.emul.DescriptorFilter;
import io.github.kqueueffm.emul.Errors;

import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.POLLIN;

/**
 * EVFILT_PROCDESC: ident is a process descriptor (a pidfd on Linux), registered in the kqueue's
 * epoll set like any watched descriptor (the READ side); NOTE_EXIT with the wait status when the
 * process ends, read as {@link ExitStatus} describes.
 */
final class ProcdescFilter extends DescriptorFilter<FdInterest, ProcdescFilter.Exit> {
    /** A process-descriptor knote's side: whose exit, and its status once known; guarded by the kqueue's lock. */
    static final class Exit extends DescriptorFilter.Side<FdInterest> {
        /** The process's pid (fdinfo "Pid"), or 0 if it could not be read. */
        final long pid;
        /** The wait status once the process has exited, else −1. */
        long status = -1;

        Exit(FdInterest descriptor, Knote knote, long pid) {
            super(descriptor, knote);
            this.pid = pid;
        }

        /**
         * epoll reported the process descriptor readable: the process has exited. Its status is
         * read now, before a reap, and the knote is one-shot from now on, as on FreeBSD.
         */
        void exited(Scratch scratch) {
            if (status < 0) { // judged once, with the sfflags in force at the exit
                status = ExitStatus.of(descriptor.fd, pid, scratch.procInfo);
                ProcFilter.reportExit(knote, status);
            }
        }
    }

    private final Scratch scratch;

    ProcdescFilter(KQueueCore core, FdTable fds, Scratch scratch) {
        super(core, fds);
        this.scratch = scratch;
    }

    @Override
    protected int accepts(FdInterest rec) {
        return rec.kind == DescriptorKind.PIDFD ? 0 : -Errors.EINVAL;
    }

    @Override
    protected Exit newSide(FdInterest rec, Knote kn) {
        String pid = FdInfo.field(FdInfo.read(rec.fd), "Pid");
        return new Exit(rec, kn, pid == null ? 0 : Long.parseLong(pid.trim()));
    }

    @Override
    protected void slot(FdInterest rec, Exit side) {
        rec.procdesc = side;
    }

    @Override
    protected int prepare(Exit side) {
        side.knote.flags |= EV_CLEAR;
        return 0;
    }

    /**
     * Before a change replaces sfflags: an exit the process descriptor already polls is judged with
     * the sfflags in force (PR-24). One poll per change of an existing knote.
     */
    @Override
    public void collectPending(Knote kn) {
        assert core.holdsLock();
        Exit side = side(kn);
        if (side.status < 0 && (scratch.pollNow(side.descriptor.fd, POLLIN) & POLLIN) != 0) {
            side.exited(scratch);
            core.activate(kn);
        }
    }

    @Override
    protected boolean evaluate(Knote kn, Exit side) {
        if (side.status < 0 && (scratch.pollNow(side.descriptor.fd, POLLIN) & POLLIN) != 0) {
            side.exited(scratch);
        }
        return side.status >= 0; // NOTE_EXIT, or EV_DROP for the scan to drop it
    }
}
