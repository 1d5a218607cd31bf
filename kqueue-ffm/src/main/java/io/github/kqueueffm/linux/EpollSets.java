package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxCalls;

import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLIN;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CLOEXEC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CTL_ADD;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.O_CLOEXEC;

/**
 * The epoll sets of one kqueue: the main set (the kqueue's descriptor, the one every wait blocks
 * on) and up to {@value #NESTED} nested sets the main set watches.
 *
 * <p>epoll allows one registration per descriptor and set, and modifying a registration makes
 * epoll report the descriptor's current readiness again, while any wakeup of the file (data
 * arriving, buffer space freed) queues the whole registration. So each side of a descriptor (its
 * READ, WRITE and EMPTY knotes) gets a registration of its own, in a set its other sides do not
 * use: a change to one side, or an edge of the other direction, never re-activates an EV_CLEAR
 * knote of another. A descriptor watched in one direction only uses the main set.
 *
 * <p>The first nested set is opened with the kqueue (four descriptors in all, RS-04): a number the
 * kqueue took later could be one the program has just closed, turning its EBADF into ENOENT. The
 * second is needed only by a socket with READ, WRITE and EMPTY knotes at once, and opened then.
 */
final class EpollSets {
    /** Sets beyond the main one: one per descriptor side that may share a descriptor with others. */
    static final int NESTED = 2;

    /** The sets' descriptors, −1 where not open; guarded by the kqueue's lock. */
    private final int[] fds = {-1, -1, -1};

    /**
     * The sets of a main set; none nested is open yet.
     *
     * @param mainFd the main set (the kqueue's descriptor)
     */
    EpollSets(int mainFd) {
        fds[0] = mainFd;
    }

    /**
     * Opens set {@code index} unless it is open, watched level-triggered by the main set (a
     * harvest that leaves events in it is reported again).
     *
     * @return 0, or −errno of epoll_create1/epoll_ctl
     */
    int ensure(int index, Scratch scratch) {
        if (fds[index] >= 0) {
            return 0;
        }
        int fd = LinuxCalls.epollCreate1(EPOLL_CLOEXEC);
        if (fd < 0) {
            return fd;
        }
        int error = scratch.epollCtl(fds[0], EPOLL_CTL_ADD, fd, EPOLLIN, tag(index));
        if (error < 0) {
            LinuxCalls.close(fd);
            return error;
        }
        fds[index] = fd;
        return 0;
    }

    /**
     * The epoll_data of nested set {@code index} in the main set: generation 0 (the kqueue's own
     * sources) and descriptor −index, a tag that stays right when the set's number changes.
     */
    private static long tag(int index) {
        return EpollEventArray.tag(0, -index);
    }

    /** @return the index of the nested set a report tagged with descriptor {@code taggedFd} names */
    static int nestedIndex(int taggedFd) {
        return -taggedFd;
    }

    /** @return the epoll descriptor of set {@code index} (0: the main set), or −1 if not open */
    int fd(int index) {
        return fds[index];
    }

    /** @return whether the number is one of these sets (the kqueue's own descriptor or a nested set) */
    boolean isOwn(int fd) {
        for (int i = 0; i <= NESTED; i++) {
            if (fds[i] == fd && fd >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Puts rebuilt sets in place of these, under the same numbers where both are open (dup3),
     * nested sets first, and closes what is no longer used. The main set keeps watching the nested
     * ones: an epoll registration lives as long as its file, whatever number names it.
     *
     * @return whether every dup3 succeeded (if not, these sets are partly replaced)
     */
    boolean takeOver(EpollSets rebuilt) {
        boolean ok = true;
        for (int i = NESTED; i >= 0; i--) {
            if (rebuilt.fds[i] < 0) {
                if (fds[i] >= 0) {
                    LinuxCalls.close(fds[i]);
                    fds[i] = -1;
                }
            } else if (fds[i] < 0) {
                fds[i] = rebuilt.fds[i];
            } else {
                ok &= LinuxCalls.dup3(rebuilt.fds[i], fds[i], O_CLOEXEC) >= 0;
                LinuxCalls.close(rebuilt.fds[i]);
            }
        }
        return ok;
    }

    /** Closes the nested sets (the main one is the kqueue's descriptor, closed by its owner). */
    void closeNested() {
        for (int i = 1; i <= NESTED; i++) {
            if (fds[i] >= 0) {
                LinuxCalls.close(fds[i]);
                fds[i] = -1;
            }
        }
    }
}
