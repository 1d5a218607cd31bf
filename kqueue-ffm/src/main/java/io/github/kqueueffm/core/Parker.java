package io.github.kqueueffm.core;

/**
 * How a virtual thread waits for a kqueue without pinning its carrier: FFM has no managed-blocking
 * hook, so a downcall that blocks holds the carrier for the whole wait. A platform supplies one
 * parker that watches descriptors for many kqueues on one platform thread and unparks the waiter.
 */
@FunctionalInterface
public interface Parker {
    /**
     * Parks the calling virtual thread until {@code fd} polls readable, the timeout passes, or the
     * thread is interrupted. Never called under a kqueue's lock.
     *
     * @param fd the descriptor that polls readable while the kqueue has something to collect
     * @param timeoutNanos −1 to wait without limit, else nanoseconds (&gt; 0)
     * @return true if it parked (the caller then polls), false if it cannot park now (the caller
     *         then blocks in the downcall after all)
     */
    boolean awaitReadable(int fd, long timeoutNanos);
}
