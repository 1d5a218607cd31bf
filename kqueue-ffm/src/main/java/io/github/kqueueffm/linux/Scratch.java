package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxConstants;
import io.github.kqueueffm.bindings.linux.LinuxStructs;
import io.github.kqueueffm.core.NativeMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One kqueue's native argument buffers for the small system calls its filters make under the
 * kqueue's lock (ioctl, getsockopt, fstat, timerfd_settime, ...), allocated once so no call
 * allocates, plus typed helpers that return −errno on failure.
 */
final class Scratch {
    private static final int SK_MEMINFO_VARS = Math.max(LinuxConstants.SK_MEMINFO_VARS, 9);

    // used only by the thread holding the kqueue's lock
    final MemorySegment intValue;
    final MemorySegment length;
    final MemorySegment stat;
    final MemorySegment meminfo;
    final MemorySegment tcpInfo;
    final MemorySegment itimerspec;
    final MemorySegment timespec;
    final MemorySegment counter;
    final EpollEventArray epollEvent;
    final MemorySegment path;
    final MemorySegment pollfd;
    /** siginfo_t or struct pidfd_info. */
    final MemorySegment procInfo;

    Scratch(NativeMemory memory) {
        intValue = memory.allocate(8, 8);
        length = memory.allocate(8, 8);
        stat = memory.allocate(LinuxStructs.STAT_SIZE, 8);
        meminfo = memory.allocate(4L * SK_MEMINFO_VARS, 8);
        tcpInfo = memory.allocate(LinuxStructs.TCP_INFO_SIZE, 8);
        itimerspec = memory.allocate(LinuxStructs.ITIMERSPEC_SIZE, 8);
        timespec = memory.allocate(LinuxStructs.TIMESPEC_SIZE, 8);
        counter = memory.allocate(8, 8);
        epollEvent = new EpollEventArray(memory.allocate(EpollEventArray.bytes(1), 8), 1);
        path = memory.allocate(64, 8);
        pollfd = memory.allocate(LinuxStructs.POLLFD_SIZE, 8);
        procInfo = memory.allocate(Math.max(LinuxStructs.SIGINFO_SIZE, 128), 8);
    }

    /** ioctl with an int result; returns the value or −errno. */
    int ioctlInt(int fd, long request) {
        int error = LinuxCalls.ioctl(fd, request, intValue);
        if (error < 0) {
            return error;
        }
        return intValue.get(ValueLayout.JAVA_INT, 0);
    }

    /** getsockopt of an int option; returns the value or −errno. */
    int sockoptInt(int fd, int level, int name) {
        length.set(ValueLayout.JAVA_INT, 0, 4);
        int error = LinuxCalls.getsockopt(fd, level, name, intValue, length);
        if (error < 0) {
            return error;
        }
        return intValue.get(ValueLayout.JAVA_INT, 0);
    }

    /** getsockopt(SO_MEMINFO); returns 0 or −errno, values in {@link #meminfo}. */
    int meminfo(int fd) {
        length.set(ValueLayout.JAVA_INT, 0, (int) meminfo.byteSize());
        return LinuxCalls.getsockopt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_MEMINFO, meminfo, length);
    }

    /** One value of the last {@link #meminfo(int)} (an SK_MEMINFO_* index). */
    int meminfoValue(int index) {
        return meminfo.getAtIndex(ValueLayout.JAVA_INT, index);
    }

    /** getsockopt(TCP_INFO)'s tcpi_unacked: a listening socket's accept-queue length; or −errno. */
    int tcpAcceptQueue(int fd) {
        length.set(ValueLayout.JAVA_INT, 0, (int) tcpInfo.byteSize());
        int error = LinuxCalls.getsockopt(fd, LinuxConstants.IPPROTO_TCP, LinuxConstants.TCP_INFO, tcpInfo, length);
        if (error < 0) {
            return error;
        }
        return tcpInfo.get(ValueLayout.JAVA_INT, LinuxStructs.TCP_INFO_UNACKED);
    }

    /** fstat; returns 0 or −errno, fields via the accessors. */
    int fstat(int fd) {
        return LinuxCalls.fstat(fd, stat);
    }

    long statDev() {
        return stat.get(ValueLayout.JAVA_LONG, LinuxStructs.STAT_DEV);
    }

    long statIno() {
        return stat.get(ValueLayout.JAVA_LONG, LinuxStructs.STAT_INO);
    }

    int statMode() {
        return stat.get(ValueLayout.JAVA_INT, LinuxStructs.STAT_MODE);
    }

    long statSize() {
        return stat.get(ValueLayout.JAVA_LONG, LinuxStructs.STAT_SIZE_FIELD);
    }

    /** poll(2) of one descriptor with timeout 0; returns revents or −errno. */
    int pollNow(int fd, int events) {
        pollfd.set(ValueLayout.JAVA_INT, LinuxStructs.POLLFD_FD, fd);
        pollfd.set(ValueLayout.JAVA_SHORT, LinuxStructs.POLLFD_EVENTS, (short) events);
        pollfd.set(ValueLayout.JAVA_SHORT, LinuxStructs.POLLFD_REVENTS, (short) 0);
        int error = LinuxCalls.poll(pollfd, 1, 0);
        if (error < 0) {
            return error;
        }
        return Short.toUnsignedInt(pollfd.get(ValueLayout.JAVA_SHORT, LinuxStructs.POLLFD_REVENTS));
    }

    /** epoll_ctl with this scratch's event; returns 0 or −errno. */
    int epollCtl(int epfd, int op, int fd, int events, long data) {
        epollEvent.set(0, events, data);
        return LinuxCalls.epollCtl(epfd, op, fd, epollEvent.memory());
    }
}
