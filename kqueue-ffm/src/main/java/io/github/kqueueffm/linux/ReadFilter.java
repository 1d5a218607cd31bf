package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.Knote;
import io.github.kqueueffm.emul.DescriptorFilter;
import io.github.kqueueffm.emul.Errors;
import io.github.kqueueffm.emul.KQueueRegistry;

import static io.github.kqueueffm.KEvent.EV_EOF;
import static io.github.kqueueffm.KEvent.NOTE_FILE_POLL;
import static io.github.kqueueffm.KEvent.NOTE_LOWAT;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLERR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLHUP;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLIN;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLRDHUP;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.FIONREAD;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_ATTRIB;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_MODIFY;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.POLLERR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.POLLHUP;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.POLLIN;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.POLLRDHUP;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SEEK_CUR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SOL_SOCKET;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SO_RCVLOWAT;

/**
 * EVFILT_READ. {@code data} is computed with one system call at copy-out: FIONREAD for sockets
 * and pipes, TCP_INFO's accept-queue length for listening TCP sockets, size minus offset for
 * regular files (whose growth inotify reports), the counter for eventfds, the pending count of a
 * watched kqueue. EOF comes from the readiness epoll reported (EPOLLRDHUP/EPOLLHUP).
 *
 * <p>Lock order: READ on another kqueue takes that kqueue's lock (its pending count) while holding
 * this one's. A cycle cannot form: epoll refuses a registration that would close a loop of epoll
 * sets (ELOOP), so kqueue A watching B and B watching A is never registered.
 */
final class ReadFilter extends DescriptorFilter<FdInterest, ReadFilter.Reader> {
    /** A read knote's side; guarded by the kqueue's lock. */
    final class Reader extends DescriptorFilter.Side<FdInterest> implements Inotify.Watcher {
        /** SO_RCVLOWAT of a socket, read when the knote is first evaluated; 0 until then. */
        int rcvLowat;
        /** The inotify watch of a regular file or directory, or −1. */
        int watch = -1;

        Reader(FdInterest descriptor, Knote knote) {
            super(descriptor, knote);
        }

        @Override
        public void inotify(int mask, boolean named, boolean sameDirectoryMove) {
            core.activate(knote); // the file grew (or changed): evaluate re-computes data
        }
    }

    private final FdTable fds;
    private final Scratch scratch;
    private final Inotify inotify;
    /** The side of the last knote detached, for the same knote taken up again (no allocation). */
    private Reader spare;
    private final EpollSets ownSets;

    ReadFilter(KQueueCore core, FdTable fds, Scratch scratch, Inotify inotify, EpollSets ownSets) {
        super(core, fds);
        this.fds = fds;
        this.scratch = scratch;
        this.inotify = inotify;
        this.ownSets = ownSets;
    }

    @Override
    protected int accepts(FdInterest rec) {
        if (ownSets.isOwn(rec.fd) || rec.kind == DescriptorKind.PIDFD) {
            return -Errors.EINVAL;
        }
        return 0;
    }

    @Override
    protected Reader newSide(FdInterest rec, Knote kn) {
        Reader side = spare;
        if (side != null && side.descriptor == rec && side.knote == kn) {
            spare = null;
            side.rcvLowat = 0;
            return side;
        }
        return new Reader(rec, kn);
    }

    @Override
    protected void slot(FdInterest rec, Reader side) {
        rec.read = side;
    }

    @Override
    protected int prepare(Reader side) {
        FdInterest rec = side.descriptor;
        switch (rec.kind) {
            case KQUEUE -> {
                KQueueCore watched = KQueueRegistry.find(rec.fd);
                if (watched != null) {
                    watched.makePollable();
                }
            }
            case REGULAR, DIRECTORY -> {
                int wd = inotify.add(rec.fd, IN_MODIFY | IN_ATTRIB, side);
                side.watch = wd >= 0 ? wd : -1; // without a watch, growth shows on the next re-check only
            }
            default -> {
            }
        }
        return 0;
    }

    @Override
    protected void release(Reader side) {
        if (side.watch >= 0) {
            inotify.remove(side.watch, side);
            side.watch = -1;
        }
        spare = side;
    }

    /**
     * A socket's or pipe's registration reports EPOLLIN (at the socket's SO_RCVLOWAT) or a hang-up
     * whenever this filter would find the knote ready, unless NOTE_LOWAT sets a threshold below it.
     */
    @Override
    public boolean reportedByRegistration(Knote kn) {
        FdInterest rec = side(kn).descriptor;
        return rec.rearmed(FdInterest.READ_SIDE) && (rec.kind == DescriptorKind.PIPE
                || rec.kind == DescriptorKind.SOCKET && (kn.sfflags & NOTE_LOWAT) == 0);
    }

    @Override
    public boolean reportsLevelItself(Knote kn) {
        return side(kn).descriptor.levelTriggered(FdInterest.READ_SIDE);
    }

    @Override
    protected boolean evaluate(Knote kn, Reader side) {
        FdInterest rec = side.descriptor;
        return switch (rec.kind) {
            case SOCKET -> socket(kn, side);
            case PIPE -> pipe(kn, rec);
            case REGULAR, DIRECTORY -> file(kn, rec);
            case EVENTFD -> eventfd(kn, rec);
            case KQUEUE -> kqueue(kn, rec);
            default -> other(kn, rec);
        };
    }

    private boolean socket(Knote kn, Reader side) {
        FdInterest rec = side.descriptor;
        if (side.rcvLowat == 0) {
            int lowat = scratch.sockoptInt(rec.fd, SOL_SOCKET, SO_RCVLOWAT);
            side.rcvLowat = lowat > 0 ? lowat : 1;
            if (side.rcvLowat > 1 && rec.levelTriggered(FdInterest.READ_SIDE)) {
                fds.update(rec); // epoll's level may hold below the mark (memory pressure): edge-triggered
            }
        }
        int events = rec.lastEvents;
        int queued = scratch.ioctlInt(rec.fd, FIONREAD);
        if (queued < 0) {
            if (queued == -Errors.EBADF) {
                return gone(kn);
            }
            if (queued == -Errors.EINVAL) { // a listening socket
                int backlog = scratch.tcpAcceptQueue(rec.fd);
                if (backlog < 0) {
                    backlog = (events & EPOLLIN) != 0 ? 1 : 0;
                }
                kn.data = backlog;
                return backlog > 0;
            }
            queued = 0;
        }
        kn.data = queued;
        if ((events & (EPOLLRDHUP | EPOLLHUP)) != 0) {
            kn.flags |= EV_EOF;
            kn.fflags = fds.socketError(rec);
            return true;
        }
        if ((events & EPOLLERR) != 0) {
            return true; // a pending error without EOF (UDP): readable, read returns it
        }
        return queued >= lowWater(kn, side.rcvLowat);
    }

    private boolean pipe(Knote kn, FdInterest rec) {
        int queued = scratch.ioctlInt(rec.fd, FIONREAD);
        if (queued < 0) {
            return queued == -Errors.EBADF ? gone(kn) : false;
        }
        kn.data = queued;
        if ((rec.lastEvents & EPOLLHUP) != 0) {
            fds.refresh(rec); // a FIFO's new writer may have ended EOF without an epoll event
        }
        if ((rec.lastEvents & EPOLLHUP) != 0) {
            kn.flags |= EV_EOF;
            return true;
        }
        kn.flags &= ~EV_EOF; // a FIFO that got a new writer is no longer at EOF
        return queued > 0; // FreeBSD's filt_piperead ignores NOTE_LOWAT
    }

    private boolean file(Knote kn, FdInterest rec) {
        int error = scratch.fstat(rec.fd);
        if (error < 0) {
            return error == -Errors.EBADF ? gone(kn) : false;
        }
        if (scratch.statDev() != rec.dev || scratch.statIno() != rec.ino) {
            return gone(kn); // the number now names another file
        }
        long offset = LinuxCalls.lseek(rec.fd, 0, SEEK_CUR);
        kn.data = scratch.statSize() - Math.max(0, offset);
        return (kn.sfflags & NOTE_FILE_POLL) != 0 || kn.data != 0;
    }

    private boolean eventfd(Knote kn, FdInterest rec) {
        long count = FdInfo.eventfdCount(rec.fd);
        if (count < 0) {
            return gone(kn);
        }
        kn.data = count;
        return count != 0;
    }

    private boolean kqueue(Knote kn, FdInterest rec) {
        KQueueCore watched = KQueueRegistry.find(rec.fd);
        if (watched == null || watched == core) {
            return gone(kn);
        }
        kn.data = watched.pendingCount(); // takes the watched kqueue's lock: see the class comment
        return kn.data > 0;
    }

    private boolean other(Knote kn, FdInterest rec) {
        int revents = scratch.pollNow(rec.fd, POLLIN | POLLRDHUP);
        if (revents < 0) {
            return revents == -Errors.EBADF ? gone(kn) : false;
        }
        int queued = scratch.ioctlInt(rec.fd, FIONREAD);
        kn.data = Math.max(0, queued);
        if ((revents & (POLLHUP | POLLRDHUP)) != 0) {
            kn.flags |= EV_EOF;
            return true;
        }
        return (revents & (POLLIN | POLLERR)) != 0;
    }
}
