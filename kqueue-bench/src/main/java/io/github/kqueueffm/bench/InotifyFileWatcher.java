package io.github.kqueueffm.bench;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxConstants;
import io.github.kqueueffm.bindings.linux.LinuxStructs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * W8 on raw inotify through the project's bindings, as an epoll event loop watches files: one
 * inotify instance with an IN_MODIFY watch per file, its descriptor in an epoll set; a change is
 * {@code epoll_wait}, then one {@code read} of the inotify events, whose watch descriptor is matched
 * to the file: the floor.
 */
final class InotifyFileWatcher implements FileWatcher {
    /** Room for many events; one change brings one (16 bytes, no name on a file's own watch). */
    private static final int BUFFER = 4096;

    private final int inotify;
    private final int epfd;
    private final int[] watches;
    /**
     * An automatic arena: a downcall given its memory skips the session's acquire and release (two
     * atomic operations), as one given kqueue-ffm's own memory does. It is freed by the collector.
     */
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment event = arena.allocate(LinuxStructs.EPOLL_EVENT_SIZE, 8);
    private final MemorySegment buffer = arena.allocate(BUFFER, 8);

    /**
     * Opens the inotify instance and the epoll set and watches every file.
     *
     * @param files the files
     * @throws IllegalStateException if a call fails
     */
    InotifyFileWatcher(WatchedFiles files) {
        inotify = EpollPingEnd.check(LinuxCalls.inotifyInit1(LinuxConstants.IN_NONBLOCK | LinuxConstants.IN_CLOEXEC),
                "inotify_init1");
        epfd = EpollPingEnd.check(LinuxCalls.epollCreate1(LinuxConstants.EPOLL_CLOEXEC), "epoll_create1");
        event.set(ValueLayout.JAVA_INT_UNALIGNED, LinuxStructs.EPOLL_EVENT_EVENTS, LinuxConstants.EPOLLIN);
        event.set(ValueLayout.JAVA_LONG_UNALIGNED, LinuxStructs.EPOLL_EVENT_DATA, inotify);
        EpollPingEnd.check(LinuxCalls.epollCtl(epfd, LinuxConstants.EPOLL_CTL_ADD, inotify, event), "epoll_ctl");
        watches = new int[files.count()];
        try (Arena paths = Arena.ofConfined()) {
            for (int i = 0; i < watches.length; i++) {
                watches[i] = EpollPingEnd.check(LinuxCalls.inotifyAddWatch(inotify,
                        paths.allocateFrom(files.path(i).toString()), LinuxConstants.IN_MODIFY), "inotify_add_watch");
            }
        }
    }

    @Override
    public void awaitChange(int index) {
        EpollPingEnd.check(LinuxCalls.epollWait(epfd, event, 1, -1), "epoll_wait");
        // epoll said readable and this thread is the only reader: the read cannot find it empty.
        long n = EpollPingEnd.check((int) LinuxCalls.readNonBlocking(inotify, buffer, BUFFER), "read");
        for (long at = 0; at < n;
                at += LinuxStructs.INOTIFY_EVENT_SIZE + buffer.get(ValueLayout.JAVA_INT, at + LinuxStructs.INOTIFY_EVENT_LEN)) {
            int wd = buffer.get(ValueLayout.JAVA_INT, at + LinuxStructs.INOTIFY_EVENT_WD);
            if (wd != watches[index]) {
                throw new IllegalStateException("expected a change of file " + index + " (watch " + watches[index]
                        + "), got watch " + wd);
            }
        }
    }

    @Override
    public void close() {
        LinuxCalls.close(epfd);
        LinuxCalls.close(inotify); // removes every watch
    }
}
