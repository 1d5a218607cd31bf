package io.github.kqueueffm.bench;

import io.github.kqueueffm.Descriptors;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;

import java.time.Duration;
import java.util.Arrays;

/**
 * W8 on a kqueue, through the public API only: each file opened read-only
 * ({@link Descriptors#open}) and registered with EVFILT_VNODE, EV_ADD|EV_CLEAR,
 * NOTE_WRITE|NOTE_EXTEND, its index as {@code udata}; a change is one {@code kevent} with no
 * timeout collecting one event. The kqueue is kqueue-ffm's emulation (one inotify instance per
 * kqueue, a watch per file) or, in a JVM with {@code kqueue.native.library}, the native passthrough.
 */
final class KQueueFileWatcher implements FileWatcher {
    private final KQueue kq;
    private final int[] fds;
    private final KEventList events = KEventList.allocate(1);

    /**
     * Opens the kqueue and every file, and registers them in one call.
     *
     * @param files the files
     * @throws KQueueException if the kqueue, a file or a registration fails
     */
    KQueueFileWatcher(WatchedFiles files) throws KQueueException {
        fds = new int[files.count()];
        Arrays.fill(fds, -1);
        kq = KQueue.open();
        try (KEventList changes = KEventList.allocate(files.count())) {
            for (int i = 0; i < fds.length; i++) {
                fds[i] = Descriptors.open(files.path(i));
                changes.set(i, fds[i], KEvent.EVFILT_VNODE, KEvent.EV_ADD | KEvent.EV_CLEAR,
                        KEvent.NOTE_WRITE | KEvent.NOTE_EXTEND, 0, i);
            }
            kq.kevent(changes, fds.length, null, 0, Duration.ZERO);
        } catch (KQueueException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void awaitChange(int index) throws KQueueException {
        int n = kq.kevent(null, 0, events, 1, null);
        if (n != 1 || events.udata(0) != index) {
            throw new IllegalStateException("expected a change of file " + index + ", got "
                    + (n == 1 ? events.get(0) : n + " events"));
        }
    }

    @Override
    public void close() {
        kq.close();
        events.close();
        for (int fd : fds) {
            if (fd >= 0) {
                try {
                    Descriptors.close(fd);
                } catch (KQueueException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
