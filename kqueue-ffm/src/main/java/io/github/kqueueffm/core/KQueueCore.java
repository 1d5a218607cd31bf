package io.github.kqueueffm.core;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueueException;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
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
 * EV_ONESHOT, EV_CLEAR and EV_DISPATCH ({@code kqueue_scan}), and the kqueue's life cycle with
 * several threads: no lock is held across the backend's wait, close wakes every waiter, and
 * memory is released after the last one left.
 */
public final class KQueueCore {
    private static final int EINVAL = Errno.EINVAL.value();
    private static final int EBADF = Errno.EBADF.value();
    private static final int ENOENT = Errno.ENOENT.value();
    private static final int ENOMEM = Errno.ENOMEM.value();
    private static final int EFAULT = Errno.EFAULT.value();
    private static final int EINTR = Errno.EINTR.value();
    /** Action bits, never stored in a knote nor returned. */
    private static final int ACTIONS = EV_ADD | EV_DELETE | EV_ENABLE | EV_DISABLE | EV_FORCEONESHOT | EV_KEEPUDATA;

    private enum State { OPEN, CLOSING, CLOSED }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition lastCallerLeft = lock.newCondition();
    private final KnoteTable table = new KnoteTable();
    private final KnoteQueue queue = new KnoteQueue();
    private final KEventRecord change = new KEventRecord();
    private final KEventRecord out = new KEventRecord();
    private final KEventRecord internal = new KEventRecord();
    /** Marks where a scan started at the tail of the queue (FreeBSD's marker knote). */
    private final Knote marker = new Knote(0, (short) 0, null);
    private final ArrayDeque<Backend.WaitContext> waitContexts = new ArrayDeque<>();
    private final AtomicBoolean wakeSignalled = new AtomicBoolean();
    private final InterruptHook interruptHook;
    private final int maxKnotes;
    private Backend backend;
    private State state = State.OPEN;
    private int callers;
    private int parked;
    private volatile boolean pollable;
    /** Set once close() began; read without the lock to give EBADF before any argument error. */
    private volatile boolean closing;

    /**
     * A kqueue core; call {@link #start(Backend)} before use.
     *
     * @param maxKnotes the most knotes this kqueue holds (ENOMEM past it)
     */
    public KQueueCore(int maxKnotes) {
        this.maxKnotes = maxKnotes;
        this.interruptHook = new InterruptHook(this::wake);
    }

    /**
     * Connects the backend (which may need this core to activate knotes).
     *
     * @param backend the platform backend
     */
    public void start(Backend backend) {
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
        boolean wake;
        boolean edge;
        lock.lock();
        try {
            if (kn.has(Knote.DROPPED)) {
                return;
            }
            kn.data += count;
            activate(kn);
            wake = state == State.OPEN && needsWake();
            // Every activation is news to a kqueue watching this one (KQ-55), even when the
            // knote was queued already: a second write makes a new edge on the descriptor.
            edge = state == State.OPEN && pollable && !wake;
            if (edge) {
                wakeSignalled.set(true);
            }
        } finally {
            lock.unlock();
        }
        if (wake) {
            wake();
        } else if (edge) {
            backend.wakeup();
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
        internal.ident = child;
        internal.filter = filter;
        internal.flags = EV_ADD | (parent.flags & (EV_ONESHOT | EV_CLEAR | EV_DISPATCH | EV_RECEIPT));
        internal.fflags = parent.sfflags;
        internal.data = 0;
        internal.udata = parent.udata;
        System.arraycopy(parent.ext, 0, internal.ext, 0, 4);
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
        lock.lock();
        try {
            if (state != State.OPEN) {
                return 0;
            }
            Backend.WaitContext context = waitContexts.isEmpty() ? backend.newWaitContext() : waitContexts.pop();
            try {
                int harvested = backend.poll(context, 0);
                if (harvested > 0) {
                    backend.dispatch(context, harvested); // WAKE stays as it is: its owner drains it
                }
            } finally {
                waitContexts.push(context);
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
    public int kevent(KEventList changes, int nchanges, KEventList events, int nevents, long timeoutNanos)
            throws KQueueException {
        try {
            return keventChecked(changes, nchanges, events, nevents, timeoutNanos);
        } catch (IllegalStateException | WrongThreadException e) {
            // a list freed (or handed to another thread's arena) while the call used it
            throw new KQueueException(EFAULT, "kevent: a KEventList's memory went away during the call");
        }
    }

    private int keventChecked(KEventList changes, int nchanges, KEventList events, int nevents, long timeoutNanos)
            throws KQueueException {
        if (closing) {
            throw new KQueueException(EBADF, "kevent: kqueue is closed"); // the descriptor first, as fget does
        }
        if (nchanges < 0) {
            throw new KQueueException(EINVAL, "kevent: nchanges " + nchanges);
        }
        if (nchanges > 0 && (changes == null || nchanges > changes.capacity() || !alive(changes))) {
            throw new KQueueException(EFAULT, "kevent: changelist shorter than nchanges " + nchanges);
        }
        if (nevents > 0 && (events == null || nevents > events.capacity() || !alive(events))) {
            throw new KQueueException(EFAULT, "kevent: eventlist shorter than nevents " + nevents);
        }
        boolean wake = false;
        lock.lock();
        try {
            if (state != State.OPEN) {
                throw new KQueueException(EBADF, "kevent: kqueue is closed");
            }
            callers++;
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
                callers--;
                if (state == State.CLOSING && callers == 0) {
                    lastCallerLeft.signalAll();
                }
                if (state == State.OPEN) {
                    wake = needsWake();
                    if (!wake && parked == 0 && wakeSignalled.get() && settledWake()) {
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

    /** Whether the calling thread may use a list's memory (not freed, not another thread's confined arena). */
    private static boolean alive(KEventList list) {
        return list.segment().scope().isAlive() && list.segment().isAccessibleBy(Thread.currentThread());
    }

    /** Returns entries written when the call ends after its changes, or −1 to go on collecting. */
    private int applyChanges(KEventList changes, int nchanges, KEventList events, int nevents)
            throws KQueueException {
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
                                + ", filter " + change.filter + ")");
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
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        Backend.WaitContext context = waitContexts.isEmpty() ? backend.newWaitContext() : waitContexts.pop();
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
                int harvested = waitUnlocked(context, wait);
                if (state != State.OPEN) {
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
            waitContexts.push(context);
        }
    }

    /** One backend wait; unlocks around it unless it is a poll. */
    private int waitUnlocked(Backend.WaitContext context, long waitNanos) {
        if (waitNanos == 0) {
            return Math.max(0, backend.poll(context, 0));
        }
        parked++;
        lock.unlock();
        int harvested;
        try {
            interruptHook.enter();
            try {
                harvested = backend.poll(context, waitNanos);
            } finally {
                interruptHook.exit();
            }
        } finally {
            lock.lock();
            parked--;
        }
        return Math.max(0, harvested);
    }

    // ---------------------------------------------------------------- register

    /** {@code kqueue_register}: returns 0 or a host errno; may rewrite the change's fflags/data. */
    private int register(KEventRecord kev) {
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
        Knote kn;
        if (isFd) {
            if (kev.ident < 0 || kev.ident > Integer.MAX_VALUE) {
                return EBADF;
            }
            int fd = (int) kev.ident;
            boolean hasKnotes = hasKnotes(fd);
            int check = backend.checkDescriptor(fd, hasKnotes);
            if (check > 0) {
                dropDescriptor(fd);
                return check;
            }
            if (check == Backend.DESCRIPTOR_REUSED) {
                dropDescriptor(fd);
            }
        }
        kn = table.find(kev.ident, kev.filter, isFd);
        if (kn == null) {
            if ((kev.flags & EV_ADD) == 0) {
                return ENOENT;
            }
            if (table.size() >= maxKnotes) {
                return ENOMEM;
            }
            kn = new Knote(kev.ident, kev.filter, fop);
            kn.sfflags = kev.fflags;
            kn.sdata = kev.data;
            kev.fflags = 0;
            kev.data = 0;
            kn.flags = kev.flags & ~ACTIONS;
            kn.udata = kev.udata;
            System.arraycopy(kev.ext, 0, kn.ext, 0, 4);
            kn.status = Knote.DETACHED | ((kev.flags & EV_DISABLE) != 0 ? Knote.DISABLED : 0);
            table.insert(kn, isFd);
            int error = fop.attach(kn);
            if (error != 0) {
                table.remove(kn, isFd);
                kn.status |= Knote.DROPPED;
                return error;
            }
            kn.status &= ~Knote.DETACHED;
        } else {
            if ((kev.flags & EV_DELETE) != 0) {
                drop(kn);
                return 0;
            }
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
        boolean event = !kn.has(Knote.DISABLED) && fop.event(kn);
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
    }

    // ---------------------------------------------------------------- scan

    /**
     * {@code kqueue_scan} over the knotes queued when it starts, which a marker at the tail
     * separates from those it re-queues (and from knotes dropped on the way); returns events
     * written.
     */
    private int scan(KEventList events, int max) {
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
        return !queue.isEmpty() && (parked > 0 || pollable) && !wakeSignalled.get();
    }

    /** Whether the wakeup descriptor may be drained: nothing queued that it must advertise. */
    private boolean settledWake() {
        return queue.isEmpty() || !pollable;
    }

    private void wake() {
        if (wakeSignalled.compareAndSet(false, true)) {
            backend.wakeup();
        }
    }

    /**
     * Drains the wakeup descriptor, then clears the flag: in that order a wakeup written between
     * the two is either drained with the flag still set (its waker then sees the flag clear and
     * writes again) or left readable, never consumed behind a flag that says it is still there.
     */
    private void drainWake() {
        if (state != State.OPEN) {
            return;
        }
        backend.drainWakeup();
        wakeSignalled.set(false);
    }

    // ---------------------------------------------------------------- life cycle

    /** @return whether {@link #close()} has not been called */
    public boolean isOpen() {
        lock.lock();
        try {
            return state == State.OPEN;
        } finally {
            lock.unlock();
        }
    }

    /** @return the backend's pollable descriptor */
    public int descriptor() {
        return backend.descriptor();
    }

    /**
     * Closes the kqueue: new calls fail with EBADF, blocked callers are woken and fail with EBADF,
     * and once the last has left every knote is detached and the backend released. Idempotent.
     */
    public void close() {
        lock.lock();
        try {
            if (state != State.OPEN) {
                while (state != State.CLOSED) {
                    lastCallerLeft.awaitUninterruptibly();
                }
                return;
            }
            state = State.CLOSING;
            closing = true;
            wakeupUnlocked(); // never drained again: every waiter returns
            boolean interrupted = false;
            while (callers > 0) {
                try {
                    lastCallerLeft.awaitNanos(TimeUnit.MILLISECONDS.toNanos(100));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (callers > 0) {
                    wakeupUnlocked();
                }
            }
            table.forEach(this::detachForClose);
            backend.close();
            state = State.CLOSED;
            lastCallerLeft.signalAll();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@link Backend#wakeup()} is never called under the lock; CLOSING is set, so nothing reopens meanwhile. */
    private void wakeupUnlocked() {
        lock.unlock();
        try {
            backend.wakeup();
        } finally {
            lock.lock();
        }
    }

    private void detachForClose(Knote kn) {
        if (!kn.has(Knote.DETACHED)) {
            kn.status |= Knote.DETACHED;
            kn.fop.detach(kn);
        }
        kn.status |= Knote.DROPPED;
    }
}
