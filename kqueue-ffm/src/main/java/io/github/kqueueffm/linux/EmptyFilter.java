package io.github.kqueueffm.linux;

import io.github.kqueueffm.emul.Errors;
import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.Knote;

import java.util.ArrayList;
import java.util.List;

import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLERR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLHUP;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SIOCOUTQ;

/**
 * EVFILT_EMPTY: the socket's send queue is empty (SIOCOUTQ = 0: nothing unsent, nothing
 * unacknowledged). Linux has no wakeup for "everything acknowledged", so a knote whose socket
 * still has data queued is re-checked on a backoff (1 ms doubling to 50 ms) as well as on every
 * epoll event of the socket.
 */
final class EmptyFilter extends DescriptorFilter {
    private static final long FIRST_BACKOFF = 1_000_000L;
    private static final long MAX_BACKOFF = 50_000_000L;

    private final KQueueCore core;
    private final List<Knote> waiting = new ArrayList<>();
    private final List<Knote> due = new ArrayList<>();

    EmptyFilter(KQueueCore core, EpollBackend backend) {
        super(backend, FdInterest.EMPTY_SIDE);
        this.core = core;
    }

    @Override
    int accepts(FdInterest rec) {
        return rec.kind == DescriptorKind.SOCKET ? 0 : Errors.EINVAL;
    }

    @Override
    void slot(FdInterest rec, Knote kn) {
        rec.empty = kn;
    }

    @Override
    void release(FdInterest rec, Knote kn) {
        waiting.remove(kn);
    }

    @Override
    boolean evaluate(Knote kn, FdInterest rec) {
        if ((rec.lastEvents & (EPOLLERR | EPOLLHUP)) != 0) {
            kn.data = 0; // a reset discards what was queued
            stopWaiting(kn);
            return true;
        }
        int queued = scratch.ioctlInt(rec.fd, SIOCOUTQ);
        if (queued < 0) {
            if (-queued == Errors.EBADF) {
                stopWaiting(kn);
                return gone(kn);
            }
            queued = 0; // a listening socket sends nothing
        }
        kn.data = 0;
        if (queued == 0) {
            stopWaiting(kn);
            return true;
        }
        startWaiting(kn);
        return false;
    }

    private void startWaiting(Knote kn) {
        long now = System.nanoTime();
        if (kn.hook == 0) {
            kn.hook = FIRST_BACKOFF;
        } else {
            kn.hook = Math.min(MAX_BACKOFF, kn.hook * 2);
        }
        kn.hook2 = now + kn.hook;
        if (!waiting.contains(kn)) {
            waiting.add(kn);
        }
    }

    private void stopWaiting(Knote kn) {
        kn.hook = 0;
        waiting.remove(kn);
    }

    /** Activates the knotes whose re-check is due; their {@code event} decides. */
    void recheckDue() {
        if (waiting.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        due.clear();
        for (Knote kn : waiting) {
            if (now - kn.hook2 >= 0) {
                due.add(kn);
            }
        }
        for (Knote kn : due) {
            waiting.remove(kn);
            core.activate(kn);
        }
    }

    /** @return nanoseconds to the earliest re-check, or −1 */
    long nanosToNextRecheck() {
        if (waiting.isEmpty()) {
            return -1;
        }
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (Knote kn : waiting) {
            next = Math.min(next, Math.max(0, kn.hook2 - now));
        }
        return next;
    }
}
