package io.github.kqueueffm.linux;

import io.github.kqueueffm.core.Filter;
import io.github.kqueueffm.core.Knote;

import static io.github.kqueueffm.KEvent.NOTE_LOWAT;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLERR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SOL_SOCKET;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SO_ERROR;

/**
 * What the descriptor filters (READ, WRITE, EMPTY) share: attaching to the descriptor's
 * {@link FdInterest}, keeping its epoll registration current, and the small helpers their
 * {@code event} methods use. Each subclass says which slot of the record it fills and computes
 * its own condition.
 */
abstract class DescriptorFilter implements Filter {
    final EpollBackend backend;
    final Scratch scratch;
    /** The side of the descriptor whose registration this filter's knotes use. */
    private final int side;

    DescriptorFilter(EpollBackend backend, int side) {
        this.backend = backend;
        this.scratch = backend.scratch;
        this.side = side;
    }

    @Override
    public final boolean isFd() {
        return true;
    }

    /** Refuses descriptor kinds this filter does not apply to; returns 0 or errno. */
    abstract int accepts(FdInterest rec);

    /** Puts the knote into its slot of the record (or clears the slot with null). */
    abstract void slot(FdInterest rec, Knote kn);

    /** Filter-specific setup after the knote is in its slot; returns 0 or errno. */
    int prepare(FdInterest rec, Knote kn) {
        return 0;
    }

    /** Filter-specific teardown before the knote leaves its slot. */
    void release(FdInterest rec, Knote kn) {
    }

    @Override
    public final int attach(Knote kn) {
        int[] error = new int[1];
        FdInterest rec = backend.interest(kn.fd(), error);
        if (rec == null) {
            return error[0];
        }
        int refused = accepts(rec);
        if (refused != 0) {
            backend.update(rec);
            return refused;
        }
        slot(rec, kn);
        kn.state = rec;
        int failed = prepare(rec, kn);
        if (failed == 0) {
            failed = backend.update(rec);
        }
        if (failed != 0) {
            release(rec, kn);
            slot(rec, null);
            backend.update(rec);
            return failed;
        }
        return 0;
    }

    @Override
    public final void detach(Knote kn) {
        FdInterest rec = (FdInterest) kn.state;
        release(rec, kn);
        slot(rec, null);
        backend.update(rec);
    }

    @Override
    public void changed(Knote kn) {
        FdInterest rec = (FdInterest) kn.state;
        backend.refresh(rec);
        backend.update(rec);
    }

    @Override
    public boolean reportsLevelItself(Knote kn) {
        return ((FdInterest) kn.state).levelTriggered(side);
    }

    @Override
    public final boolean event(Knote kn) {
        FdInterest rec = (FdInterest) kn.state;
        if (rec.kind.pollable() && !backend.stillSameFile(rec)) {
            return gone(kn); // closed, or the number now names another file
        }
        return evaluate(kn, rec);
    }

    /** {@code f_event} once the descriptor is known to be the knote's own. */
    abstract boolean evaluate(Knote kn, FdInterest rec);

    /** Marks a knote whose descriptor was found closed. */
    final boolean gone(Knote kn) {
        kn.status |= Knote.GONE;
        return false;
    }

    /** The threshold: NOTE_LOWAT's data, else the default (at least 1). */
    static long lowWater(Knote kn, long defaultLowWater) {
        return (kn.sfflags & NOTE_LOWAT) != 0 ? kn.sdata : Math.max(1, defaultLowWater);
    }

    /** The socket error behind EPOLLERR, read once (reading clears it in the kernel). */
    final int socketError(FdInterest rec) {
        if (rec.soError == 0 && (rec.lastEvents & EPOLLERR) != 0) {
            int error = scratch.sockoptInt(rec.fd, SOL_SOCKET, SO_ERROR);
            rec.soError = Math.max(0, error);
        }
        return rec.soError;
    }
}
