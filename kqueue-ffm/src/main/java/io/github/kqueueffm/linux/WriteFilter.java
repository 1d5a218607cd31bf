package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.Knote;
import io.github.kqueueffm.emul.DescriptorFilter;
import io.github.kqueueffm.emul.Errors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.github.kqueueffm.KEvent.EV_EOF;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLERR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLHUP;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLOUT;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.FIONREAD;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.F_GETPIPE_SZ;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.POLLOUT;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SK_MEMINFO_SNDBUF;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SK_MEMINFO_WMEM_ALLOC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SK_MEMINFO_WMEM_QUEUED;

/**
 * EVFILT_WRITE. For sockets {@code data} is the free send-buffer memory as Linux accounts it
 * (SO_MEMINFO: SNDBUF minus what is queued, in the unit of SO_SNDBUF); for pipes the capacity
 * minus the bytes queued, reported only from PIPE_BUF (512, FreeBSD's value) free bytes up; regular
 * files are always writable with data 0.
 */
final class WriteFilter extends DescriptorFilter<FdInterest, WriteFilter.Writer> {
    /** FreeBSD's PIPE_BUF: a pipe with less room than this is not writable. */
    private static final int PIPE_BUF = 512;

    /** A write knote's side; guarded by the kqueue's lock. */
    static final class Writer extends DescriptorFilter.Side<FdInterest> {
        /** F_GETPIPE_SZ when the knote attached. */
        int pipeCapacity;

        Writer(FdInterest descriptor, Knote knote) {
            super(descriptor, knote);
        }
    }

    private final FdTable fds;
    private final Scratch scratch;
    /** The side of the last knote detached, for the same knote taken up again (no allocation). */
    private Writer spare;

    WriteFilter(KQueueCore core, FdTable fds, Scratch scratch) {
        super(core, fds);
        this.fds = fds;
        this.scratch = scratch;
    }

    @Override
    protected int accepts(FdInterest rec) {
        if (rec.kind == DescriptorKind.KQUEUE || rec.kind == DescriptorKind.PIDFD) {
            return -Errors.EINVAL;
        }
        if (rec.kind == DescriptorKind.PIPE) {
            fds.refresh(rec); // also what pipe() needs: whether a page slot is free
            return (rec.lastEvents & EPOLLERR) != 0 && anonymousPipe(rec.fd) ? -Errors.EPIPE : 0;
        }
        return 0;
    }

    /**
     * FreeBSD's pipe_kqfilter refuses EVFILT_WRITE with EPIPE once the other end of a pipe is
     * closed (WR-07 covers a knote made before). A FIFO keeps its pipe while anyone has it open, so
     * there the knote is made and reports EV_EOF, as on FreeBSD; /proc/self/fd tells the two apart.
     */
    private static boolean anonymousPipe(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString().startsWith("pipe:");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    protected Writer newSide(FdInterest rec, Knote kn) {
        Writer side = spare;
        if (side != null && side.descriptor == rec && side.knote == kn) {
            spare = null;
            side.pipeCapacity = 0;
            return side;
        }
        return new Writer(rec, kn);
    }

    @Override
    protected void release(Writer side) {
        spare = side;
    }

    @Override
    protected void slot(FdInterest rec, Writer side) {
        rec.write = side;
    }

    @Override
    protected int prepare(Writer side) {
        if (side.descriptor.kind == DescriptorKind.PIPE) {
            int capacity = LinuxCalls.fcntl(side.descriptor.fd, F_GETPIPE_SZ, 0);
            side.pipeCapacity = capacity > 0 ? capacity : 65536;
        }
        return 0;
    }

    /** A socket or pipe is writable here only when its registration reports EPOLLOUT (or an error). */
    @Override
    public boolean reportedByRegistration(Knote kn) {
        FdInterest rec = side(kn).descriptor;
        return rec.rearmed(FdInterest.WRITE_SIDE)
                && (rec.kind == DescriptorKind.SOCKET || rec.kind == DescriptorKind.PIPE);
    }

    @Override
    public boolean reportsLevelItself(Knote kn) {
        return side(kn).descriptor.levelTriggered(FdInterest.WRITE_SIDE);
    }

    @Override
    protected boolean evaluate(Knote kn, Writer side) {
        FdInterest rec = side.descriptor;
        return switch (rec.kind) {
            case SOCKET -> socket(kn, rec);
            case PIPE -> pipe(kn, side);
            case REGULAR, DIRECTORY -> {
                kn.data = 0;
                yield fds.identity(rec) == FdTable.SAME || gone(kn); // always writable while it is open
            }
            case EVENTFD -> eventfd(kn, rec);
            default -> other(kn, rec);
        };
    }

    private boolean socket(Knote kn, FdInterest rec) {
        int events = rec.lastEvents;
        if ((events & EPOLLHUP) != 0) {
            kn.flags |= EV_EOF;
            kn.fflags = fds.socketError(rec);
            kn.data = 0;
            return true;
        }
        if ((events & EPOLLERR) != 0) {
            return true; // a pending error without EOF (UDP): writable, send returns it
        }
        if ((events & EPOLLOUT) == 0) {
            return false; // not connected yet, or listening
        }
        int error = scratch.meminfo(rec.fd);
        if (error < 0) {
            return error == -Errors.EBADF ? gone(kn) : false;
        }
        int used = Math.max(scratch.meminfoValue(SK_MEMINFO_WMEM_QUEUED), scratch.meminfoValue(SK_MEMINFO_WMEM_ALLOC));
        kn.data = Math.max(0, scratch.meminfoValue(SK_MEMINFO_SNDBUF) - used);
        return kn.data >= lowWater(kn, 1);
    }

    private boolean pipe(Knote kn, Writer side) {
        FdInterest rec = side.descriptor;
        if ((rec.lastEvents & EPOLLERR) != 0) {
            fds.refresh(rec); // a FIFO's new reader wakes no writer: ask poll(2) whether EOF still holds
        }
        if ((rec.lastEvents & EPOLLERR) != 0) {
            kn.flags |= EV_EOF;
            kn.data = 0;
            return true;
        }
        kn.flags &= ~EV_EOF; // a FIFO that got a new reader is writable again
        int queued = scratch.ioctlInt(rec.fd, FIONREAD);
        if (queued < 0) {
            return queued == -Errors.EBADF ? gone(kn) : false;
        }
        kn.data = Math.max(0, side.pipeCapacity - queued);
        // FreeBSD's filt_pipewrite ignores NOTE_LOWAT. A write also needs a free page slot, which
        // only poll tells (the registration reports it, level-triggered for plain knotes):
        // without one, write(2) fails with EAGAIN however many bytes are free.
        return kn.data >= PIPE_BUF && (rec.lastEvents & EPOLLOUT) != 0;
    }

    private boolean eventfd(Knote kn, FdInterest rec) {
        long count = FdInfo.eventfdCount(rec.fd);
        if (count < 0) {
            return gone(kn);
        }
        kn.data = 0xFFFFFFFFFFFFFFFEL - count;
        return kn.data != 0;
    }

    private boolean other(Knote kn, FdInterest rec) {
        int revents = scratch.pollNow(rec.fd, POLLOUT);
        if (revents < 0) {
            return revents == -Errors.EBADF ? gone(kn) : false;
        }
        kn.data = 0;
        return (revents & POLLOUT) != 0;
    }
}
