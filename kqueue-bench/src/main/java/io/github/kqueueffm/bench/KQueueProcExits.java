package io.github.kqueueffm.bench;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.Processes;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * W7 on a kqueue, through the public API only: one {@code kevent} call per child (EVFILT_PROC,
 * EV_ADD | EV_ONESHOT, NOTE_EXIT, ident the pid from {@link Processes#pid(Process)}, no eventlist),
 * then {@code kevent} collecting up to 1 024 events a call until every child's NOTE_EXIT has come.
 * kqueue-ffm's emulation, or the native passthrough in a JVM with {@code kqueue.native.library}.
 */
final class KQueueProcExits implements ProcExits {
    private static final int COLLECT = 1024;
    private static final Duration STALL = Duration.ofMillis(STALL_MILLIS);

    private final KQueue kq;
    private final KEventList change = KEventList.allocate(1);
    private final KEventList events = KEventList.allocate(COLLECT);
    /** The pids whose exit has not been reported yet. */
    private final Set<Long> pending = new HashSet<>();
    private int watched;

    /**
     * Opens the kqueue.
     *
     * @throws KQueueException if it cannot be opened
     */
    KQueueProcExits() throws KQueueException {
        kq = KQueue.open();
    }

    @Override
    public long watchAll(List<Process> children) throws KQueueException {
        long start = System.nanoTime();
        for (Process child : children) {
            long pid = Processes.pid(child);
            change.set(0, pid, KEvent.EVFILT_PROC, KEvent.EV_ADD | KEvent.EV_ONESHOT, KEvent.NOTE_EXIT, 0, 0);
            kq.kevent(change, 1, null, 0, null);
            pending.add(pid);
        }
        long elapsed = System.nanoTime() - start;
        watched = children.size();
        return elapsed;
    }

    @Override
    public void awaitAll() throws KQueueException {
        while (!pending.isEmpty()) {
            int n = kq.kevent(null, 0, events, COLLECT, STALL);
            if (n == 0) {
                throw ProcExits.stalled("kqueue", watched - pending.size(), watched);
            }
            for (int i = 0; i < n; i++) {
                if (events.filter(i) != KEvent.EVFILT_PROC || (events.flags(i) & KEvent.EV_ERROR) != 0
                        || (events.fflags(i) & KEvent.NOTE_EXIT) == 0 || !pending.remove(events.ident(i))) {
                    throw new IllegalStateException("kqueue: not the NOTE_EXIT of a watched child: " + events.get(i));
                }
            }
        }
    }

    @Override
    public void close() {
        kq.close();
        change.close();
        events.close();
    }
}
