package io.github.kqueueffm.bench;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxConstants;
import io.github.kqueueffm.bindings.linux.LinuxStructs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * W7's floor on raw Linux, as a C program watches children it cannot reap itself: per child one
 * {@code pidfd_open} (while the child runs, so the pidfd is of that child) and one
 * {@code epoll_ctl} ADD with EPOLLIN, level-triggered; then {@code epoll_wait} collecting up to
 * 1 024 events a call, closing each reported pidfd (which also removes it from the epoll instance),
 * until every pidfd has been reported.
 */
final class EpollProcExits implements ProcExits {
    private static final int MAX_EVENTS = 1024;

    private final int epfd;
    /** Automatic, as in {@link EpollPingEnd}: the floor pays no session acquire/release per call. */
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment events = arena.allocate(LinuxStructs.EPOLL_EVENT_SIZE * MAX_EVENTS, 8);
    private final MemorySegment event = arena.allocate(LinuxStructs.EPOLL_EVENT_SIZE, 8);
    /** The pidfds not reported (nor closed) yet. */
    private final Set<Integer> pending = new HashSet<>();
    private int watched;

    /** Opens the epoll instance. */
    EpollProcExits() {
        epfd = EpollPingEnd.check(LinuxCalls.epollCreate1(LinuxConstants.EPOLL_CLOEXEC), "epoll_create1");
    }

    @Override
    public long watchAll(List<Process> children) {
        long start = System.nanoTime();
        for (Process child : children) {
            int pidfd = EpollPingEnd.check(LinuxCalls.pidfdOpen((int) child.pid(), 0), "pidfd_open");
            pending.add(pidfd);
            event.set(ValueLayout.JAVA_INT_UNALIGNED, LinuxStructs.EPOLL_EVENT_EVENTS, LinuxConstants.EPOLLIN);
            event.set(ValueLayout.JAVA_LONG_UNALIGNED, LinuxStructs.EPOLL_EVENT_DATA, pidfd);
            EpollPingEnd.check(LinuxCalls.epollCtl(epfd, LinuxConstants.EPOLL_CTL_ADD, pidfd, event), "epoll_ctl");
        }
        long elapsed = System.nanoTime() - start;
        watched = children.size();
        return elapsed;
    }

    @Override
    public void awaitAll() {
        while (!pending.isEmpty()) {
            int n = EpollPingEnd.check(LinuxCalls.epollWait(epfd, events, MAX_EVENTS, (int) STALL_MILLIS), "epoll_wait");
            if (n == 0) {
                throw ProcExits.stalled("epoll", watched - pending.size(), watched);
            }
            for (int i = 0; i < n; i++) {
                long offset = i * LinuxStructs.EPOLL_EVENT_SIZE;
                int pidfd = (int) events.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + LinuxStructs.EPOLL_EVENT_DATA);
                int ready = events.get(ValueLayout.JAVA_INT_UNALIGNED, offset + LinuxStructs.EPOLL_EVENT_EVENTS);
                if ((ready & LinuxConstants.EPOLLIN) == 0 || !pending.remove(pidfd)) {
                    throw new IllegalStateException("epoll: not the exit of a watched child: pidfd " + pidfd
                            + ", events 0x" + Integer.toHexString(ready));
                }
                LinuxCalls.close(pidfd);
            }
        }
    }

    @Override
    public void close() {
        pending.forEach(LinuxCalls::close);
        pending.clear();
        LinuxCalls.close(epfd);
    }
}
