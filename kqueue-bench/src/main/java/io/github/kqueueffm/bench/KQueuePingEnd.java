package io.github.kqueueffm.bench;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.bindings.linux.LinuxCalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A ping-pong end on a kqueue, through the public API only: an EVFILT_READ knote, {@code kevent}
 * with no timeout, then {@code read(2)}, as a C program drives libkqueue. The kqueue is kqueue-ffm's
 * emulation or, in a JVM with {@code kqueue.native.library}, the native passthrough.
 */
final class KQueuePingEnd implements PingEnd {
    private static final int BATCH = 1024;

    private final int fd;
    private final KQueue kq;
    private final KEventList events = KEventList.allocate(1);
    /**
     * An automatic arena: a downcall given its memory skips the session's acquire and release (two
     * atomic operations), as one given kqueue-ffm's own memory does, so this end pays nothing the
     * library does not. It is freed by the collector.
     */
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment buffer = arena.allocate(1);
    private final List<SocketPair> idle = new ArrayList<>();

    /**
     * Opens a kqueue watching {@code fd} for reading.
     *
     * @param fd the socket, now owned by this end
     * @throws KQueueException if the kqueue cannot be opened or the knote added
     */
    KQueuePingEnd(int fd) throws KQueueException {
        this.fd = fd;
        kq = KQueue.open();
        try (KEventList change = KEventList.allocate(1)) {
            change.set(0, fd, KEvent.EVFILT_READ, KEvent.EV_ADD, 0, 0, 0);
            kq.kevent(change, 1, null, 0, Duration.ZERO);
        }
    }

    @Override
    public void send() {
        LinuxCalls.write(fd, buffer, 1);
    }

    @Override
    public boolean receive() throws KQueueException {
        kq.kevent(null, 0, events, 1, null);
        return LinuxCalls.read(fd, buffer, 1) > 0;
    }

    @Override
    public void watchIdle(int pairs) throws KQueueException {
        try (KEventList changes = KEventList.allocate(BATCH)) {
            int n = 0;
            for (int i = 0; i < pairs; i++) {
                SocketPair pair = SocketPair.open();
                idle.add(pair);
                changes.set(n++, pair.mine(), KEvent.EVFILT_READ, KEvent.EV_ADD, 0, 0, 0);
                changes.set(n++, pair.peer(), KEvent.EVFILT_READ, KEvent.EV_ADD, 0, 0, 0);
                if (n == BATCH || i == pairs - 1) {
                    kq.kevent(changes, n, null, 0, Duration.ZERO);
                    n = 0;
                }
            }
        }
    }

    @Override
    public void close() {
        LinuxCalls.close(fd);
        kq.close();
        events.close();
        idle.forEach(SocketPair::close);
    }
}
