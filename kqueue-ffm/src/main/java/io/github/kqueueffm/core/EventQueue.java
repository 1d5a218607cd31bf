package io.github.kqueueffm.core;

import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueueException;

/**
 * The seam behind {@code KQueue}: one kqueue, however it is made. The emulation
 * ({@link KQueueCore} over a {@link Backend}) is one implementation; a passthrough to a native
 * {@code kevent} is another. Both pass every call through a {@link CallGate}, so closing, EBADF,
 * interrupts and virtual threads behave the same whatever is behind the seam.
 */
public interface EventQueue {
    /**
     * {@code kevent(2)} with {@code KQueue}'s contract.
     *
     * @param changes the changelist (may be null when nchanges is 0)
     * @param nchanges number of changes
     * @param events the eventlist (may be null when nevents is 0)
     * @param nevents room for events
     * @param timeoutNanos −1 to wait forever, ≥ 0 nanoseconds, or −2 for an invalid timeout
     * @return the number of entries written
     * @throws KQueueException with the errno kevent(2) would set
     */
    int kevent(KEventList changes, int nchanges, KEventList events, int nevents, long timeoutNanos)
            throws KQueueException;

    /**
     * The descriptor that polls readable while events are pending, and from this call on tracks
     * the queue (a kqueue nested in another event loop).
     *
     * @return the descriptor, or −1 once closed
     */
    int pollableDescriptor();

    /**
     * Whether {@link #close()} has not been called.
     *
     * @return true while open
     */
    boolean isOpen();

    /** Closes: blocked callers return with EBADF, then everything is released. Idempotent. */
    void close();
}
