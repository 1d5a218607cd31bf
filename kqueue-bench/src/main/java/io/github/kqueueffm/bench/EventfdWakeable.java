package io.github.kqueueffm.bench;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxConstants;
import io.github.kqueueffm.bindings.linux.LinuxStructs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Wakes raw epoll with an eventfd registered edge-triggered, as Netty and the JDK register theirs:
 * the waker's one {@code write}, the owner's one {@code epoll_wait}, and no read (each write is a
 * new edge). The floor.
 */
final class EventfdWakeable implements Wakeable {
    private final int epfd;
    private final int eventfd;
    /**
     * An automatic arena: a downcall given its memory skips the session's acquire and release (two
     * atomic operations), as one given kqueue-ffm's own memory does, so this end pays nothing the
     * library does not. It is freed by the collector.
     */
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment events = arena.allocate(LinuxStructs.EPOLL_EVENT_SIZE, 8);
    /** The waker's buffer: the counter increment 1. */
    private final MemorySegment one = arena.allocate(ValueLayout.JAVA_LONG);

    /** Opens the epoll instance and the eventfd. */
    EventfdWakeable() {
        epfd = EpollPingEnd.check(LinuxCalls.epollCreate1(LinuxConstants.EPOLL_CLOEXEC), "epoll_create1");
        eventfd = EpollPingEnd.check(LinuxCalls.eventfd(0, LinuxConstants.EFD_CLOEXEC | LinuxConstants.EFD_NONBLOCK),
                "eventfd");
        MemorySegment event = arena.allocate(LinuxStructs.EPOLL_EVENT_SIZE, 8);
        event.set(ValueLayout.JAVA_INT_UNALIGNED, LinuxStructs.EPOLL_EVENT_EVENTS,
                LinuxConstants.EPOLLIN | LinuxConstants.EPOLLET);
        event.set(ValueLayout.JAVA_LONG_UNALIGNED, LinuxStructs.EPOLL_EVENT_DATA, eventfd);
        EpollPingEnd.check(LinuxCalls.epollCtl(epfd, LinuxConstants.EPOLL_CTL_ADD, eventfd, event), "epoll_ctl");
        one.set(ValueLayout.JAVA_LONG, 0, 1);
    }

    @Override
    public void await() {
        LinuxCalls.epollWait(epfd, events, 1, -1);
    }

    @Override
    public void wake() {
        LinuxCalls.write(eventfd, one, Long.BYTES);
    }

    @Override
    public void close() {
        LinuxCalls.close(eventfd);
        LinuxCalls.close(epfd);
    }
}
