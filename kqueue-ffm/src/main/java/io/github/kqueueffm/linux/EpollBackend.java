package io.github.kqueueffm.linux;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxStructs;
import io.github.kqueueffm.core.Backend;
import io.github.kqueueffm.core.Filter;
import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.NativeMemory;
import io.github.kqueueffm.emul.DeferredActivations;
import io.github.kqueueffm.emul.Errors;
import io.github.kqueueffm.emul.KQueueRegistry;
import io.github.kqueueffm.emul.RefusedFilter;
import io.github.kqueueffm.emul.RememberedChildren;
import io.github.kqueueffm.emul.SignalFilter;
import io.github.kqueueffm.emul.TimerFilter;
import io.github.kqueueffm.emul.UserFilter;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.github.kqueueffm.bindings.linux.LinuxConstants.CLOCK_MONOTONIC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EFD_CLOEXEC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EFD_NONBLOCK;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLET;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLIN;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CLOEXEC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.TFD_CLOEXEC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.TFD_NONBLOCK;

/**
 * The Linux backend of one kqueue: one epoll set waited once per {@code kevent} call, holding the
 * watched descriptors ({@link FdTable}; a descriptor's second and third sides go to nested sets,
 * see {@link EpollSets}) and the kqueue's own {@link InternalSources}: one eventfd to wake waiters,
 * one timerfd armed for the earliest timer, and, once needed, one inotify instance, the
 * process-events connector, /proc/self/mountinfo and a pidfd per EVFILT_PROC knote. Reports are
 * decoded by {@link EpollEventArray}. A bounded number of descriptors of its own, however many
 * knotes; all close-on-exec.
 *
 * <p>Threading: {@link #poll} with a timeout and {@link #wakeup} run without the kqueue's lock,
 * everything else under it; the methods assert it.
 */
public final class EpollBackend implements Backend {
    private static final int WAIT_CAPACITY = 64;

    private final KQueueCore core;
    private final NativeMemory memory;
    private final Scratch scratch;
    private final MemorySegment wakeValue;
    private final int epfd;
    private final int wakefd;
    private final EpollSets sets;
    private final FdTable fds;
    private final InternalSources sources;
    private final DeferredActivations later;
    private final Compaction compaction;
    private final Filter[] filters = new Filter[16];
    private final TimerFilter timers;
    private final EmptyFilter empties;
    /**
     * epoll_pwait2 answered ENOSYS once: waits use epoll_pwait's milliseconds from then on.
     * Written by waiting threads without the lock: a benign race, every writer writes true.
     */
    private boolean pwait2Missing;
    // guarded by the kqueue's lock
    /** The wakeup eventfd was among the sources of the current dispatch. */
    private boolean wakeSeen;
    /** WAKE is registered level-triggered and drained (see {@link #levelWakeups}); never reset. */
    private boolean levelWakeups;

    /** Per-call wait buffers. */
    private static final class EpollWait implements WaitContext {
        final EpollEventArray events;
        /** For harvesting a nested set while {@code events} is being dispatched. */
        final EpollEventArray nested;
        final MemorySegment timeout;

        EpollWait(NativeMemory memory) {
            events = new EpollEventArray(memory.allocate(EpollEventArray.bytes(WAIT_CAPACITY), 8), WAIT_CAPACITY);
            nested = new EpollEventArray(memory.allocate(EpollEventArray.bytes(WAIT_CAPACITY), 8), WAIT_CAPACITY);
            timeout = memory.allocate(LinuxStructs.TIMESPEC_SIZE, 8);
        }
    }

    static {
        // Classes first needed on failure paths are loaded now: loading one later needs a free
        // descriptor, and a registration that fails with EMFILE must not then fail to load them.
        for (Class<?> c : new Class<?>[] {ProcConnector.class, Inotify.class, ExitStatus.class,
            RememberedChildren.class, Mounts.class, FdInfo.class}) {
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
        this.wakefd = wakefd;
        this.sets = sets;
        this.fds = new FdTable(core, scratch, sets);
        this.sources = new InternalSources(scratch, epfd);
        this.later = new DeferredActivations(core);
        this.compaction = new Compaction(sets, sources, fds, scratch);
        Inotify inotify = new Inotify(memory, sources, scratch);
        this.timers = new TimerFilter(core, new LinuxTimerClock(timerfd, scratch), memory);
        this.empties = new EmptyFilter(core, fds, scratch);
        VnodeFilter vnodes = new VnodeFilter(core, fds, scratch, inotify, sources);
        inotify.afterDirectoryRemoved(vnodes::recheckDirectories);
        register(KEvent.EVFILT_READ, new ReadFilter(core, fds, scratch, inotify, sets));
        register(KEvent.EVFILT_WRITE, new WriteFilter(core, fds, scratch));
        register(KEvent.EVFILT_EMPTY, empties);
        register(KEvent.EVFILT_USER, new UserFilter(core));
        register(KEvent.EVFILT_TIMER, timers);
        register(KEvent.EVFILT_AIO, new RefusedFilter(Errors.EPERM, false));
        register(KEvent.EVFILT_LIO, new RefusedFilter(Errors.EPERM, false));
        register(KEvent.EVFILT_SENDFILE, new RefusedFilter(Errors.EPERM, false));
        register(KEvent.EVFILT_FS, new RefusedFilter(Errors.ENXIO, false));
        register(KEvent.EVFILT_VNODE, vnodes);
        register(KEvent.EVFILT_PROC, new ProcFilter(core, sources, scratch, memory, later));
        register(KEvent.EVFILT_PROCDESC, new ProcdescFilter(core, fds, scratch));
        register(KEvent.EVFILT_SIGNAL, new SignalFilter(core, LinuxSignalTable.INSTANCE));
    }

    private void register(short id, Filter filter) {
        filters[-id - 1] = filter;
    }

    /**
     * Opens the descriptors of a new kqueue; on failure closes those already opened, in one place.
     * The kqueue is counted open (registry, virtual-thread relay) only once nothing can fail.
     *
     * @param core the kqueue's core
     * @return the backend
     * @throws KQueueException with the errno of the first failing call (EMFILE, ENFILE, ENOMEM, ENOSPC)
     */
    public static EpollBackend open(KQueueCore core) throws KQueueException {
        NativeMemory memory = null;
        EpollSets sets = null;
        int epfd = -1;
        int wakefd = -1;
        int timerfd = -1;
        boolean success = false;
        try {
            epfd = check(LinuxCalls.epollCreate1(EPOLL_CLOEXEC), "epoll_create1");
            memory = new NativeMemory(TransparentHugePages.host());
            Scratch scratch = new Scratch(memory);
            sets = new EpollSets(epfd);
            check(sets.ensure(1, scratch), "epoll_create1 (nested set)");
            wakefd = check(LinuxCalls.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd");
            timerfd = check(LinuxCalls.timerfdCreate(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK), "timerfd_create");
            EpollBackend backend = new EpollBackend(core, memory, scratch, sets, wakefd, timerfd);
            // WAKE starts edge-triggered: each write wakes one waiter and is never read back, so a
            // cross-thread wakeup costs the waker's write and the waiter's epoll_pwait alone.
            // levelWakeups() makes it level-triggered where every waiter must wake (close) or the
            // descriptor must mirror the queue.
            check(backend.sources.add(wakefd, EPOLLIN | EPOLLET, backend::wakeReported), "epoll_ctl (eventfd)");
            // the timerfd only wakes the wait: expired timers are counted in beforeScan
            check(backend.sources.add(timerfd, EPOLLIN | EPOLLET, () -> { }), "epoll_ctl (timerfd)");
            KQueueRegistry.add(epfd, core);
            VirtualThreadRelay.kqueueOpened();
            success = true;
            return backend;
        } finally {
            if (!success) {
                if (memory != null) {
                    memory.close();
                }
                closeIfOpen(timerfd);
                closeIfOpen(wakefd);
                if (sets != null) {
                    sets.closeNested();
                }
                closeIfOpen(epfd);
            }
        }
    }

    /** @return a result ≥ 0 of {@code call}; throws its −errno as the kqueue's open failure */
    private static int check(int result, String call) throws KQueueException {
        if (result < 0) {
            throw new KQueueException(-result, "kqueue: " + call);
        }
        return result;
    }

    private static void closeIfOpen(int fd) {
        if (fd >= 0) {
            LinuxCalls.close(fd);
        }
    }

    @Override
    public Filter filter(short id) {
        int slot = -id - 1;
        return slot >= 0 && slot < filters.length ? filters[slot] : null;
    }

    @Override
    public int checkDescriptor(int fd, boolean hasKnotes, int change) {
        assert core.holdsLock();
        return fds.checkDescriptor(fd, hasKnotes, change);
    }

    @Override
    public int checkDeleted(int fd) {
        assert core.holdsLock();
        return fds.checkDeleted(fd);
    }

    // ---------------------------------------------------------------- waiting

    @Override
    public WaitContext newWaitContext() {
        return new EpollWait(memory);
    }

    @Override
    public int poll(WaitContext context, long timeoutNanos) {
        return await(context, timeoutNanos);
    }

    /**
     * The wait itself, as the gate's {@code Wait} (one call level less between the gate and the
     * downcall: the JIT then inlines the whole downcall, whose errno segment it can only keep off
     * the heap when it does).
     */
    @Override
    public int await(WaitContext context, long timeoutNanos) {
        assert timeoutNanos == 0 || !core.holdsLock() : "a blocking wait under the kqueue's lock";
        EpollWait wait = (EpollWait) context;
        int n;
        if (timeoutNanos <= 0 || pwait2Missing) {
            int millis = timeoutNanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
            n = LinuxCalls.epollWait(epfd, wait.events.memory(), WAIT_CAPACITY, millis);
        } else {
            wait.timeout.set(ValueLayout.JAVA_LONG, LinuxStructs.TIMESPEC_SEC, timeoutNanos / 1_000_000_000L);
            wait.timeout.set(ValueLayout.JAVA_LONG, LinuxStructs.TIMESPEC_NSEC, timeoutNanos % 1_000_000_000L);
            n = LinuxCalls.epollPwait2(epfd, wait.events.memory(), WAIT_CAPACITY, wait.timeout);
            if (n == -Errors.ENOSYS) {
                pwait2Missing = true;
                return await(context, timeoutNanos);
            }
        }
        return n;
    }

    @Override
    public boolean dispatch(WaitContext context, int count) {
        assert core.holdsLock();
        EpollWait wait = (EpollWait) context;
        wakeSeen = false;
        for (int i = 0; i < count; i++) {
            long tag = wait.events.data(i);
            int fd = EpollEventArray.fd(tag);
            if (EpollEventArray.generation(tag) != 0) {
                deliver(0, wait.events.events(i), tag);
            } else if (fd < 0) {
                harvestNested(wait, EpollSets.nestedIndex(fd)); // nested sets are tagged −1, −2
            } else {
                sources.dispatch(fd);
            }
        }
        compaction.runIfDue();
        return wakeSeen;
    }

    private void wakeReported() {
        wakeSeen = true;
    }

    /** Collects what a nested set holds (its descriptors' other sides); no wait. */
    private void harvestNested(EpollWait wait, int set) {
        int count = LinuxCalls.epollWait(sets.fd(set), wait.nested.memory(), WAIT_CAPACITY, 0);
        for (int i = 0; i < count; i++) {
            deliver(set, wait.nested.events(i), wait.nested.data(i));
        }
    }

    /** Hands a descriptor's report to the table; a tag it does not own is noted as stale. */
    private void deliver(int set, int events, long tag) {
        if (!fds.deliver(set, events, tag)) {
            compaction.staleReport(tag);
        }
    }

    @Override
    public void beforeScan() {
        assert core.holdsLock();
        timers.expire();
        empties.recheckDue();
    }

    @Override
    public void afterScan() {
        assert core.holdsLock();
        timers.settle(); // the alarm is right again before the lock is released
        later.activateAll();
        fds.endScan();
    }

    @Override
    public long recheckNanos() {
        assert core.holdsLock();
        return empties.nanosToNextRecheck();
    }

    @Override
    public void wakeup() {
        assert !core.holdsLock() : "wakeup under the kqueue's lock";
        try {
            LinuxCalls.writeNonBlocking(wakefd, wakeValue, 8);
        } catch (IllegalStateException closed) {
            // the kqueue closed between deciding to wake it and the write: nobody is left to wake
        }
    }

    @Override
    public boolean levelWakeups() {
        assert core.holdsLock();
        if (levelWakeups) {
            return false;
        }
        levelWakeups = true;
        // Readable at once if any write was never read: every waiter then wakes, and the first
        // to take the lock drains it.
        sources.modify(wakefd, EPOLLIN);
        return true;
    }

    @Override
    public void drainWakeup() {
        assert core.holdsLock();
        if (levelWakeups) {
            LinuxCalls.readNonBlocking(wakefd, scratch.counter, 8);
        }
    }

    @Override
    public int descriptor() {
        return epfd;
    }

    @Override
    public void close() {
        assert core.holdsLock();
        // Memory first: a wakeup racing close() (written after its caller unlocked) then fails on
        // the freed segment instead of writing into a descriptor number already closed and reused.
        memory.close();
        KQueueRegistry.remove(epfd, core);
        VirtualThreadRelay.kqueueClosed();
        sources.closeAll();
        sets.closeNested();
        LinuxCalls.close(epfd);
    }
}
