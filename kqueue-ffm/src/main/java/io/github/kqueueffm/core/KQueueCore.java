package io.github.kqueueffm.core;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueueException;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_DISABLE;
import static io.github.kqueueffm.KEvent.EV_DISPATCH;
import static io.github.kqueueffm.KEvent.EV_DROP;
import static io.github.kqueueffm.KEvent.EV_ENABLE;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_FORCEONESHOT;
import static io.github.kqueueffm.KEvent.EV_KEEPUDATA;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.EV_RECEIPT;
import static io.github.kqueueffm.KEvent.EV_SYSFLAGS;

/**
 * FreeBSD's kern_event in Java, for any backend: the changelist loop with its EV_ERROR and
 * EV_RECEIPT rules ({@code kqueue_kevent}), registration ({@code kqueue_register}: find, attach or
 * touch, evaluate, enqueue), the scan that re-checks each queued knote before copy-out and applies
 * EV_ONESHOT, EV_CLEAR and EV_DISPATCH ({@code kqueue_scan}). Its life cycle with several threads
 * (no lock held across the backend's wait, close wakes every waiter, memory released after the
 * last one left) is the {@link CallGate}'s.
 *
 * <p><b>Locking.</b> One lock per kqueue guards the knotes, the queue, the table and the backend's
 * state; every filter operation and every backend method but {@link Backend#poll} and
 * {@link Backend#wakeup} runs under it, and says so with an assertion. <b>Lock order between
 * kqueues:</b> a kqueue watching another (EVFILT_READ on a kqueue descriptor) takes the watched
 * kqueue's lock while holding its own ({@link #pendingCount}), so the order is watcher before
 * watched, and it is acyclic only because no kqueue may watch itself, directly or through others.
 * A backend must refuse such a cycle when the knote is added (epoll does, with ELOOP, when the
 * watched kqueue's epoll descriptor would close a loop); {@link #pendingCount} asserts the
 * shortest cycle, a kqueue asked for its own count.
 *
 * <p><b>Wakeups.</b> {@code wakeSignalled} is:
 * <pre>
 *   false   the wakeup descriptor is drained (or a write is about to make it readable again)
 *   true    a wakeup was written and not yet drained: further wakers need not write
 * </pre>
 * A wakeup is written only when a knote is queued and someone needs to hear it: a parked caller,
 * or a watcher of the descriptor ({@code pollable}). The owner of a harvest that saw the wakeup
 * drains it under the lock, then clears the flag (see {@link #drainWake}). A kqueue starts with
 * edge-triggered wakeups (one write wakes one waiter, nothing to read back): enough for a parked
 * caller, as each caller that leaves with knotes still queued wakes the next. It switches to
 * level-triggered ones ({@link Backend#levelWakeups}) when its descriptor is watched, when it
 * closes, and once an interrupt was posted.
 */
public final class KQueueCore implements EventQueue {
    private static final int EINVAL = Errno.EINVAL.value();
    private static final int EBADF = Errno.EBADF.value();
    private static final int ENOENT = Errno.ENOENT.value();
    private static final int ENOMEM = Errno.ENOMEM.value();
    private static final int EFAULT = Errno.EFAULT.value();
    private static final int EINTR = Errno.EINTR.value();
    /** Action bits, never stored in a knote nor returned. */
    private static final int ACTIONS = EV_ADD | EV_DELETE | EV_ENABLE | EV_DISABLE | EV_FORCEONESHOT | EV_KEEPUDATA;

    private final ReentrantLock lock = new ReentrantLock();
    private final CallGate gate;
    private final KnoteTable table = new KnoteTable();            // guarded by lock
    private final KnoteQueue queue = new KnoteQueue();            // guarded by lock
    private final KEventRecord change = new KEventRecord();       // guarded by lock
    private final KEventRecord out = new KEventRecord();          // guarded by lock
    private final KEventRecord internal = new KEventRecord();     // guarded by lock
    /** Marks where a scan started at the tail of the queue (FreeBSD's marker knote). */
    private final Knote marker = new Knote(0, (short) 0, null);   // guarded by lock
    /** The wait buffers of a single caller, kept apart from the deque of the others'. */
    private Backend.WaitContext spareContext;                      // guarded by lock
    private final ArrayDeque<Backend.WaitContext> waitContexts = new ArrayDeque<>(); // guarded by lock
    /**
     * The last descriptor knote dropped, taken up again by an EV_ADD of the same ident and filter:
     * registration churn allocates no knote. Nothing keeps a dropped descriptor knote (its filter
     * let go of it in detach). Guarded by lock.
     */
    private Knote spare;
    /** See "Wakeups" in the class comment. */
    private final AtomicBoolean wakeSignalled = new AtomicBoolean();
    private final int maxKnotes;
    /** Set once by {@link #start}, before the core is shared. */
    private Backend backend;
    /** The descriptor is watched by someone: it must mirror the queue. Written under the lock. */
    private volatile boolean pollable;
    /** {@link #release} is detaching every knote. Guarded by the lock. */
    private boolean releasing;
    /** Knotes their filters hold in compact form ({@link CompactKnotes}). Guarded by the lock. */
    private int compactCount;

    /**
     * A kqueue core; call {@link #start(Backend)} before use.
     *
     * @param maxKnotes the most knotes this kqueue holds (ENOMEM past it)
     * @param parker parks virtual threads waiting in this kqueue, or null
     */
    public KQueueCore(int maxKnotes, Parker parker) {
        this.maxKnotes = maxKnotes;
        this.gate = new CallGate(lock, () -> backend.wakeup(), parker);
    }

    /**
     * Connects the backend (which may need this core to activate knotes); before the core is
     * shared with another thread.
     *
     * @param backend the platform backend
     */
    public void start(Backend backend) {
        assert this.backend == null : "started twice";
        this.backend = backend;
    }

    /**
     * Whether the calling thread holds this kqueue's lock: filters and backends assert it where
     * their contract says "under the lock" ({@code assert core.holdsLock();}).
     *
     * @return true if the lock is held by the calling thread
     */
    public boolean holdsLock() {
        return lock.isHeldByCurrentThread();
    }

    // ---------------------------------------------------------------- activation (for filters)

    /**
     * {@code KNOTE_ACTIVATE}: marks a knote active and queues it unless it is disabled or queued.
     * Called under the lock by filters and backends.
     *
     * @param kn the knote
     */
    public void activate(Knote kn) {
        assert lock.isHeldByCurrentThread();
        if (kn.has(Knote.DROPPED)) {
            return;
        }
        kn.status |= Knote.ACTIVE;
        if (!kn.has(Knote.QUEUED | Knote.DISABLED)) {
            queue.enqueue(kn);
        }
    }

    /**
     * Removes a queued knote's pending event (a filter that restarts its source does this).
     *
     * @param kn the knote
     */
    public void deactivate(Knote kn) {
        assert lock.isHeldByCurrentThread();
        kn.status &= ~Knote.ACTIVE;
        queue.dequeue(kn);
    }

    /**
     * Counts activity that happened outside any {@code kevent} call (a signal delivery) into a
     * knote's {@code data} and activates it under the lock, then wakes a parked waiter or, if the
     * descriptor is polled, makes it readable.
     *
     * @param kn the knote
     * @param count what to add to {@code data}
     */
    public void postAsync(Knote kn, long count) {
        assert !lock.isHeldByCurrentThread() : "posted from outside any call";
        boolean wake;
        boolean edge;
        lock.lock();
        try {
            if (kn.has(Knote.DROPPED)) {
                return;
            }
            kn.data += count;
            activate(kn);
            wake = gate.isOpen() && needsWake();
            // Every activation is news to a kqueue watching this one (KQ-55), even when the
            // knote was queued already: a second write makes a new edge on the descriptor.
            edge = gate.isOpen() && pollable && !wake;
            if (edge) {
                wakeSignalled.set(true);
            }
        } finally {
            lock.unlock();
        }
        if (wake) {
            wake();
        } else if (edge) {
            gate.post();
        }
    }

    /**
     * FreeBSD's {@code knote_fork}: registers a knote for a new child of a process watched with
     * NOTE_TRACK, inheriting the parent knote's flags, filter flags and udata (under the lock).
     *
     * @param child the child's pid
     * @param filter the parent knote's filter
     * @param parent the parent knote
     * @return the child's knote, or null if it could not be registered (NOTE_TRACKERR)
     */
    public Knote registerChild(long child, short filter, Knote parent) {
        assert lock.isHeldByCurrentThread();
        internal.ident = child;
        internal.filter = filter;
        internal.flags = EV_ADD | (parent.flags & (EV_ONESHOT | EV_CLEAR | EV_DISPATCH | EV_RECEIPT));
        internal.fflags = parent.sfflags;
        internal.data = 0;
        internal.udata = parent.udata;
        internal.copyExt(parent);
        if (register(internal) != 0) {
            return null;
        }
        return table.find(child, filter, false);
    }


    /**
     * Drops every knote of a descriptor found closed or reused (FreeBSD's {@code knote_fdclose}).
     *
     * @param fd the descriptor
     */
    public void dropDescriptor(int fd) {
        assert lock.isHeldByCurrentThread();
        Knote[] slots = table.onDescriptor(fd);
        if (slots != null) {
            for (Knote kn : slots) {
                if (kn != null) {
                    drop(kn);
                }
            }
        }
    }


    /**
     * Events waiting to be returned; what EVFILT_READ on this kqueue reports as {@code data}
     * (FreeBSD's {@code kq_count}). Readiness the OS holds but no call has collected yet is
     * collected first (a poll, no wait), so it counts as it would on FreeBSD.
     *
     * @return the number of queued knotes
     */
    public int pendingCount() {
        assert !lock.isHeldByCurrentThread() : "a kqueue asked for its own count: a watch cycle";
        lock.lock();
        try {
            if (!gate.isOpen()) {
                return 0;
            }
            backend.levelWakeups(); // a watched kqueue: this harvest must not take a waiter's edge
            Backend.WaitContext context = takeContext();
            try {
                int harvested = backend.poll(context, 0);
                if (harvested > 0) {
                    backend.dispatch(context, harvested); // WAKE stays as it is: its owner drains it
                }
            } finally {
                returnContext(context);
            }
            backend.beforeScan();
            backend.afterScan();
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Switches on descriptor readiness tracking: the wakeup descriptor then mirrors the queue. */
    public void makePollable() {
        boolean wake;
        lock.lock();
        try {
            if (gate.isOpen()) {
                backend.levelWakeups(); // the descriptor mirrors the queue from now on
            }
            pollable = true;
            wake = needsWake();
        } finally {
            lock.unlock();
        }
        if (wake) {
            wake();
        }
    }

    // ---------------------------------------------------------------- kevent

    /**
     * {@code kevent(2)}: applies {@code nchanges} changes in order, then returns up to
     * {@code nevents} events, waiting at most {@code timeoutNanos} (−1 forever, 0 poll).
     *
     * @param changes the changelist (may be null when nchanges is 0)
     * @param nchanges number of changes
     * @param events the eventlist (may be null when nevents is 0)
     * @param nevents room for events
     * @param timeoutNanos −1 to wait forever, ≥ 0 nanoseconds, or −2 for an invalid timeout
     * @return the number of entries written
     * @throws KQueueException with the errno kevent(2) would set
     */
    @Override
    public int kevent(KEventList changes, int nchanges, KEventList events, int nevents, long timeoutNanos)
            throws KQueueException {
        gate.checkArguments(changes, nchanges, events, nevents);
        try {
            return keventChecked(changes, nchanges, events, nevents, timeoutNanos);
        } catch (IllegalStateException | WrongThreadException e) {
            if (CallGate.usable(changes) && CallGate.usable(events)) {
                throw e; // not the caller's memory: an engine bug, never reported as EFAULT
            }
            // a list freed (or handed to another thread's arena) while the call used it
            throw new KQueueException(EFAULT, "kevent: a KEventList's memory went away during the call");
        }
    }

    private int keventChecked(KEventList changes, int nchanges, KEventList events, int nevents, long timeoutNanos)
            throws KQueueException {
        boolean wake = false;
        lock.lock();
        try {
            gate.enter();
            try {
                int written;
                try {
                    written = applyChanges(changes, nchanges, events, nevents);
                } finally {
                    backend.afterScan();
                }
                if (written >= 0) {
                    return written;
                }
                if (nevents < 0) {
                    throw new KQueueException(EINVAL, "kevent: nevents " + nevents);
                }
                if (timeoutNanos < -1) {
                    throw new KQueueException(EINVAL, "kevent: negative timeout");
                }
                if (nevents == 0) {
                    return 0;
                }
                return collect(events, nevents, timeoutNanos);
            } finally {
                gate.leave();
                if (gate.isOpen()) {
                    wake = needsWake();
                    if (!wake && gate.parked() == 0 && wakeSignalled.get() && settledWake()) {
                        drainWake();
                    }
                }
            }
        } finally {
            lock.unlock();
            if (wake) {
                wake();
            }
        }
    }

    /** Returns entries written when the call ends after its changes, or −1 to go on collecting. */
    private int applyChanges(KEventList changes, int nchanges, KEventList events, int nevents)
            throws KQueueException {
        assert lock.isHeldByCurrentThread();
        int room = nevents;
        int written = 0;
        for (int i = 0; i < nchanges; i++) {
            change.readFrom(changes, i);
            if (change.filter == 0) {
                continue;
            }
            change.flags &= ~EV_SYSFLAGS & 0xFFFF;
            int error = register(change);
            if (error != 0 || (change.flags & EV_RECEIPT) != 0) {
                if (room <= 0) {
                    if (error != 0) {
                        throw new KQueueException(error, "kevent: change " + i + " (ident " + change.ident
                                + ", filter " + KEvent.filterName(change.filter) + ")");
                    }
                    return 0;
                }
                change.flags = EV_ERROR;
                change.data = error;
                change.writeTo(events, written);
                written++;
                room--;
            }
        }
        return written > 0 ? written : -1;
    }

    /**
     * Collects events with exactly one backend wait in the usual case: a poll when something is
     * queued already (so descriptor readiness is never starved by queued knotes), else a wait
     * bounded by the timeout.
     */
    private int collect(KEventList events, int nevents, long timeoutNanos) throws KQueueException {
        assert lock.isHeldByCurrentThread();
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        Backend.WaitContext context = takeContext();
        try {
            while (true) {
                backend.beforeScan();
                long wait = 0;
                if (queue.isEmpty() && timeoutNanos != 0 && !Thread.currentThread().isInterrupted()) {
                    wait = timeoutNanos < 0 ? -1 : Math.max(0, deadline - System.nanoTime());
                    long recheck = backend.recheckNanos();
                    if (recheck >= 0 && (wait < 0 || recheck < wait)) {
                        wait = recheck;
                    }
                }
                // the wait, unlocked around it through the gate unless it is a poll (written out
                // here: a call level less before the downcall, see EpollBackend.await)
                int harvested = Math.max(0, wait == 0 ? backend.poll(context, 0)
                        : gate.block(backend, context, wait, backend.descriptor()));
                if (!gate.isOpen()) {
                    throw new KQueueException(EBADF, "kevent: kqueue closed while waiting");
                }
                if (harvested > 0 && backend.dispatch(context, harvested)) {
                    drainWake();
                }
                backend.beforeScan();
                int n = scan(events, nevents);
                backend.afterScan();
                if (n > 0) {
                    return n;
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new KQueueException(EINTR, "kevent: thread interrupted");
                }
                if (timeoutNanos == 0 || (timeoutNanos > 0 && System.nanoTime() - deadline >= 0)) {
                    return 0;
                }
            }
        } finally {
            returnContext(context);
        }
    }

    /** Wait buffers for one caller: the spare ones, else the others' left over, else new ones. */
    private Backend.WaitContext takeContext() {
        Backend.WaitContext context = spareContext;
        if (context != null) {
            spareContext = null;
            return context;
        }
        return waitContexts.isEmpty() ? backend.newWaitContext() : waitContexts.pop();
    }

    private void returnContext(Backend.WaitContext context) {
        if (spareContext == null) {
            spareContext = context;
        } else {
            waitContexts.push(context);
        }
    }

    // ---------------------------------------------------------------- register

    /** {@code kqueue_register}: returns 0 or a host errno; may rewrite the change's fflags/data. */
    private int register(KEventRecord kev) {
        assert lock.isHeldByCurrentThread();
        Filter fop = backend.filter(kev.filter);
        if (fop == null) {
            return EINVAL;
        }
        if ((kev.flags & (EV_ENABLE | EV_DISABLE)) == (EV_ENABLE | EV_DISABLE)) {
            return EINVAL;
        }
        if ((kev.flags & (EV_ADD | EV_KEEPUDATA)) == (EV_ADD | EV_KEEPUDATA)) {
            return EINVAL;
        }
        boolean isFd = fop.isFd();
        boolean checkAfterDelete = false;
        boolean attachChecks = false;
        Knote kn;
        if (isFd) {
            if (kev.ident < 0 || kev.ident > Integer.MAX_VALUE) {
                return EBADF;
            }
            int fd = (int) kev.ident;
            boolean hasKnotes = hasKnotes(fd);
            int change = changeKind(kev, hasKnotes);
            int check = backend.checkDescriptor(fd, hasKnotes, change);
            checkAfterDelete = check == Backend.DESCRIPTOR_DEFERRED;
            attachChecks = change == Backend.CHANGE_ATTACHES;
            if (check > 0) {
                dropDescriptor(fd);
                return check;
            }
            if (check == Backend.DESCRIPTOR_REUSED) {
                dropDescriptor(fd);
            }
        }
        kn = table.find(kev.ident, kev.filter, isFd);
        CompactKnotes compact = fop.compactKnotes();
        if (kn == null && compact != null && compactCount > 0) {
            if ((kev.flags & EV_DELETE) != 0) {
                if (compact.detach(kev.ident)) {
                    compactCount--; // as drop() would: nothing else applies to a deleted knote
                    return 0;
                }
            } else {
                kn = expand(kev.ident, kev.filter, fop); // every rule below applies to a whole knote
            }
        }
        if (kn == null) {
            if ((kev.flags & EV_ADD) == 0) {
                return ENOENT;
            }
            if (table.size() + compactCount >= maxKnotes) {
                return ENOMEM;
            }
            if (compact != null && (kev.flags & EV_DISABLE) == 0 && !hasExt(kev)) {
                int error = compact.attach(kev, kev.flags & ~ACTIONS);
                if (error >= 0) {
                    kev.fflags = 0; // as below: the knote has them
                    kev.data = 0;
                    if (error == 0) {
                        compactCount++;
                    }
                    return error;
                }
            }
            kn = newKnote(kev, fop);
            kn.sfflags = kev.fflags;
            kn.sdata = kev.data;
            kev.fflags = 0;
            kev.data = 0;
            kn.flags = kev.flags & ~ACTIONS;
            kn.udata = kev.udata;
            kn.setExt(kev.ext);
            kn.status = Knote.DETACHED | ((kev.flags & EV_DISABLE) != 0 ? Knote.DISABLED : 0);
            table.insert(kn, isFd);
            int error = fop.attach(kn);
            if (error != 0) {
                table.remove(kn, isFd);
                kn.status |= Knote.DROPPED;
                if (error == EBADF && attachChecks) {
                    kev.fflags = kn.sfflags; // the number is not open: FreeBSD fails before making a knote
                    kev.data = kn.sdata;
                }
                return error;
            }
            kn.status &= ~Knote.DETACHED;
        } else {
            if ((kev.flags & EV_DELETE) != 0) {
                drop(kn);
                return checkAfterDelete ? checkDeleted(kn.fd()) : 0;
            }
            fop.collectPending(kn); // activity before this change is judged by the fflags it replaces
            if ((kev.flags & EV_FORCEONESHOT) != 0) {
                kn.flags |= EV_ONESHOT;
                activate(kn);
            }
            if ((kev.flags & EV_ENABLE) != 0) {
                kn.status &= ~Knote.DISABLED;
            } else if ((kev.flags & EV_DISABLE) != 0) {
                kn.status |= Knote.DISABLED;
            }
            if ((kev.flags & EV_KEEPUDATA) == 0) {
                kn.udata = kev.udata;
            }
            if (!isFd && fop.hasTouch()) {
                fop.touch(kn, kev, Filter.EVENT_REGISTER);
            } else {
                kn.sfflags = kev.fflags;
                kn.sdata = kev.data;
            }
            fop.changed(kn);
        }
        // a registration whose own report activates the knote is not evaluated too (MT-01)
        boolean event = !kn.has(Knote.DISABLED) && !fop.reportedByRegistration(kn) && fop.event(kn);
        if (kn.has(Knote.GONE)) {
            int fd = kn.fd();
            dropDescriptor(fd);
            return EBADF;
        }
        if (event) {
            kn.status |= Knote.ACTIVE;
        }
        if ((kn.status & (Knote.ACTIVE | Knote.DISABLED | Knote.QUEUED)) == Knote.ACTIVE) {
            queue.enqueue(kn);
        }
        return 0;
    }

    private static boolean hasExt(KEventRecord kev) {
        return (kev.ext[0] | kev.ext[1] | kev.ext[2] | kev.ext[3]) != 0;
    }

    /**
     * Makes a knote that its filter holds in compact form whole, and enters it in the table: the
     * core does so before a change to it, and its filter before activating it. Under the lock.
     *
     * @param ident the knote's ident
     * @param filter the knote's filter number
     * @param fop the filter
     * @return the whole knote, or null if the filter holds no such compact knote
     */
    public Knote expand(long ident, short filter, Filter fop) {
        assert lock.isHeldByCurrentThread();
        CompactKnotes compact = compactCount == 0 ? null : fop.compactKnotes();
        if (compact == null || !compact.holds(ident)) {
            return null;
        }
        Knote kn = new Knote(ident, filter, fop);
        compact.expand(kn);
        compactCount--;
        table.insert(kn, false);
        return kn;
    }

    /** What a descriptor change does, for {@link Backend#checkDescriptor}. */
    private int changeKind(KEventRecord kev, boolean hasKnotes) {
        if ((kev.flags & (EV_ADD | EV_DELETE)) == EV_DELETE) {
            return table.find(kev.ident, kev.filter, true) != null ? Backend.CHANGE_DELETES : Backend.CHANGE_OTHER;
        }
        return (kev.flags & EV_ADD) != 0 && !hasKnotes ? Backend.CHANGE_ATTACHES : Backend.CHANGE_OTHER;
    }

    /**
     * The deferred check of a delete, its knote dropped: a number found closed or reused drops
     * the descriptor's other knotes too (knote_fdclose) and fails the delete as the check before
     * it would have (EBADF, or ENOENT: no knote of that file was left to delete).
     */
    private int checkDeleted(int fd) {
        int check = backend.checkDeleted(fd);
        if (check == Backend.DESCRIPTOR_SAME) {
            return 0;
        }
        dropDescriptor(fd);
        return check > 0 ? check : ENOENT;
    }

    private boolean hasKnotes(int fd) {
        Knote[] slots = table.onDescriptor(fd);
        if (slots != null) {
            for (Knote kn : slots) {
                if (kn != null) {
                    return true;
                }
            }
        }
        return false;
    }

    private void drop(Knote kn) {
        assert lock.isHeldByCurrentThread();
        if (kn.has(Knote.DROPPED)) {
            return;
        }
        queue.dequeue(kn);
        table.remove(kn, kn.fop.isFd());
        if (!kn.has(Knote.DETACHED)) {
            kn.status |= Knote.DETACHED;
            kn.fop.detach(kn);
        }
        kn.status |= Knote.DROPPED;
        if (kn.fop.isFd()) {
            spare = kn;
        }
    }

    /** A knote for a new registration: the {@link #spare} if it had the same ident and filter. */
    private Knote newKnote(KEventRecord kev, Filter fop) {
        Knote kn = spare;
        if (kn == null || kn.ident != kev.ident || kn.filter != kev.filter || kn.fop != fop) {
            return new Knote(kev.ident, kev.filter, fop);
        }
        spare = null;
        kn.fflags = 0; // the rest register sets
        kn.data = 0;
        kn.state = null;
        return kn;
    }

    // ---------------------------------------------------------------- scan

    /**
     * {@code kqueue_scan} over the knotes queued when it starts, which a marker at the tail
     * separates from those it re-queues (and from knotes dropped on the way); returns events
     * written.
     */
    private int scan(KEventList events, int max) {
        assert lock.isHeldByCurrentThread();
        int n = 0;
        queue.enqueue(marker);
        try {
            while (n < max) {
                Knote kn = queue.first();
                if (kn == marker) {
                    break;
                }
                queue.dequeue(kn);
                n = scanOne(kn, events, n);
            }
        } finally {
            queue.dequeue(marker);
        }
        return n;
    }

    /** One knote of the scan; returns the new number of events written. */
    private int scanOne(Knote kn, KEventList events, int n) {
        if (kn.has(Knote.DISABLED)) {
            return n;
        }
        Filter fop = kn.fop;
        if ((kn.flags & EV_DROP) != 0) {
            drop(kn); // the filter's source ended with nothing to report (FreeBSD's EV_DROP)
            return n;
        }
        if ((kn.flags & EV_ONESHOT) != 0) {
            // FreeBSD copies a one-shot knote as it was activated; descriptor filters here
            // compute their data lazily, at copy-out.
            if (fop.isFd() && !fop.event(kn)) {
                kn.status &= ~Knote.ACTIVE;
                if (kn.has(Knote.GONE)) {
                    dropDescriptor(kn.fd());
                }
                return n;
            }
            out.copyFrom(kn);
            drop(kn);
            out.writeTo(events, n++);
            return n;
        }
        if (!fop.event(kn)) {
            kn.status &= ~Knote.ACTIVE;
            if (kn.has(Knote.GONE)) {
                dropDescriptor(kn.fd());
            }
            return n;
        }
        boolean touch = !fop.isFd() && fop.hasTouch();
        if (touch) {
            out.copyFrom(kn);
            fop.touch(kn, out, Filter.EVENT_PROCESS);
        } else {
            out.copyFrom(kn);
        }
        if ((kn.flags & EV_ONESHOT) != 0) {
            drop(kn); // the filter made it one-shot just now (a process exit): this was its event
            out.writeTo(events, n++);
            return n;
        }
        if ((kn.flags & (EV_CLEAR | EV_DISPATCH)) != 0) {
            if (!touch && (kn.flags & EV_CLEAR) != 0) {
                kn.data = 0;
                kn.fflags = 0;
            }
            kn.status &= ~Knote.ACTIVE;
            if ((kn.flags & EV_DISPATCH) != 0) {
                kn.status |= Knote.DISABLED;
                fop.changed(kn);
            }
        } else if (fop.reportsLevelItself(kn)) {
            kn.status &= ~Knote.ACTIVE;
        } else {
            queue.enqueue(kn);
        }
        out.writeTo(events, n++);
        return n;
    }

    // ---------------------------------------------------------------- wakeups

    private boolean needsWake() {
        assert lock.isHeldByCurrentThread();
        return !queue.isEmpty() && (gate.parked() > 0 || pollable) && !wakeSignalled.get();
    }

    /** Whether the wakeup descriptor may be drained: nothing queued that it must advertise. */
    private boolean settledWake() {
        return queue.isEmpty() || !pollable;
    }

    /** Writes the wakeup unless one is pending; without the lock, through the gate's poster count. */
    private void wake() {
        if (wakeSignalled.compareAndSet(false, true)) {
            gate.post();
        }
    }

    /**
     * Drains the wakeup descriptor, then clears the flag: in that order a wakeup written between
     * the two is either drained with the flag still set (its waker then sees the flag clear and
     * writes again) or left readable, never consumed behind a flag that says it is still there.
     */
    private void drainWake() {
        assert lock.isHeldByCurrentThread();
        if (!gate.isOpen()) {
            return;
        }
        if (gate.interruptPosted() && backend.levelWakeups()) {
            return; // left readable for the interrupted waiter, whom this edge may have missed
        }
        if (gate.interruptedWaiter()) {
            return; // the interrupt's wakeup may have woken this caller instead: left readable until that waiter leaves
        }
        backend.drainWakeup();
        wakeSignalled.set(false);
    }

    // ---------------------------------------------------------------- life cycle

    @Override
    public boolean isOpen() {
        return gate.isOpenNow();
    }

    @Override
    public int pollableDescriptor() {
        makePollable();
        return isOpen() ? backend.descriptor() : -1;
    }

    /**
     * Closes the kqueue: new calls fail with EBADF, blocked callers are woken and fail with EBADF,
     * and once the last has left every knote is detached and the backend released. Idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (gate.isOpen()) {
                backend.levelWakeups(); // close's wakeup must reach every waiter
            }
        } finally {
            lock.unlock();
        }
        gate.close(this::release);
    }

    /**
     * Whether the kqueue is being released: {@code detach} is then called for every knote, no
     * caller is left, and a filter may skip the upkeep of structures that go with the kqueue
     * (under the lock).
     *
     * @return true during the final detaches
     */
    public boolean isReleasing() {
        assert lock.isHeldByCurrentThread();
        return releasing;
    }

    /** Under the lock, once no caller is left: detaches every knote, then closes the backend. */
    private void release() {
        assert lock.isHeldByCurrentThread();
        releasing = true;
        table.forEach(this::detachForClose);
        if (compactCount > 0) {
            for (int slot = 1; slot <= KnoteTable.MAX_FILTERS; slot++) {
                Filter fop = backend.filter((short) -slot);
                CompactKnotes compact = fop == null ? null : fop.compactKnotes();
                if (compact != null) {
                    compact.releaseAll();
                }
            }
            compactCount = 0;
        }
        backend.close();
    }

    private void detachForClose(Knote kn) {
        if (!kn.has(Knote.DETACHED)) {
            kn.status |= Knote.DETACHED;
            kn.fop.detach(kn);
        }
        kn.status |= Knote.DROPPED;
    }
}
