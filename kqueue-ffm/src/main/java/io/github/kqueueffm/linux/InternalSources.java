package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxCalls;

import java.util.Arrays;

import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CTL_ADD;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CTL_MOD;

/**
 * The kqueue's own descriptors in its main epoll set, one list that drives every stage alike:
 * registration ({@link #add}), dispatch of what epoll reports ({@link #dispatch}), re-registration
 * in a rebuilt set ({@link #registerAll}) and closing ({@link #closeAll}). The sources are the
 * wakeup eventfd, the timerfd, the inotify instance, the process-events connector and
 * /proc/self/mountinfo (each opened by its owner, some on first use) and the pidfd of each
 * EVFILT_PROC knote. Each is tagged with generation 0 and its number (see
 * {@link EpollEventArray}); the nested sets, tagged with negative numbers, are {@link EpollSets}'.
 * Guarded by the kqueue's lock.
 */
final class InternalSources {
    /** What a source does when epoll reports it (under the lock). */
    interface Handler {
        /** The source polled ready. */
        void ready();
    }

    /** One source: its descriptor, the events it is registered with and its handler. */
    private record Source(int fd, int events, Handler handler) {
    }

    private final Scratch scratch;
    private final int mainSet;
    /** Sources by descriptor number; guarded by the kqueue's lock. */
    private Source[] byFd = new Source[64];

    InternalSources(Scratch scratch, int mainSet) {
        this.scratch = scratch;
        this.mainSet = mainSet;
    }

    /**
     * Registers a source in the main set. Its owner keeps the descriptor open until
     * {@link #closeAll} (or closes it after {@link #remove}).
     *
     * @return 0, or −errno of epoll_ctl
     */
    int add(int fd, int events, Handler handler) {
        int error = scratch.epollCtl(mainSet, EPOLL_CTL_ADD, fd, events, EpollEventArray.tag(0, fd));
        if (error < 0) {
            return error;
        }
        if (fd >= byFd.length) {
            byFd = Arrays.copyOf(byFd, Math.max(fd + 1, byFd.length * 2));
        }
        byFd[fd] = new Source(fd, events, handler);
        return 0;
    }

    /**
     * Changes the events a source is registered with, here and in any rebuilt set.
     *
     * @return 0, or −errno of epoll_ctl
     */
    int modify(int fd, int events) {
        Source source = byFd[fd];
        int error = scratch.epollCtl(mainSet, EPOLL_CTL_MOD, fd, events, EpollEventArray.tag(0, fd));
        if (error == 0) {
            byFd[fd] = new Source(fd, events, source.handler());
        }
        return error;
    }

    /** Forgets a source its owner is about to close (closing takes it out of epoll). */
    void remove(int fd) {
        if (fd < byFd.length) {
            byFd[fd] = null;
        }
    }

    /** Runs the handler of the source epoll reported, if it is still registered. */
    void dispatch(int fd) {
        Source source = fd < byFd.length ? byFd[fd] : null;
        if (source != null) {
            source.handler.ready();
        }
    }

    /** Registers every source in another epoll set (a rebuilt main set); returns 0 or the first −errno. */
    int registerAll(int epfd) {
        for (Source source : byFd) {
            if (source != null) {
                int error = scratch.epollCtl(epfd, EPOLL_CTL_ADD, source.fd, source.events,
                        EpollEventArray.tag(0, source.fd));
                if (error < 0) {
                    return error;
                }
            }
        }
        return 0;
    }

    /** Closes every source still registered (the kqueue closes; its knotes are detached already). */
    void closeAll() {
        for (int fd = 0; fd < byFd.length; fd++) {
            if (byFd[fd] != null) {
                LinuxCalls.close(fd);
                byFd[fd] = null;
            }
        }
    }
}
