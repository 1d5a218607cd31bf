package io.github.kqueueffm.bench;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;

import java.time.Duration;

/**
 * Wakes a kqueue with EVFILT_USER, through the public API only: the owner waits in {@code kevent}
 * with no timeout on an EV_CLEAR user knote; the waker applies NOTE_TRIGGER in its own
 * {@code kevent} call.
 */
final class KQueueWakeable implements Wakeable {
    private static final int IDENT = 1;

    private final KQueue kq;
    private final KEventList events = KEventList.allocate(1);
    /** The waker's changelist: NOTE_TRIGGER. */
    private final KEventList trigger = KEventList.allocate(1);

    /**
     * Opens the kqueue and adds the user knote.
     *
     * @throws KQueueException if the kqueue cannot be opened or the knote added
     */
    KQueueWakeable() throws KQueueException {
        kq = KQueue.open();
        try (KEventList add = KEventList.allocate(1)) {
            add.set(0, IDENT, KEvent.EVFILT_USER, KEvent.EV_ADD | KEvent.EV_CLEAR, 0, 0, 0);
            kq.kevent(add, 1, null, 0, Duration.ZERO);
        }
        trigger.set(0, IDENT, KEvent.EVFILT_USER, 0, KEvent.NOTE_TRIGGER, 0, 0);
    }

    @Override
    public void await() throws KQueueException {
        kq.kevent(null, 0, events, 1, null);
    }

    @Override
    public void wake() throws KQueueException {
        kq.kevent(trigger, 1, null, 0, null);
    }

    @Override
    public void close() {
        kq.close();
        events.close();
        trigger.close();
    }
}
