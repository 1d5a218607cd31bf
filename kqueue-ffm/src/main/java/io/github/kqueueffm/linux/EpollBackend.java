package io.github.kqueueffm.linux;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxStructs;
import io.github.kqueueffm.core.Backend;
import io.github.kqueueffm.core.Filter;
import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.Knote;
import io.github.kqueueffm.core.NativeMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static io.github.kqueueffm.bindings.linux.LinuxConstants.CLOCK_MONOTONIC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EFD_CLOEXEC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EFD_NONBLOCK;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLERR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLET;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLHUP;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLIN;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLOUT;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLPRI;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLRDHUP;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CLOEXEC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CTL_ADD;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CTL_DEL;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.F_GETFD;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.O_CLOEXEC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.POLLERR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.POLLHUP;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.POLLIN;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.POLLOUT;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.POLLRDHUP;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.S_IFDIR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.S_IFMT;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.S_IFREG;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.S_IFSOCK;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.TFD_CLOEXEC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.TFD_NONBLOCK;

/**
 * The Linux backend of one kqueue: one epoll set waited once per {@code kevent} call, holding
 * the watched descriptors (one registration per side, see {@link FdInterest}; a descriptor's
 * second and third sides go to nested sets, see {@link EpollSets}), one eventfd to wake waiters,
 * one timerfd armed for the earliest timer, and (once needed) one inotify instance. A bounded
 * number of descriptors of its own, however many knotes; all close-on-exec.
 */
public final class EpollBackend implements Backend {
    /** epoll_data of internal sources: generation 0 (watched descriptors start at 1). */
    private static final int FIFO_TYPE = 0x1000;
    private static final int WAIT_CAPACITY = 64;

    private final KQueueCore core;
    private final NativeMemory memory;
    final Scratch scratch;
    private final MemorySegment wakeValue;
    private final int epfd;
    private final EpollSets sets;
    private final int wakefd;
    final int timerfd;
    private Inotify inotify;
    private FdInterest[] records = new FdInterest[64];
    private int nextGeneration = 1;
    private boolean pwait2Missing;
    private FdInterest[] verified = new FdInterest[64];
    private int verifiedCount;
    private boolean compactionDue;
    private long lastStaleTag;

    /** epoll_data generation of descriptors the kqueue owns for a knote (pidfds). */
    private static final int OWNED = -1;
    private Knote[] owned = new Knote[64];
    private Knote[] reactivate = new Knote[8];
    private int reactivateCount;
    private ProcConnector connector;

    private final Filter[] filters = new Filter[16];
    final ProcFilter procs;
    final VnodeFilter vnodes;
    private int mountsFd = -1;
    private final ProcdescFilter procdescs;
    final TimerFilter timers;
    final EmptyFilter empties;

    /** Per-call wait buffers. */
    private static final class EpollWait implements WaitContext {
        final MemorySegment events;
        /** For harvesting a nested set while {@code events} is being dispatched. */
        final MemorySegment nested;
        final MemorySegment timeout;

        EpollWait(NativeMemory memory) {
            events = memory.allocate(LinuxStructs.EPOLL_EVENT_SIZE * WAIT_CAPACITY, 8);
            nested = memory.allocate(LinuxStructs.EPOLL_EVENT_SIZE * WAIT_CAPACITY, 8);
            timeout = memory.allocate(LinuxStructs.TIMESPEC_SIZE, 8);
        }
    }

    static {
        // Classes first needed on failure paths are loaded now: loading one later needs a free
        // descriptor, and a registration that fails with EMFILE must not then fail to load them.
        for (Class<?> c : new Class<?>[] {ProcConnector.class, Inotify.class, InotifyUnavailable.class,
            ExitStatus.class, LinuxProcesses.class, Mounts.class, FdInfo.class, TimerHeap.class}) {
            try {
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    private EpollBackend(KQueueCore core, NativeMemory memory, Scratch scratch, EpollSets sets, int wakefd,
            int timerfd) {
        this.core = core;
        this.memory = memory;
        this.scratch = scratch;
        this.wakeValue = memory.allocate(8, 8);
        this.wakeValue.set(ValueLayout.JAVA_LONG, 0, 1L);
        this.epfd = sets.fd(0);
        this.sets = sets;
        this.wakefd = wakefd;
        this.timerfd = timerfd;
        this.timers = new TimerFilter(core, this);
        this.empties = new EmptyFilter(core, this);
        this.procs = new ProcFilter(core, this);
        this.vnodes = new VnodeFilter(core, this);
        this.procdescs = new ProcdescFilter(this);
        register(KEvent.EVFILT_READ, new ReadFilter(core, this));
        register(KEvent.EVFILT_WRITE, new WriteFilter(this));
        register(KEvent.EVFILT_EMPTY, empties);
        register(KEvent.EVFILT_USER, new UserFilter());
        register(KEvent.EVFILT_TIMER, timers);
        register(KEvent.EVFILT_AIO, new RefusedFilter(Errors.EPERM, false));
        register(KEvent.EVFILT_LIO, new RefusedFilter(Errors.EPERM, false));
        register(KEvent.EVFILT_SENDFILE, new RefusedFilter(Errors.EPERM, false));
        register(KEvent.EVFILT_FS, new RefusedFilter(Errors.ENXIO, false));
        register(KEvent.EVFILT_VNODE, vnodes);
        register(KEvent.EVFILT_PROC, procs);
        register(KEvent.EVFILT_PROCDESC, procdescs);
        register(KEvent.EVFILT_SIGNAL, new SignalFilter(core));
    }

    private void register(short id, Filter filter) {
        filters[-id - 1] = filter;
    }

    /**
     * Opens the descriptors of a new kqueue; on failure closes those already opened.
     *
     * @param core the kqueue's core
     * @return the backend
     * @throws KQueueException with the errno of the first failing call (EMFILE, ENFILE, ENOMEM)
     */
    public static EpollBackend open(KQueueCore core) throws KQueueException {
        int epfd = LinuxCalls.epollCreate1(EPOLL_CLOEXEC);
        if (epfd < 0) {
            throw new KQueueException(LinuxCalls.errno(), "kqueue: epoll_create1");
        }
        NativeMemory memory = new NativeMemory();
        int[] error = new int[1];
        Scratch scratch = new Scratch(memory);
        EpollSets sets = EpollSets.open(epfd, scratch, error);
        if (sets == null) {
            memory.close();
            LinuxCalls.close(epfd);
            throw new KQueueException(error[0], "kqueue: epoll_create1 (nested set)");
        }
        int wakefd = LinuxCalls.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (wakefd < 0) {
            int errno = LinuxCalls.errno();
            memory.close();
            sets.closeNested();
            LinuxCalls.close(epfd);
            throw new KQueueException(errno, "kqueue: eventfd");
        }
        int timerfd = LinuxCalls.timerfdCreate(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
        if (timerfd < 0) {
            int errno = LinuxCalls.errno();
            memory.close();
            LinuxCalls.close(wakefd);
            sets.closeNested();
            LinuxCalls.close(epfd);
            throw new KQueueException(errno, "kqueue: timerfd_create");
        }
        EpollBackend backend = new EpollBackend(core, memory, scratch, sets, wakefd, timerfd);
        // WAKE is level-triggered: an undrained write wakes every waiter (close relies on it).
        int failed = backend.scratch.epollCtl(epfd, EPOLL_CTL_ADD, wakefd, EPOLLIN, wakefd);
        if (failed == 0) {
            failed = backend.scratch.epollCtl(epfd, EPOLL_CTL_ADD, timerfd, EPOLLIN | EPOLLET, timerfd);
        }
        if (failed != 0) {
            backend.close();
            throw new KQueueException(failed, "kqueue: epoll_ctl");
        }
        KQueueRegistry.add(epfd, core);
        VirtualThreadRelay.kqueueOpened();
        return backend;
    }

    @Override
    public Filter filter(short id) {
        int slot = -id - 1;
        return slot >= 0 && slot < filters.length ? filters[slot] : null;
    }

    // ---------------------------------------------------------------- descriptors

    @Override
    public int checkDescriptor(int fd, boolean hasKnotes) {
        FdInterest rec = fd < records.length ? records[fd] : null;
        if (!hasKnotes || rec == null) {
            // EBADF for a number that is not open, whatever the change (KQ-32)
            return LinuxCalls.fcntl(fd, F_GETFD, 0) < 0 ? LinuxCalls.errno() : DESCRIPTOR_SAME;
        }
        int identity = identity(rec);
        if (identity == 0) {
            markVerified(rec);
            return DESCRIPTOR_SAME;
        }
        return identity > 0 ? identity : DESCRIPTOR_REUSED;
    }

    /** Compares the file behind a record's number with its own: 0 same, −1 reused, else errno. */
    int identity(FdInterest rec) {
        int error = scratch.fstat(rec.fd);
        if (error < 0) {
            return -error;
        }
        return scratch.statDev() == rec.dev && scratch.statIno() == rec.ino ? 0 : -1;
    }

    /** Whether a record's number still names its file, checking once per scan (see FdInterest). */
    boolean stillSameFile(FdInterest rec) {
        if (rec.verified) {
            return true;
        }
        if (identity(rec) != 0) {
            return false;
        }
        markVerified(rec);
        return true;
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

    @Override
    public void afterScan() {
        for (int i = 0; i < reactivateCount; i++) {
            core.activate(reactivate[i]);
            reactivate[i] = null;
        }
        reactivateCount = 0;
        for (int i = 0; i < verifiedCount; i++) {
            verified[i].verified = false;
            verified[i] = null;
        }
        verifiedCount = 0;
    }

    /** The record of a descriptor, made on its first knote; returns null and sets {@code error[0]}. */
    FdInterest interest(int fd, int[] error) {
        FdInterest rec = fd < records.length ? records[fd] : null;
        if (rec != null) {
            return rec;
        }
        int result = scratch.fstat(fd);
        if (result < 0) {
            error[0] = -result;
            return null;
        }
        int type = scratch.statMode() & S_IFMT;
        DescriptorKind kind = kindOf(fd, type);
        rec = new FdInterest(fd, nextGeneration++, kind, scratch.statDev(), scratch.statIno());
        if (fd >= records.length) {
            records = Arrays.copyOf(records, Math.max(fd + 1, records.length * 2));
        }
        records[fd] = rec;
        refresh(rec);
        return rec;
    }

    private DescriptorKind kindOf(int fd, int type) {
        if (type == S_IFSOCK) {
            return DescriptorKind.SOCKET;
        }
        if (type == FIFO_TYPE) {
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

    /** Applies a record's knotes to epoll; returns 0 or errno. */
    int update(FdInterest rec) {
        int error = rec.update(sets, scratch);
        if (rec.isEmpty() && records[rec.fd] == rec) {
            records[rec.fd] = null;
        }
        return error;
    }

    /**
     * Notes an epoll report whose tag no record owns. Usually the record was just dropped while
     * the report was on its way (harmless); the same tag reported twice means the registration
     * outlived its descriptor (a dup keeps the file open), and the epoll set is rebuilt.
     */
    private void staleReport(long tag) {
        if (tag == lastStaleTag) {
            compactionDue = true;
        }
        lastStaleTag = tag;
    }

    Inotify inotify() throws InotifyUnavailable {
        if (inotify == null) {
            inotify = Inotify.open(this, core);
            int error = scratch.epollCtl(epfd, EPOLL_CTL_ADD, inotify.fd, EPOLLIN | EPOLLET, inotify.fd);
            if (error != 0) {
                inotify.close();
                inotify = null;
                throw new InotifyUnavailable(error);
            }
        }
        return inotify;
    }

    // ---------------------------------------------------------------- waiting

    @Override
    public WaitContext newWaitContext() {
        return new EpollWait(memory);
    }

    @Override
    public int poll(WaitContext context, long timeoutNanos) {
        EpollWait wait = (EpollWait) context;
        int n;
        if (timeoutNanos <= 0 || pwait2Missing) {
            int millis = timeoutNanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
            n = LinuxCalls.epollWait(epfd, wait.events, WAIT_CAPACITY, millis);
        } else {
            wait.timeout.set(ValueLayout.JAVA_LONG, LinuxStructs.TIMESPEC_SEC, timeoutNanos / 1_000_000_000L);
            wait.timeout.set(ValueLayout.JAVA_LONG, LinuxStructs.TIMESPEC_NSEC, timeoutNanos % 1_000_000_000L);
            n = LinuxCalls.epollPwait2(epfd, wait.events, WAIT_CAPACITY, wait.timeout);
            if (n < 0 && LinuxCalls.errno() == Errors.ENOSYS) {
                pwait2Missing = true;
                return poll(context, timeoutNanos);
            }
        }
        return n;
    }

    @Override
    public boolean dispatch(WaitContext context, int count) {
        EpollWait wait = (EpollWait) context;
        boolean wakeSeen = false;
        for (int i = 0; i < count; i++) {
            long base = i * LinuxStructs.EPOLL_EVENT_SIZE;
            int events = wait.events.get(ValueLayout.JAVA_INT_UNALIGNED, base + LinuxStructs.EPOLL_EVENT_EVENTS);
            long tag = wait.events.get(ValueLayout.JAVA_LONG_UNALIGNED, base + LinuxStructs.EPOLL_EVENT_DATA);
            int fd = (int) tag;
            int generation = (int) (tag >>> 32);
            if (generation == OWNED) {
                Knote kn = fd < owned.length ? owned[fd] : null;
                if (kn != null) {
                    procs.exited(kn); // a watched process's pidfd: it has exited
                    core.activate(kn);
                }
                continue;
            }
            if (generation == 0) {
                if (fd < 0) {
                    harvestNested(wait, EpollSets.nestedIndex(fd)); // nested sets are tagged −1, −2
                } else if (fd == wakefd) {
                    wakeSeen = true;
                } else if (inotify != null && fd == inotify.fd) {
                    inotify.drain();
                } else if (connector != null && fd == connector.fd()) {
                    connector.drain();
                } else if (fd == mountsFd) {
                    vnodes.mountsChanged(Mounts.ids(mountsFd));
                }
                continue; // the timerfd: expired timers are handled in beforeScan
            }
            deliver(events, tag, 0);
        }
        if (compactionDue) {
            compact();
        }
        return wakeSeen;
    }

    /** Collects what a nested set holds (its descriptors' other sides); no wait. */
    private void harvestNested(EpollWait wait, int set) {
        int count = LinuxCalls.epollWait(sets.fd(set), wait.nested, WAIT_CAPACITY, 0);
        for (int i = 0; i < count; i++) {
            long base = i * LinuxStructs.EPOLL_EVENT_SIZE;
            deliver(wait.nested.get(ValueLayout.JAVA_INT_UNALIGNED, base + LinuxStructs.EPOLL_EVENT_EVENTS),
                    wait.nested.get(ValueLayout.JAVA_LONG_UNALIGNED, base + LinuxStructs.EPOLL_EVENT_DATA), set);
        }
    }

    /** Activates the knotes of the side(s) whose registration in set {@code set} reported. */
    private void deliver(int events, long tag, int set) {
        int fd = (int) tag;
        int generation = (int) (tag >>> 32);
        FdInterest rec = fd >= 0 && fd < records.length ? records[fd] : null;
        if (rec == null || rec.generation != generation) {
            staleReport(tag);
            return;
        }
        rec.reported(set, events);
        markVerified(rec);
        if (rec.registeredIn(FdInterest.READ_SIDE, set)) {
            if (rec.read != null && (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) {
                core.activate(rec.read);
            }
            if (rec.procdesc != null && (events & EPOLLIN) != 0) {
                procdescs.exited(rec.procdesc, rec);
                core.activate(rec.procdesc);
            }
        }
        if (rec.write != null && rec.registeredIn(FdInterest.WRITE_SIDE, set)
                && (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0) {
            core.activate(rec.write);
        }
        if (rec.empty != null && rec.registeredIn(FdInterest.EMPTY_SIDE, set)
                && (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0) {
            core.activate(rec.empty);
        }
    }

    /**
     * Rebuilds the epoll sets from the live records and puts the main one in place of the old one
     * under the same number (dup3), dropping registrations that outlived their descriptor (a closed number
     * whose file a dup keeps open). Threads waiting on the old set are still woken through WAKE.
     */
    private void compact() {
        compactionDue = false;
        lastStaleTag = 0;
        int fresh = LinuxCalls.epollCreate1(EPOLL_CLOEXEC);
        if (fresh < 0) {
            return;
        }
        boolean ok = scratch.epollCtl(fresh, EPOLL_CTL_ADD, wakefd, EPOLLIN, wakefd) == 0
                && scratch.epollCtl(fresh, EPOLL_CTL_ADD, timerfd, EPOLLIN | EPOLLET, timerfd) == 0
                && (inotify == null || scratch.epollCtl(fresh, EPOLL_CTL_ADD, inotify.fd, EPOLLIN | EPOLLET,
                        inotify.fd) == 0)
                && (connector == null || connector.fd() < 0 || scratch.epollCtl(fresh, EPOLL_CTL_ADD, connector.fd(),
                        EPOLLIN | EPOLLET, connector.fd()) == 0)
                && (mountsFd < 0 || scratch.epollCtl(fresh, EPOLL_CTL_ADD, mountsFd, EPOLLPRI | EPOLLERR | EPOLLET,
                        mountsFd) == 0);
        for (int fd = 0; ok && fd < owned.length; fd++) {
            if (owned[fd] != null) {
                ok = scratch.epollCtl(fresh, EPOLL_CTL_ADD, fd, EPOLLIN | EPOLLET, ((long) OWNED << 32) | fd) == 0;
            }
        }
        int[] error = new int[1];
        EpollSets freshSets = ok ? EpollSets.open(fresh, scratch, error) : null;
        ok &= freshSets != null;
        int[] gone = new int[8];
        int goneCount = 0;
        for (int fd = 0; ok && fd < records.length; fd++) {
            FdInterest rec = records[fd];
            if (rec == null || !rec.kind.pollable()) {
                continue;
            }
            rec.forgetRegistration();
            rec.update(freshSets, scratch);
            // Checked after registering: a number reused in between would show here, and a
            // record whose number names another file must not keep that file registered.
            if (identity(rec) != 0) {
                rec.withdraw(freshSets, scratch);
                if (goneCount == gone.length) {
                    gone = Arrays.copyOf(gone, goneCount * 2);
                }
                gone[goneCount++] = fd;
            }
        }
        if (ok) {
            ok = sets.takeOver(freshSets); // closes the fresh numbers
        } else {
            if (freshSets != null) {
                freshSets.closeNested();
            }
            LinuxCalls.close(fresh);
        }
        for (int i = 0; i < goneCount; i++) {
            FdInterest rec = records[gone[i]];
            rec.forgetRegistration();
            core.dropDescriptor(gone[i]);
            records[gone[i]] = null;
        }
        if (!ok) {
            for (FdInterest rec : records) {
                if (rec != null) {
                    rec.forgetRegistration();
                    rec.update(sets, scratch);
                }
            }
        }
    }

    @Override
    public void beforeScan() {
        timers.expire();
        empties.recheckDue();
    }

    @Override
    public long recheckNanos() {
        return empties.nanosToNextRecheck();
    }

    @Override
    public void wakeup() {
        try {
            LinuxCalls.writeNonBlocking(wakefd, wakeValue, 8);
        } catch (IllegalStateException closed) {
            // the kqueue closed between deciding to wake it and the write: nobody is left to wake
        }
    }

    @Override
    public void drainWakeup() {
        LinuxCalls.readNonBlocking(wakefd, scratch.counter, 8);
    }

    @Override
    public int descriptor() {
        return epfd;
    }

    /** Registers a descriptor the kqueue owns for one knote (a pidfd); returns 0 or errno. */
    int watchOwned(int fd, Knote kn) {
        if (fd >= owned.length) {
            owned = Arrays.copyOf(owned, Math.max(fd + 1, owned.length * 2));
        }
        int error = scratch.epollCtl(epfd, EPOLL_CTL_ADD, fd, EPOLLIN | EPOLLET, ((long) OWNED << 32) | fd);
        if (error == 0) {
            owned[fd] = kn;
        }
        return error;
    }

    /**
     * Opens /proc/self/mountinfo once vnode knotes exist: it polls POLLPRI when the mount table
     * changes, which is how a revoked (unmounted) file system shows while its files are open.
     */
    void watchMounts() {
        if (mountsFd >= 0) {
            return;
        }
        try {
            int fd = LinuxFiles.openReadOnly("/proc/self/mountinfo");
            Mounts.ids(fd); // read once: the next change is what polls
            if (scratch.epollCtl(epfd, EPOLL_CTL_ADD, fd, EPOLLPRI | EPOLLERR | EPOLLET, fd) == 0) {
                mountsFd = fd;
            } else {
                LinuxCalls.close(fd);
            }
        } catch (KQueueException e) {
            // without it, NOTE_REVOKE comes only with IN_UNMOUNT
        }
    }

    /** Registers an internal source (the connector socket); returns 0 or errno. */
    int watchInternal(int fd) {
        return scratch.epollCtl(epfd, EPOLL_CTL_ADD, fd, EPOLLIN | EPOLLET, fd);
    }

    /** Queues a knote again once the current scan is over (a second event waiting behind the first). */
    void activateAfterScan(Knote kn) {
        if (reactivateCount == reactivate.length) {
            reactivate = Arrays.copyOf(reactivate, reactivateCount * 2);
        }
        reactivate[reactivateCount++] = kn;
    }

    /** Forgets an owned descriptor before it is closed (closing removes it from epoll). */
    void unwatchOwned(int fd) {
        if (fd < owned.length) {
            owned[fd] = null;
        }
    }

    /** The kqueue's process-events connector, opened on first use. */
    ProcConnector connector() {
        if (connector == null) {
            connector = new ProcConnector(core, this);
        }
        return connector;
    }

    /** The connector if it was opened, else one that holds nothing. */
    ProcConnector connectorIfOpen() {
        return connector != null ? connector : ProcConnector.NONE;
    }

    /** @return native memory owned by this kqueue, freed at close */
    MemorySegment scratchMemory(long size) {
        return memory.allocate(size, 8);
    }

    /** @return the kqueue core watching a descriptor, if it is another kqueue */
    KQueueCore kqueueAt(int fd) {
        return KQueueRegistry.find(fd);
    }

    /** @return whether a descriptor number is this kqueue's own */
    boolean isOwnDescriptor(int fd) {
        return fd == epfd || sets.isNested(fd);
    }

    @Override
    public void close() {
        // Memory first: a wakeup racing close() (written after its caller unlocked) then fails on
        // the freed segment instead of writing into a descriptor number already closed and reused.
        memory.close();
        KQueueRegistry.remove(epfd, core);
        VirtualThreadRelay.kqueueClosed();
        if (inotify != null) {
            inotify.close();
        }
        if (connector != null) {
            connector.close();
        }
        if (mountsFd >= 0) {
            LinuxCalls.close(mountsFd);
        }
        LinuxCalls.close(timerfd);
        LinuxCalls.close(wakefd);
        sets.closeNested();
        LinuxCalls.close(epfd);
    }
}
