package io.github.kqueueffm.core;

/**
 * What an operating system supplies to the emulation core: its filters, descriptor checks and the
 * one wait for OS readiness per {@code kevent} call. The core calls {@link #poll} without its lock
 * when it blocks (through {@link CallGate#block}, which also parks virtual threads),
 * {@link #wakeup} never under it, everything else under it.
 *
 * <p>A backend that lets a kqueue watch another kqueue's descriptor must refuse a watch that
 * closes a cycle (see "Lock order" in {@link KQueueCore}).
 */
public interface Backend extends CallGate.Wait<Backend.WaitContext> {
    /** {@link #checkDescriptor} result: the number names the file its knotes were made for. */
    int DESCRIPTOR_SAME = 0;
    /** {@link #checkDescriptor} result: the number was reused for another file. */
    int DESCRIPTOR_REUSED = -1;
    /**
     * {@link #checkDescriptor} result for {@link #CHANGE_DELETES}: the delete's own system call
     * checks the number; the core asks {@link #checkDeleted} once the knote is dropped.
     */
    int DESCRIPTOR_DEFERRED = -2;
    /** What a change does to the descriptor, for {@link #checkDescriptor}: anything else. */
    int CHANGE_OTHER = 0;
    /** The change attaches the first knote of the number: the attach itself fails with EBADF. */
    int CHANGE_ATTACHES = 1;
    /** The change deletes an existing knote of the number, and nothing else. */
    int CHANGE_DELETES = 2;

    /**
     * The filter with a FreeBSD filter number.
     *
     * @param id an EVFILT_* value
     * @return the filter, or null if the number is not a filter (EINVAL)
     */
    Filter filter(short id);

    /**
     * Checks a descriptor a change names: whether it is open, and whether it still names the
     * file its existing knotes were made for.
     * A backend may answer {@link #DESCRIPTOR_SAME} without a check when the change's own system
     * call reports a closed number ({@link #CHANGE_ATTACHES}), or {@link #DESCRIPTOR_DEFERRED}
     * when it tells a closed or reused number apart ({@link #CHANGE_DELETES}).
     *
     * @param fd the descriptor number
     * @param hasKnotes whether knotes exist for that number
     * @param change {@link #CHANGE_OTHER}, {@link #CHANGE_ATTACHES} or {@link #CHANGE_DELETES}
     * @return {@link #DESCRIPTOR_SAME}, {@link #DESCRIPTOR_REUSED}, {@link #DESCRIPTOR_DEFERRED}
     *         or a host errno (EBADF)
     */
    int checkDescriptor(int fd, boolean hasKnotes, int change);

    /**
     * The check {@link #checkDescriptor} deferred, once the deleted knote is dropped: what the
     * delete's system call said about the number.
     *
     * @param fd the descriptor number
     * @return {@link #DESCRIPTOR_SAME}, {@link #DESCRIPTOR_REUSED} or a host errno (EBADF)
     */
    int checkDeleted(int fd);

    /**
     * Buffers for one wait: each thread inside {@code kevent} holds its own, taken from a pool the
     * core keeps, so concurrent callers never share a harvest.
     */
    interface WaitContext {
    }

    /**
     * A fresh per-call wait context (buffers for one wait).
     *
     * @return the context
     */
    WaitContext newWaitContext();

    /**
     * Waits for OS readiness.
     *
     * @param context a context from {@link #newWaitContext()}
     * @param timeoutNanos 0 to poll, negative to wait forever
     * @return sources harvested, or a negative errno (−EINTR when a signal interrupted the wait)
     */
    int poll(WaitContext context, long timeoutNanos);

    @Override
    default int await(WaitContext context, long timeoutNanos) {
        return poll(context, timeoutNanos);
    }

    /**
     * Turns what {@link #poll} harvested into activations (under the lock).
     *
     * @param context the context
     * @param count the value {@link #poll} returned
     * @return whether the wakeup descriptor was among the sources
     */
    boolean dispatch(WaitContext context, int count);

    /**
     * Work due before a scan, under the lock: expired timers are activated.
     */
    void beforeScan();

    /**
     * Called under the lock after each scan and after each changelist: what the backend learnt
     * about its sources (a descriptor still names its file) holds only until the lock is
     * released.
     */
    void afterScan();

    /**
     * Nanoseconds until the backend must re-check something with no kernel wakeup of its own
     * (EVFILT_EMPTY), or −1.
     *
     * @return the bound on the next wait
     */
    long recheckNanos();

    /**
     * Makes the wakeup descriptor report once more; never called under the lock. Until
     * {@link #levelWakeups} a wakeup is one edge that wakes one waiter and needs no draining; from
     * then on it is level-triggered: readable, waking every waiter, until drained.
     */
    void wakeup();

    /**
     * Switches wakeups to level-triggered for good (under the lock): needed once the descriptor must
     * mirror the queue (it is watched), once every waiter must wake (close), and once an interrupt
     * must reach a waiter other than the one woken first. Idempotent.
     *
     * @return true if this call switched them (the descriptor may be readable now, undrained)
     */
    boolean levelWakeups();

    /** Drains the wakeup descriptor if wakeups are level-triggered (under the lock). */
    void drainWakeup();

    /**
     * The descriptor that polls readable while events are pending.
     *
     * @return the descriptor
     */
    int descriptor();

    /** Releases every descriptor and native resource; called once, after the last waiter left. */
    void close();
}
