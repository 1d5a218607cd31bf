package io.github.kqueueffm.bench;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxConstants;
import io.github.kqueueffm.bindings.linux.LinuxStructs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * W3's floor on raw epoll, as a C event loop does it: the deadlines in a heap ({@link LongHeap}) and
 * one timerfd armed (absolute, CLOCK_MONOTONIC, which {@link System#nanoTime()} reads on Linux) at
 * the earliest. Arming a timer is a heap insert, plus {@code timerfd_settime} when it becomes the
 * earliest; each wake-up reads the timerfd, pops every deadline that has passed and re-arms.
 */
final class EpollTimers implements Timers {
    private static final int MAX_EVENTS = 4;

    private final int epfd;
    private final int timerfd;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment events = arena.allocate(LinuxStructs.EPOLL_EVENT_SIZE * MAX_EVENTS, 8);
    private final MemorySegment spec = arena.allocate(LinuxStructs.ITIMERSPEC_SIZE, 8);
    private final MemorySegment expirations = arena.allocate(ValueLayout.JAVA_LONG);
    private final LongHeap deadlines = new LongHeap();
    /** The deadline the timerfd is armed for, or {@link Long#MAX_VALUE}. */
    private long armed = Long.MAX_VALUE;

    /** Opens the epoll instance and the timerfd. */
    EpollTimers() {
        epfd = EpollPingEnd.check(LinuxCalls.epollCreate1(LinuxConstants.EPOLL_CLOEXEC), "epoll_create1");
        timerfd = EpollPingEnd.check(LinuxCalls.timerfdCreate(LinuxConstants.CLOCK_MONOTONIC,
                LinuxConstants.TFD_CLOEXEC | LinuxConstants.TFD_NONBLOCK), "timerfd_create");
        MemorySegment event = arena.allocate(LinuxStructs.EPOLL_EVENT_SIZE, 8);
        event.set(ValueLayout.JAVA_INT_UNALIGNED, LinuxStructs.EPOLL_EVENT_EVENTS, LinuxConstants.EPOLLIN);
        event.set(ValueLayout.JAVA_LONG_UNALIGNED, LinuxStructs.EPOLL_EVENT_DATA, timerfd);
        EpollPingEnd.check(LinuxCalls.epollCtl(epfd, LinuxConstants.EPOLL_CTL_ADD, timerfd, event), "epoll_ctl");
    }

    @Override
    public long armAll(int count) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long deadline = System.nanoTime() + Timers.timeoutMillis(i) * 1_000_000;
            deadlines.add(deadline);
            if (deadline < armed) {
                arm(deadline);
            }
        }
        return System.nanoTime() - start;
    }

    @Override
    public void awaitAll(int count) {
        for (int expired = 0; expired < count; ) {
            LinuxCalls.epollWait(epfd, events, MAX_EVENTS, -1);
            LinuxCalls.read(timerfd, expirations, Long.BYTES);
            long now = System.nanoTime();
            while (deadlines.peek() <= now) {
                deadlines.removeFirst();
                expired++;
            }
            arm(deadlines.peek());
        }
    }

    /** Arms the timerfd for an absolute deadline, or disarms it for {@link Long#MAX_VALUE}. */
    private void arm(long deadline) {
        long value = deadline == Long.MAX_VALUE ? 0 : Math.max(deadline, 1);
        long interval = LinuxStructs.ITIMERSPEC_INTERVAL;
        long initial = LinuxStructs.ITIMERSPEC_VALUE;
        spec.set(ValueLayout.JAVA_LONG, interval + LinuxStructs.TIMESPEC_SEC, 0);
        spec.set(ValueLayout.JAVA_LONG, interval + LinuxStructs.TIMESPEC_NSEC, 0);
        spec.set(ValueLayout.JAVA_LONG, initial + LinuxStructs.TIMESPEC_SEC, value / 1_000_000_000);
        spec.set(ValueLayout.JAVA_LONG, initial + LinuxStructs.TIMESPEC_NSEC, value % 1_000_000_000);
        EpollPingEnd.check(LinuxCalls.timerfdSettime(timerfd, LinuxConstants.TFD_TIMER_ABSTIME, spec,
                MemorySegment.NULL), "timerfd_settime");
        armed = deadline;
    }

    @Override
    public void close() {
        LinuxCalls.close(timerfd);
        LinuxCalls.close(epfd);
        arena.close();
    }
}
