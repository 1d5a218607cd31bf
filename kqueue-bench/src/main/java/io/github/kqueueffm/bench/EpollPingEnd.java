package io.github.kqueueffm.bench;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxConstants;
import io.github.kqueueffm.bindings.linux.LinuxStructs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A ping-pong end on raw epoll through the project's bindings, level-triggered EPOLLIN: the floor.
 * With {@code fionread} it also asks {@code FIONREAD} for every event, which is what kevent's
 * {@code data} costs: the floor for the same information.
 */
final class EpollPingEnd implements PingEnd {
    private static final int MAX_EVENTS = 16;

    private final int fd;
    private final boolean fionread;
    private final int epfd;
    /**
     * An automatic arena: a downcall given its memory skips the session's acquire and release (two
     * atomic operations), as one given kqueue-ffm's own memory does, so this end pays nothing the
     * library does not. It is freed by the collector.
     */
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment events = arena.allocate(LinuxStructs.EPOLL_EVENT_SIZE * MAX_EVENTS, 8);
    private final MemorySegment event = arena.allocate(LinuxStructs.EPOLL_EVENT_SIZE, 8);
    private final MemorySegment queued = arena.allocate(ValueLayout.JAVA_INT);
    private final MemorySegment buffer = arena.allocate(1);
    private final List<SocketPair> idle = new ArrayList<>();

    /**
     * Opens an epoll instance watching {@code fd}.
     *
     * @param fd the socket, now owned by this end
     * @param fionread whether each event is followed by {@code FIONREAD}
     */
    EpollPingEnd(int fd, boolean fionread) {
        this.fd = fd;
        this.fionread = fionread;
        epfd = check(LinuxCalls.epollCreate1(LinuxConstants.EPOLL_CLOEXEC), "epoll_create1");
        add(fd);
    }

    private void add(int target) {
        event.set(ValueLayout.JAVA_INT_UNALIGNED, LinuxStructs.EPOLL_EVENT_EVENTS, LinuxConstants.EPOLLIN);
        event.set(ValueLayout.JAVA_LONG_UNALIGNED, LinuxStructs.EPOLL_EVENT_DATA, target);
        check(LinuxCalls.epollCtl(epfd, LinuxConstants.EPOLL_CTL_ADD, target, event), "epoll_ctl");
    }

    @Override
    public void send() {
        LinuxCalls.write(fd, buffer, 1);
    }

    @Override
    public boolean receive() {
        int ready = LinuxCalls.epollWait(epfd, events, MAX_EVENTS, -1);
        if (fionread) {
            for (int i = 0; i < ready; i++) {
                long data = events.get(ValueLayout.JAVA_LONG_UNALIGNED,
                        i * LinuxStructs.EPOLL_EVENT_SIZE + LinuxStructs.EPOLL_EVENT_DATA);
                LinuxCalls.ioctl((int) data, LinuxConstants.FIONREAD, queued);
            }
        }
        return LinuxCalls.read(fd, buffer, 1) > 0;
    }

    @Override
    public void watchIdle(int pairs) {
        for (int i = 0; i < pairs; i++) {
            SocketPair pair = SocketPair.open();
            idle.add(pair);
            add(pair.mine());
            add(pair.peer());
        }
    }

    @Override
    public void close() {
        LinuxCalls.close(fd);
        LinuxCalls.close(epfd);
        idle.forEach(SocketPair::close);
    }

    static int check(int result, String call) {
        if (result < 0) {
            throw new IllegalStateException(call + ": errno " + -result);
        }
        return result;
    }
}
