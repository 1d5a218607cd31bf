package io.github.kqueueffm.core;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueueException;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The door every {@code kevent} call of one kqueue passes, whatever implements the kqueue (the
 * emulation's {@link KQueueCore}, a native passthrough): it checks the arguments every
 * implementation checks alike, counts the callers inside, refuses calls once {@code close()}
 * began (EBADF), turns {@link Thread#interrupt()} into a wakeup, parks virtual threads instead of
 * pinning their carrier, and lets the kqueue release its resources only after the last caller
 * and the last waker have left. Native {@code kevent} does none of this by itself.
 *
 * <p>The life cycle, guarded by the owner's lock:
 * <pre>
 *   OPEN     calls enter() and leave(); callers counts the threads inside, parked those waiting
 *   CLOSING  close() began: new calls fail with EBADF (read lock-free first, as fget does);
 *            close() wakes the callers inside, again every 100 ms, until callers == 0, then
 *            waits for the posters in flight
 *   CLOSED   released; a second close() returns once the first has finished
 * </pre>
 *
 * <p>A <em>poster</em> is a thread that wakes the kqueue after releasing the lock (a signal
 * delivery, an interrupt, a caller leaving with events for a parked thread). It raises
 * {@code posters} before it reads {@code closing}; close() sets {@code closing} before it reads
 * {@code posters}. Both are sequentially consistent, so either the poster sees the kqueue closing
 * and does not write, or close() sees the poster and waits for its one non-blocking write:
 * the wakeup descriptor is never released under a write in flight. FreeBSD settles the same
 * race with a reference count ({@code kqueue_acquire_ref}/{@code kqueue_drain}).
 */
public final class CallGate {
    private static final long REWAKE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Wakes every thread waiting in this kqueue; never called under the lock. */
    @FunctionalInterface
    public interface Waker {
        /** Makes the kqueue's wakeup readable (one non-blocking write). */
        void wakeAll();
    }

    /**
     * One wait for the OS, outside the lock.
     *
     * @param <C> the per-call buffers the wait fills
     */
    @FunctionalInterface
    public interface Wait<C> {
        /**
         * Waits.
         *
         * @param context the caller's buffers
         * @param timeoutNanos 0 to poll, −1 to wait forever, else nanoseconds
         * @return what the wait harvested (implementation-defined, ≥ 0), or a negative errno
         *         (−EINTR when a signal interrupted it)
         */
        int await(C context, long timeoutNanos);
    }

    private enum State { OPEN, CLOSING, CLOSED }

    private final ReentrantLock lock;
    private final Condition lastCallerLeft;
    private final Waker waker;
    /** Parks virtual threads; null when the platform has none (they then pin while waiting). */
    private final Parker parker;
    private final InterruptHook interruptHook;
    /** Threads between deciding to wake and writing the wakeup (see the class comment). */
    private final AtomicInteger posters = new AtomicInteger();
    private State state = State.OPEN; // guarded by lock
    private int callers;              // guarded by lock
    private int parked;               // guarded by lock
    /** The threads counted in {@code parked}, in its first slots; guarded by lock. */
    private Thread[] parkedThreads = new Thread[4];
    /** Set once close() began; written under the lock, read without it. */
    private volatile boolean closing;
    /** An interrupt has been turned into a wakeup at least once; never reset. */
    private volatile boolean interruptPosted;

    /**
     * A gate for one kqueue.
     *
     * @param lock the kqueue's lock, which guards the gate's state too
     * @param waker wakes the kqueue's waiters
     * @param parker parks virtual threads, or null
     */
    public CallGate(ReentrantLock lock, Waker waker, Parker parker) {
        this.lock = lock;
        this.lastCallerLeft = lock.newCondition();
        this.waker = waker;
        this.parker = parker;
        this.interruptHook = new InterruptHook(this::postInterrupt);
    }

    /**
     * The checks {@code kevent(2)} makes before it touches the kqueue, in its order: EBADF for a
     * closed kqueue first (as {@code fget} does), then EINVAL for a negative {@code nchanges},
     * then EFAULT for a list shorter than its count or whose memory is gone. Without the lock.
     *
     * @param changes the changelist
     * @param nchanges changes to apply
     * @param events the eventlist
     * @param nevents room for events
     * @throws KQueueException EBADF, EINVAL or EFAULT
     */
    public void checkArguments(KEventList changes, int nchanges, KEventList events, int nevents)
            throws KQueueException {
        if (closing) {
            throw new KQueueException(Errno.EBADF.value(), "kevent: kqueue is closed");
        }
        if (nchanges < 0) {
            throw new KQueueException(Errno.EINVAL.value(), "kevent: nchanges " + nchanges);
        }
        if (nchanges > 0 && (changes == null || nchanges > changes.capacity() || !usable(changes))) {
            throw new KQueueException(Errno.EFAULT.value(), "kevent: changelist shorter than nchanges " + nchanges);
        }
        if (nevents > 0 && (events == null || nevents > events.capacity() || !usable(events))) {
            throw new KQueueException(Errno.EFAULT.value(), "kevent: eventlist shorter than nevents " + nevents);
        }
    }

    /**
     * Whether the calling thread may use a list's memory: not freed, not another thread's
     * confined arena. A list for which this is false during a call is the only EFAULT a call
     * reports after its start.
     *
     * @param list a list, or null
     * @return true for null or a usable list
     */
    public static boolean usable(KEventList list) {
        return list == null
                || list.segment().scope().isAlive() && list.segment().isAccessibleBy(Thread.currentThread());
    }

    /**
     * Admits a caller (under the lock).
     *
     * @throws KQueueException EBADF once close() began
     */
    public void enter() throws KQueueException {
        assert lock.isHeldByCurrentThread();
        if (state != State.OPEN) {
            throw new KQueueException(Errno.EBADF.value(), "kevent: kqueue is closed");
        }
        callers++;
    }

    /** Lets a caller out (under the lock); the last one out lets close() go on. */
    public void leave() {
        assert lock.isHeldByCurrentThread();
        assert callers > 0 : "leave() without enter()";
        callers--;
        if (state == State.CLOSING && callers == 0) {
            lastCallerLeft.signalAll();
        }
    }

    /**
     * Whether the kqueue is open (under the lock).
     *
     * @return true before close()
     */
    public boolean isOpen() {
        assert lock.isHeldByCurrentThread();
        return state == State.OPEN;
    }

    /**
     * Whether the kqueue is open, for a caller that does not hold the lock (takes it).
     *
     * @return true before close()
     */
    public boolean isOpenNow() {
        lock.lock();
        try {
            return state == State.OPEN;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Callers waiting in {@link #block} right now (under the lock): a wakeup is needed only for them.
     *
     * @return the number of parked callers
     */
    public int parked() {
        assert lock.isHeldByCurrentThread();
        return parked;
    }

    /**
     * Whether a caller waiting in {@link #block} right now was interrupted: its wakeup must stay
     * readable until it has left, since another waiter may have been woken by it instead.
     *
     * @return true if a parked caller's thread is interrupted
     */
    public boolean interruptedWaiter() {
        assert lock.isHeldByCurrentThread();
        for (int i = 0; i < parked; i++) {
            if (parkedThreads[i].isInterrupted()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits outside the lock: releases it, arms the interrupt hook, parks a virtual thread through
     * the platform's {@link Parker} (poll, park until {@code fd} is readable, poll again) or blocks
     * a platform thread in the wait itself, and takes the lock again. Allocates nothing.
     *
     * @param wait the wait
     * @param context the caller's buffers
     * @param timeoutNanos −1 forever, else nanoseconds (&gt; 0)
     * @param fd the descriptor that polls readable when the wait would return
     * @param <C> the buffers' type
     * @return what the wait returned
     */
    public <C> int block(Wait<C> wait, C context, long timeoutNanos, int fd) {
        assert lock.isHeldByCurrentThread() && lock.getHoldCount() == 1 : "a wait must release the lock entirely";
        Thread me = Thread.currentThread();
        if (parked == parkedThreads.length) {
            parkedThreads = Arrays.copyOf(parkedThreads, parked * 2);
        }
        parkedThreads[parked++] = me;
        lock.unlock();
        try {
            interruptHook.enter();
            try {
                if (parker != null && Thread.currentThread().isVirtual()) {
                    int ready = wait.await(context, 0);
                    if (ready != 0) {
                        return ready;
                    }
                    if (parker.awaitReadable(fd, timeoutNanos)) {
                        return wait.await(context, 0);
                    }
                    // no parker thread could be had: block in the downcall after all
                }
                return wait.await(context, timeoutNanos);
            } finally {
                interruptHook.exit();
            }
        } finally {
            lock.lock();
            unpark(me);
        }
    }

    /** Removes a thread from the parked ones (under the lock); their order does not matter. */
    private void unpark(Thread thread) {
        for (int i = 0; i < parked; i++) {
            if (parkedThreads[i] == thread) {
                parkedThreads[i] = parkedThreads[--parked];
                parkedThreads[parked] = null;
                return;
            }
        }
        throw new AssertionError("not parked: " + thread);
    }

    /**
     * Wakes the kqueue from outside the lock, unless it is closing (see the class comment).
     *
     * @return whether the wakeup was written
     */
    public boolean post() {
        assert !lock.isHeldByCurrentThread() : "wakeups are written without the lock";
        posters.incrementAndGet();
        try {
            if (closing) {
                return false;
            }
            waker.wakeAll();
            return true;
        } finally {
            posters.decrementAndGet();
        }
    }

    /** The interrupt hook's wakeup: remembered, so that the kqueue can make wakeups reach every waiter. */
    private void postInterrupt() {
        interruptPosted = true;
        post();
    }

    /**
     * Whether an interrupt was ever turned into a wakeup of this kqueue: a wakeup written for one
     * thread may then have woken another.
     *
     * @return true once an interrupt was posted
     */
    public boolean interruptPosted() {
        return interruptPosted;
    }

    /**
     * Closes: new calls fail with EBADF, the callers inside are woken until the last has left, the
     * posters in flight finish, then {@code release} runs under the lock. A second call waits for
     * the first to finish. An interrupt does not stop it (the interrupt status is kept).
     *
     * @param release frees the kqueue's knotes, descriptors and memory; runs once
     */
    public void close(Runnable release) {
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
            boolean interrupted = false;
            while (true) {
                lock.unlock();
                try {
                    waker.wakeAll(); // never drained again: every waiter returns
                } finally {
                    lock.lock();
                }
                if (callers == 0) {
                    break;
                }
                try {
                    lastCallerLeft.awaitNanos(REWAKE_NANOS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (callers == 0) {
                    break;
                }
            }
            while (posters.get() > 0) {
                Thread.onSpinWait(); // each is one non-blocking write
            }
            release.run();
            state = State.CLOSED;
            lastCallerLeft.signalAll();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            lock.unlock();
        }
    }
}
