package io.github.kqueueffm.linux;

import io.github.kqueueffm.emul.Errors;
import io.github.kqueueffm.core.Knote;

import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.POLLIN;

/**
 * EVFILT_PROCDESC: ident is a process descriptor (a pidfd on Linux), registered in the kqueue's
 * epoll set like any watched descriptor; NOTE_EXIT with the wait status when the process ends,
 * read as {@link ExitStatus} describes.
 */
final class ProcdescFilter extends DescriptorFilter {
    ProcdescFilter(EpollBackend backend) {
        super(backend, FdInterest.READ_SIDE);
    }

    @Override
    int accepts(FdInterest rec) {
        return rec.kind == DescriptorKind.PIDFD ? 0 : Errors.EINVAL;
    }

    @Override
    void slot(FdInterest rec, Knote kn) {
        rec.procdesc = kn;
    }

    @Override
    int prepare(FdInterest rec, Knote kn) {
        String pid = FdInfo.field(FdInfo.read(rec.fd), "Pid");
        kn.hook = pid == null ? 0 : Long.parseLong(pid.trim());
        kn.hook2 = -1; // status unknown
        kn.flags |= EV_CLEAR;
        return 0;
    }

    /** epoll reported the process descriptor readable: the process has exited. */
    void exited(Knote kn, FdInterest rec) {
        if (kn.hook2 < 0) {
            kn.hook2 = ExitStatus.of(rec.fd, kn.hook, scratch.procInfo);
            ProcFilter.reportExit(kn, kn.hook2); // one-shot from now on, as on FreeBSD
        }
    }

    @Override
    boolean evaluate(Knote kn, FdInterest rec) {
        if (kn.hook2 < 0 && (scratch.pollNow(rec.fd, POLLIN) & POLLIN) != 0) {
            kn.hook2 = ExitStatus.of(rec.fd, kn.hook, scratch.procInfo);
        }
        if (kn.hook2 >= 0) {
            return ProcFilter.reportExit(kn, kn.hook2);
        }
        return false;
    }
}
