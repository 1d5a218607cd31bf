package io.github.kqueueffm.bench;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;

/**
 * W3 on a kqueue, through the public API only: one {@code kevent} call per timer (EVFILT_TIMER,
 * EV_ADD | EV_ONESHOT, milliseconds, no eventlist), then {@code kevent} with no timeout collecting
 * up to 1 024 expiries a call. kqueue-ffm's emulation, or the native passthrough in a JVM with
 * {@code kqueue.native.library}.
 */
final class KQueueTimers implements Timers {
    private static final int COLLECT = 1024;

    private final KQueue kq;
    private final KEventList change = KEventList.allocate(1);
    private final KEventList events = KEventList.allocate(COLLECT);

    /**
     * Opens the kqueue.
     *
     * @throws KQueueException if it cannot be opened
     */
    KQueueTimers() throws KQueueException {
        kq = KQueue.open();
    }

    @Override
    public long armAll(int count) throws KQueueException {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            change.set(0, i, KEvent.EVFILT_TIMER, KEvent.EV_ADD | KEvent.EV_ONESHOT, 0, Timers.timeoutMillis(i), 0);
            kq.kevent(change, 1, null, 0, null);
        }
        return System.nanoTime() - start;
    }

    @Override
    public void awaitAll(int count) throws KQueueException {
        for (int expired = 0; expired < count; ) {
            expired += kq.kevent(null, 0, events, COLLECT, null);
        }
    }

    @Override
    public void close() {
        kq.close();
        change.close();
        events.close();
    }
}
