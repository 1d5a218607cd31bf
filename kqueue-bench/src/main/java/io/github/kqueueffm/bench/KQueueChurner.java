package io.github.kqueueffm.bench;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;

/**
 * W5 on a kqueue, through the public API only: {@code kevent} with EV_ADD of EVFILT_READ, then
 * {@code kevent} with EV_DELETE, each a one-change call with no eventlist and no timeout, as a C
 * program writes it.
 */
final class KQueueChurner implements Churner {
    private final KQueue kq;
    private final KEventList add = KEventList.allocate(1);
    private final KEventList delete = KEventList.allocate(1);

    /**
     * Opens the kqueue.
     *
     * @param fd the socket
     * @throws KQueueException if the kqueue cannot be opened
     */
    KQueueChurner(int fd) throws KQueueException {
        kq = KQueue.open();
        add.set(0, fd, KEvent.EVFILT_READ, KEvent.EV_ADD, 0, 0, 0);
        delete.set(0, fd, KEvent.EVFILT_READ, KEvent.EV_DELETE, 0, 0, 0);
    }

    @Override
    public void addThenDelete() throws KQueueException {
        kq.kevent(add, 1, null, 0, null);
        kq.kevent(delete, 1, null, 0, null);
    }

    @Override
    public void close() {
        kq.close();
        add.close();
        delete.close();
    }
}
