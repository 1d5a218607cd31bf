package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.core.Backend;
import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.emul.DescriptorTable;
import io.github.kqueueffm.emul.Errors;
import io.github.kqueueffm.emul.KQueueRegistry;

import java.util.Arrays;

import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLERR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLHUP;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLIN;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLOUT;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLRDHUP;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.F_GETFD;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.POLLERR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.POLLHUP;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.POLLIN;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.POLLOUT;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.POLLRDHUP;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SOL_SOCKET;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SO_ERROR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.S_IFDIR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.S_IFMT;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.S_IFREG;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.S_IFSOCK;

/**
 * The watched descriptors of one kqueue: an {@link FdInterest} per descriptor with knotes, indexed
 * by number, with the file's identity (st_dev, st_ino) taken when the first knote attached.
 *
 * <p>Identity is checked lazily, at most once per scan: a record is <em>verified</em> until the
 * end of the scan once epoll reported its registration or (st_dev, st_ino) matched; otherwise the
 * next check of one of its knotes compares them first (docs/conformance.md#s3.3), and a number that names another file
 * now drops the knotes (FreeBSD's {@code knote_fdclose}). A delete leaves the check to its own
 * epoll_ctl, and a record kept parked is checked by the epoll_ctl that takes it up again (see
 * {@link FdInterest}). The backend's {@code afterScan} calls {@link #endScan}. Guarded by the
 * kqueue's lock.
 */
final class FdTable implements DescriptorTable<FdInterest> {
    /** {@link #identity} result: the number names the record's file. */
    static final int SAME = 0;
    /** {@link #identity} result: the number names another file now. */
    static final int REUSED = 1;
    /** S_IFIFO, which the generated constants lack. */
    private static final int S_IFIFO = 0x1000;

    private final KQueueCore core;
    private final Scratch scratch;
    private final EpollSets sets;
    // guarded by the kqueue's lock
    private FdInterest[] records = new FdInterest[64];
    private int nextGeneration = 1;
    /** The records verified during the current scan, reset by {@link #endScan}. */
    private FdInterest[] verified = new FdInterest[64];
    private int verifiedCount;
    /** The number whose fstat the scratch holds, taken by the check of the change being applied, or −1. */
    private int statOf = -1;
    /** The record the last {@link #update} was of, for {@link #checkDeleted}. */
    private FdInterest lastUpdated;

    FdTable(KQueueCore core, Scratch scratch, EpollSets sets) {
        this.core = core;
        this.scratch = scratch;
        this.sets = sets;
    }

    @Override
    public int open(int fd) {
        assert core.holdsLock();
        FdInterest kept = fd < records.length ? records[fd] : null;
        if (kept != null) {
            if (!kept.parked()) {
                return 0;
            }
            // its registration, modified by the attach, tells whether the number still names it
            kept.generation = nextGeneration++;
            kept.lastEvents = 0; // the modification reports the current readiness
            return REMEMBERED;
        }
        if (statOf != fd) {
            int error = scratch.fstat(fd);
            if (error < 0) {
                return error;
            }
        }
        statOf = -1;
        DescriptorKind kind = kindOf(fd, scratch.statMode() & S_IFMT);
        FdInterest rec = new FdInterest(fd, nextGeneration++, kind, scratch.statDev(), scratch.statIno());
        if (fd >= records.length) {
            records = Arrays.copyOf(records, Math.max(fd + 1, records.length * 2));
        }
        records[fd] = rec;
        return 0; // readiness comes from the registration's first report
    }

    @Override
    public FdInterest get(int fd) {
        return records[fd];
    }

    @Override
    public int update(FdInterest rec) {
        int error = rec.update(sets, scratch);
        lastUpdated = rec;
        if (rec.isEmpty() && !rec.parked() && records[rec.fd] == rec) {
            records[rec.fd] = null;
        }
        return error;
    }

    @Override
    public void forget(FdInterest rec) {
        rec.withdraw(sets, scratch); // a parked registration still there goes too
        if (records[rec.fd] == rec) {
            records[rec.fd] = null;
        }
    }

    @Override
    public void changed(FdInterest rec) {
        refresh(rec);
        update(rec);
    }

    @Override
    public boolean sameFile(FdInterest rec) {
        // regular files and directories: their filters compare identities themselves
        return !rec.kind.pollable() || stillSameFile(rec);
    }

    private DescriptorKind kindOf(int fd, int type) {
        if (type == S_IFSOCK) {
            return DescriptorKind.SOCKET;
        }
        if (type == S_IFIFO) {
            return DescriptorKind.PIPE;
        }
        if (type == S_IFREG) {
            return DescriptorKind.REGULAR;
        }
        if (type == S_IFDIR) {
            return DescriptorKind.DIRECTORY;
        }
        if (KQueueRegistry.find(fd) != null) {
            return DescriptorKind.KQUEUE;
        }
        String info = FdInfo.read(fd);
        if (FdInfo.field(info, "eventfd-count") != null) {
            return DescriptorKind.EVENTFD;
        }
        if (FdInfo.field(info, "Pid") != null) {
            return DescriptorKind.PIDFD;
        }
        return DescriptorKind.OTHER;
    }

    /**
     * {@link Backend#checkDescriptor}: whether a number a change names is open and, when it has
     * knotes, still names their file.
     *
     * @return {@link Backend#DESCRIPTOR_SAME}, {@link Backend#DESCRIPTOR_REUSED} or a host errno
     */
    int checkDescriptor(int fd, boolean hasKnotes, int change) {
        FdInterest rec = fd < records.length ? records[fd] : null;
        statOf = -1;
        if (!hasKnotes || rec == null) {
            if (change == Backend.CHANGE_ATTACHES) {
                if (rec != null && rec.parked()) {
                    return Backend.DESCRIPTOR_SAME; // modifying its registration answers EBADF
                }
                int error = scratch.fstat(fd); // what open() needs next: EBADF now, before any knote
                if (error < 0) {
                    return -error;
                }
                statOf = fd;
                return Backend.DESCRIPTOR_SAME;
            }
            // EBADF for a number that is not open, whatever the change (KQ-32)
            int flags = LinuxCalls.fcntl(fd, F_GETFD, 0);
            return flags < 0 ? -flags : Backend.DESCRIPTOR_SAME;
        }
        if (rec.verified) {
            return Backend.DESCRIPTOR_SAME;
        }
        if (change == Backend.CHANGE_DELETES && rec.kind.pollable()) {
            return Backend.DESCRIPTOR_DEFERRED; // epoll_ctl's answer to the delete tells (see FdInterest)
        }
        int identity = identity(rec);
        if (identity == SAME) {
            markVerified(rec);
            return Backend.DESCRIPTOR_SAME;
        }
        return identity == REUSED ? Backend.DESCRIPTOR_REUSED : -identity;
    }

    /**
     * {@link Backend#checkDeleted}: what parking or removing the deleted knote's registration
     * answered (ENOENT: the registration went with its file, the number names another one now;
     * EBADF: closed), or, if the delete changed no registration, the identity.
     */
    int checkDeleted(int fd) {
        FdInterest rec = lastUpdated;
        lastUpdated = null;
        if (rec == null || rec.fd != fd) {
            return Backend.DESCRIPTOR_SAME; // not reached: the delete updated the record
        }
        int result = rec.removeResult();
        if (result > 0) {
            result = identity(rec);
            return result == SAME ? Backend.DESCRIPTOR_SAME : result == REUSED ? Backend.DESCRIPTOR_REUSED : -result;
        }
        if (result == -Errors.ENOENT) {
            return Backend.DESCRIPTOR_REUSED;
        }
        return result == -Errors.EBADF ? Errors.EBADF : Backend.DESCRIPTOR_SAME;
    }

    /** Compares the file behind a record's number with its own: {@link #SAME}, {@link #REUSED} or −errno. */
    int identity(FdInterest rec) {
        int error = scratch.fstat(rec.fd);
        if (error < 0) {
            return error;
        }
        return scratch.statDev() == rec.dev && scratch.statIno() == rec.ino ? SAME : REUSED;
    }

    /** Whether a record's number still names its file, checking at most once per scan. */
    boolean stillSameFile(FdInterest rec) {
        if (rec.verified) {
            return true;
        }
        if (identity(rec) != SAME) {
            return false;
        }
        markVerified(rec);
        return true;
    }

    /**
     * Takes a successful {@code fstat} of a record's number made just now (in {@code scratch}) as
     * this scan's identity check, if it shows the record's file: the scan then needs no second one.
     */
    void statTaken(FdInterest rec) {
        if (scratch.statDev() == rec.dev && scratch.statIno() == rec.ino) {
            markVerified(rec);
        }
    }

    private void markVerified(FdInterest rec) {
        if (rec.verified) {
            return;
        }
        rec.verified = true;
        if (verifiedCount == verified.length) {
            verified = Arrays.copyOf(verified, verifiedCount * 2);
        }
        verified[verifiedCount++] = rec;
    }

    /** The scan is over (the lock is about to be released): what was verified may change now. */
    void endScan() {
        for (int i = 0; i < verifiedCount; i++) {
            verified[i].verified = false;
            verified[i] = null;
        }
        verifiedCount = 0;
    }

    /** Re-reads a pollable descriptor's readiness with poll(2) (at registration and modify). */
    void refresh(FdInterest rec) {
        if (rec.kind.pollable()) {
            int revents = scratch.pollNow(rec.fd, POLLIN | POLLOUT | POLLRDHUP);
            if (revents >= 0) {
                rec.lastEvents = toEpoll(revents);
            }
        }
    }

    private static int toEpoll(int revents) {
        int events = 0;
        events |= (revents & POLLIN) != 0 ? EPOLLIN : 0;
        events |= (revents & POLLOUT) != 0 ? EPOLLOUT : 0;
        events |= (revents & POLLRDHUP) != 0 ? EPOLLRDHUP : 0;
        events |= (revents & POLLHUP) != 0 ? EPOLLHUP : 0;
        events |= (revents & POLLERR) != 0 ? EPOLLERR : 0;
        return events;
    }

    /** The socket error behind EPOLLERR, read once (reading clears it in the kernel). */
    int socketError(FdInterest rec) {
        if (rec.soError == 0 && (rec.lastEvents & EPOLLERR) != 0) {
            int error = scratch.sockoptInt(rec.fd, SOL_SOCKET, SO_ERROR);
            rec.soError = Math.max(0, error);
        }
        return rec.soError;
    }

    /**
     * Activates the knotes of the side(s) whose registration in set {@code set} reported.
     *
     * @param tag the report's epoll_data
     * @return false if no record owns the tag (the descriptor was dropped meanwhile)
     */
    boolean deliver(int set, int events, long tag) {
        assert core.holdsLock();
        int fd = EpollEventArray.fd(tag);
        FdInterest rec = fd >= 0 && fd < records.length ? records[fd] : null;
        if (rec == null || rec.generation != EpollEventArray.generation(tag)) {
            return false;
        }
        rec.reported(set, events);
        markVerified(rec);
        if (rec.registeredIn(FdInterest.READ_SIDE, set)) {
            if (rec.read != null && (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) {
                core.activate(rec.read.knote);
            }
            if (rec.procdesc != null && (events & EPOLLIN) != 0) {
                rec.procdesc.exited(scratch);
                core.activate(rec.procdesc.knote);
            }
        }
        if (rec.write != null && rec.registeredIn(FdInterest.WRITE_SIDE, set)
                && (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0) {
            core.activate(rec.write.knote);
        }
        if (rec.empty != null && rec.registeredIn(FdInterest.EMPTY_SIDE, set)
                && (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0) {
            core.activate(rec.empty.knote);
        }
        return true;
    }

    // ---------------------------------------------------------------- compaction

    /**
     * Registers every pollable record in rebuilt sets, each checked after registering: a number
     * reused in between would show there, and a record whose number names another file must not
     * keep that file registered, so its registrations are withdrawn.
     *
     * @return the numbers that name another file now, for {@link #dropReused}
     */
    int[] registerAll(EpollSets rebuilt) {
        int[] reused = new int[8];
        int count = 0;
        for (FdInterest rec : records) {
            if (rec == null || !rec.kind.pollable()) {
                continue;
            }
            if (rec.isEmpty()) {
                rec.forgetRegistration(); // a parked registration is not carried over
                records[rec.fd] = null;
                continue;
            }
            rec.forgetRegistration();
            rec.update(rebuilt, scratch);
            if (identity(rec) != SAME) {
                rec.withdraw(rebuilt, scratch);
                if (count == reused.length) {
                    reused = Arrays.copyOf(reused, count * 2);
                }
                reused[count++] = rec.fd;
            }
        }
        return Arrays.copyOf(reused, count);
    }

    /** Drops the knotes of numbers {@link #registerAll} found reused, and their records. */
    void dropReused(int[] reused) {
        for (int fd : reused) {
            records[fd].forgetRegistration();
            core.dropDescriptor(fd);
            records[fd] = null;
        }
    }

    /** Registers every record again in this table's own sets (after a failed rebuild). */
    void registerAgain() {
        for (FdInterest rec : records) {
            if (rec != null) {
                rec.forgetRegistration();
                if (rec.isEmpty()) {
                    records[rec.fd] = null; // a parked registration (if it is still there) is forgotten
                } else {
                    rec.update(sets, scratch);
                }
            }
        }
    }
}
