package io.github.kqueueffm.bench;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxConstants;
import io.github.kqueueffm.bindings.linux.LinuxStructs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** W5 on raw epoll, the floor: {@code EPOLL_CTL_ADD} of EPOLLIN, then {@code EPOLL_CTL_DEL}. */
final class EpollChurner implements Churner {
    private final int fd;
    private final int epfd;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment event = arena.allocate(LinuxStructs.EPOLL_EVENT_SIZE, 8);

    /**
     * Opens the epoll instance.
     *
     * @param fd the socket
     */
    EpollChurner(int fd) {
        this.fd = fd;
        epfd = EpollPingEnd.check(LinuxCalls.epollCreate1(LinuxConstants.EPOLL_CLOEXEC), "epoll_create1");
        event.set(ValueLayout.JAVA_INT_UNALIGNED, LinuxStructs.EPOLL_EVENT_EVENTS, LinuxConstants.EPOLLIN);
        event.set(ValueLayout.JAVA_LONG_UNALIGNED, LinuxStructs.EPOLL_EVENT_DATA, fd);
    }

    @Override
    public void addThenDelete() {
        EpollPingEnd.check(LinuxCalls.epollCtl(epfd, LinuxConstants.EPOLL_CTL_ADD, fd, event), "EPOLL_CTL_ADD");
        EpollPingEnd.check(LinuxCalls.epollCtl(epfd, LinuxConstants.EPOLL_CTL_DEL, fd, MemorySegment.NULL),
                "EPOLL_CTL_DEL");
    }

    @Override
    public void close() {
        LinuxCalls.close(epfd);
        arena.close();
    }
}
