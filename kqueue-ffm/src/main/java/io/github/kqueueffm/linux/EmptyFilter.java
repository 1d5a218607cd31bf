package io.github.kqueueffm.linux;

import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.Knote;
import io.github.kqueueffm.emul.DescriptorFilter;
import io.github.kqueueffm.emul.Errors;

import java.util.ArrayList;
import java.util.List;

import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLERR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLHUP;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLOUT;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SIOCOUTQ;

/**
 * EVFILT_EMPTY: the socket's send queue is empty (SIOCOUTQ = 0: nothing unsent, nothing
 * unacknowledged). Linux has no wakeup for "everything acknowledged", so a knote whose socket
 * still has data queued is re-checked on a backoff (1 ms doubling to 50 ms) as well as on every
 * epoll event of the socket.
 */
final class EmptyFilter extends DescriptorFilter<FdInterest, EmptyFilter.Waiter> {
    private static final long FIRST_BACKOFF = 1_000_000L;
    private static final long MAX_BACKOFF = 50_000_000L;

    /** An empty knote's side: its re-check schedule; guarded by the kqueue's lock. */
    static final class Waiter extends DescriptorFilter.Side<FdInterest> {
        /** The current backoff in nanoseconds, 0 while the knote is not waiting. */
        long backoff;
        /** When the next re-check is due ({@link System#nanoTime()}). */
        long due;

        Waiter(FdInterest descriptor, Knote knote) {
            super(descriptor, knote);
        }
    }

    private final FdTable fds;
    private final Scratch scratch;
    /** Knotes with data still queued, re-checked when due; guarded by the kqueue's lock. */
    private final List<Waiter> waiting = new ArrayList<>();
    private final List<Waiter> due = new ArrayList<>();

    EmptyFilter(KQueueCore core, FdTable fds, Scratch scratch) {
        super(core, fds);
        this.fds = fds;
        this.scratch = scratch;
    }

    @Override
    protected int accepts(FdInterest rec) {
        return rec.kind == DescriptorKind.SOCKET ? 0 : -Errors.EINVAL;
    }

    @Override
    protected Waiter newSide(FdInterest rec, Knote kn) {
        return new Waiter(rec, kn);
    }

    @Override
    protected void slot(FdInterest rec, Waiter side) {
        rec.empty = side;
    }

    @Override
    protected void release(Waiter side) {
        waiting.remove(side);
    }

    /**
     * An empty send queue need not make a socket writable (it may be connecting, or listening), so
     * the registration's report stands for the evaluation only when readiness polled after it shows
     * EPOLLOUT, EPOLLHUP or EPOLLERR: epoll then has queued that report (or queues it on the wakeup
     * that made it so).
     */
    @Override
    public boolean reportedByRegistration(Knote kn) {
        FdInterest rec = side(kn).descriptor;
        if (!rec.rearmed(FdInterest.EMPTY_SIDE)) {
            return false;
        }
        fds.refresh(rec);
        return (rec.lastEvents & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0;
    }

    @Override
    protected boolean evaluate(Knote kn, Waiter side) {
        FdInterest rec = side.descriptor;
        if ((rec.lastEvents & (EPOLLERR | EPOLLHUP)) != 0) {
            kn.data = 0; // a reset discards what was queued
            stopWaiting(side);
            return true;
        }
        int queued = scratch.ioctlInt(rec.fd, SIOCOUTQ);
        if (queued < 0) {
            if (queued == -Errors.EBADF) {
                stopWaiting(side);
                return gone(kn);
            }
            queued = 0; // a listening socket sends nothing
        }
        kn.data = 0;
        if (queued == 0) {
            stopWaiting(side);
            return true;
        }
        startWaiting(side);
        return false;
    }

    private void startWaiting(Waiter side) {
        long now = System.nanoTime();
        side.backoff = side.backoff == 0 ? FIRST_BACKOFF : Math.min(MAX_BACKOFF, side.backoff * 2);
        side.due = now + side.backoff;
        if (!waiting.contains(side)) {
            waiting.add(side);
        }
    }

    private void stopWaiting(Waiter side) {
        side.backoff = 0;
        waiting.remove(side);
    }

    /** Activates the knotes whose re-check is due; their {@code event} decides (under the lock). */
    void recheckDue() {
        assert core.holdsLock();
        if (waiting.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        due.clear();
        for (Waiter side : waiting) {
            if (now - side.due >= 0) {
                due.add(side);
            }
        }
        for (Waiter side : due) {
            waiting.remove(side);
            core.activate(side.knote);
        }
    }

    /** @return nanoseconds to the earliest re-check, or −1 (under the lock) */
    long nanosToNextRecheck() {
        assert core.holdsLock();
        if (waiting.isEmpty()) {
            return -1;
        }
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (Waiter side : waiting) {
            next = Math.min(next, Math.max(0, side.due - now));
        }
        return next;
    }
}
