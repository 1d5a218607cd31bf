package io.github.kqueueffm.kqwatch;

import io.github.kqueueffm.bindings.ErrnoNames;
import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxStructs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.github.kqueueffm.bindings.linux.LinuxConstants.CLOCK_MONOTONIC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EFD_CLOEXEC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EFD_NONBLOCK;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLIN;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CLOEXEC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CTL_ADD;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.TFD_CLOEXEC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.TFD_NONBLOCK;

/**
 * The kqwatch demonstration: for now a small real program on the bindings alone. It puts an
 * eventfd and a timerfd into one epoll set, signals the eventfd, arms the timer for 200 ms, waits
 * until both fired, prints what fired and exits.
 */
public final class KqWatch {
    private static final long EVENTFD_TAG = 1;
    private static final long TIMERFD_TAG = 2;

    private KqWatch() {
    }

    /**
     * Runs the demonstration.
     *
     * @param args none
     */
    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            long start = System.nanoTime();
            int epfd = check("epoll_create1", LinuxCalls.epollCreate1(EPOLL_CLOEXEC));
            int efd = check("eventfd", LinuxCalls.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
            int tfd = check("timerfd_create", LinuxCalls.timerfdCreate(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
            MemorySegment event = arena.allocate(LinuxStructs.EPOLL_EVENT_SIZE, 8);
            add(epfd, efd, EVENTFD_TAG, event);
            add(epfd, tfd, TIMERFD_TAG, event);

            MemorySegment counter = arena.allocate(ValueLayout.JAVA_LONG);
            counter.set(ValueLayout.JAVA_LONG, 0, 3);
            check("write(eventfd)", (int) LinuxCalls.write(efd, counter, 8));
            MemorySegment spec = arena.allocate(LinuxStructs.ITIMERSPEC_SIZE, 8);
            spec.set(ValueLayout.JAVA_LONG, LinuxStructs.ITIMERSPEC_VALUE + LinuxStructs.TIMESPEC_NSEC, 200_000_000L);
            check("timerfd_settime", LinuxCalls.timerfdSettime(tfd, 0, spec, MemorySegment.NULL));

            MemorySegment events = arena.allocate(LinuxStructs.EPOLL_EVENT_SIZE * 4, 8);
            boolean sawEventfd = false;
            boolean sawTimer = false;
            while (!(sawEventfd && sawTimer)) {
                int n = check("epoll_pwait", LinuxCalls.epollWait(epfd, events, 4, 5_000));
                if (n == 0) {
                    throw new IllegalStateException("nothing fired within 5 s");
                }
                for (int i = 0; i < n; i++) {
                    long base = i * LinuxStructs.EPOLL_EVENT_SIZE;
                    int mask = events.get(ValueLayout.JAVA_INT_UNALIGNED, base + LinuxStructs.EPOLL_EVENT_EVENTS);
                    long tag = events.get(ValueLayout.JAVA_LONG_UNALIGNED, base + LinuxStructs.EPOLL_EVENT_DATA);
                    int fd = tag == EVENTFD_TAG ? efd : tfd;
                    check("read", (int) LinuxCalls.read(fd, counter, 8));
                    long value = counter.get(ValueLayout.JAVA_LONG, 0);
                    System.out.printf("%7.1f ms  %-7s fd=%d events=0x%x value=%d%n",
                            (System.nanoTime() - start) / 1e6, tag == EVENTFD_TAG ? "eventfd" : "timerfd",
                            fd, mask, value);
                    sawEventfd |= tag == EVENTFD_TAG;
                    sawTimer |= tag == TIMERFD_TAG;
                }
            }
            LinuxCalls.close(tfd);
            LinuxCalls.close(efd);
            LinuxCalls.close(epfd);
        }
    }

    private static void add(int epfd, int fd, long tag, MemorySegment event) {
        event.set(ValueLayout.JAVA_INT_UNALIGNED, LinuxStructs.EPOLL_EVENT_EVENTS, EPOLLIN);
        event.set(ValueLayout.JAVA_LONG_UNALIGNED, LinuxStructs.EPOLL_EVENT_DATA, tag);
        check("epoll_ctl", LinuxCalls.epollCtl(epfd, EPOLL_CTL_ADD, fd, event));
    }

    private static int check(String call, int result) {
        if (result < 0) {
            throw new IllegalStateException(call + " failed: " + ErrnoNames.name(LinuxCalls.errno()));
        }
        return result;
    }
}
