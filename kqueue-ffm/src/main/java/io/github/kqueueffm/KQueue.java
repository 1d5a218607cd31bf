package io.github.kqueueffm;

import io.github.kqueueffm.core.EventQueue;
import io.github.kqueueffm.core.NativeMemory;
import io.github.kqueueffm.core.TimerLimit;
import io.github.kqueueffm.platform.Platform;

import java.time.Duration;

/**
 * A kqueue: FreeBSD's kernel event queue, on every OS. Register interest in events with
 * {@code EV_ADD} changes and collect them with the single {@link #kevent} method, exactly as
 * {@code kevent(2)} does.
 *
 * <pre>{@code
 * try (KQueue kq = KQueue.open();
 *      KEventList changes = KEventList.allocate(1);
 *      KEventList events = KEventList.allocate(16)) {
 *     changes.set(0, 42, KEvent.EVFILT_TIMER, KEvent.EV_ADD, 0, 250, 0);   // 250 ms periodic timer
 *     kq.kevent(changes, 1, null, 0, Duration.ZERO);
 *     int n = kq.kevent(null, 0, events, 16, null);                        // wait for it
 *     System.out.println(events.get(0));
 * }
 * }</pre>
 *
 * <p>Any number of threads may call {@code kevent} on one kqueue; each activation goes to
 * exactly one caller. {@link #close()} wakes every blocked caller with EBADF. On Linux the kqueue is
 * emulated over epoll; every observable difference from FreeBSD is listed in BEHAVIOUR.md. Ask
 * {@link #isSupported()} before {@link #open()} where the OS may have no backend.
 */
public final class KQueue implements AutoCloseable {
    /** Default limit on knotes per kqueue (ENOMEM past it). */
    public static final int DEFAULT_MAX_KNOTES = 4_000_000;

    private final EventQueue queue;

    private KQueue(EventQueue queue) {
        this.queue = queue;
    }

    /**
     * Whether kqueue-ffm has a backend for this JVM's operating system and architecture. Never
     * throws: where the answer is false, {@link #open()} throws an
     * {@link UnsupportedOperationException} naming the OS and architecture.
     *
     * @return true if {@link #open()} can succeed here
     */
    public static boolean isSupported() {
        return Platform.isSupported();
    }

    /**
     * {@code kqueue()}: a new kqueue with the default limits. Its descriptors are close-on-exec.
     *
     * @return the kqueue
     * @throws KQueueException EMFILE or ENFILE when no descriptor is left, ENOMEM
     * @throws UnsupportedOperationException naming the OS and architecture when kqueue-ffm has no
     *         backend for them (see {@link #isSupported()})
     */
    public static KQueue open() throws KQueueException {
        return open(DEFAULT_MAX_KNOTES);
    }

    /**
     * A new kqueue holding at most {@code maxKnotes} knotes: the next EV_ADD fails with ENOMEM.
     *
     * @param maxKnotes the limit, at least 1
     * @return the kqueue
     * @throws KQueueException EMFILE or ENFILE when no descriptor is left
     * @throws IllegalArgumentException if {@code maxKnotes} is below 1
     * @throws UnsupportedOperationException when kqueue-ffm has no backend for this OS (see
     *         {@link #isSupported()})
     */
    public static KQueue open(int maxKnotes) throws KQueueException {
        if (maxKnotes < 1) {
            throw new IllegalArgumentException("maxKnotes " + maxKnotes);
        }
        return new KQueue(Platform.services().openKQueue(maxKnotes));
    }

    /**
     * FreeBSD's {@code kqueuex(flags)}: {@code KQUEUE_CLOEXEC} is accepted (every kqueue-ffm
     * descriptor is close-on-exec); any other bit is refused.
     *
     * @param flags {@code KQUEUE_CLOEXEC} or 0
     * @return the kqueue
     * @throws KQueueException EINVAL for unknown bits, or as {@link #open()}
     */
    public static KQueue openx(int flags) throws KQueueException {
        if ((flags & ~KEvent.KQUEUE_CLOEXEC) != 0) {
            throw new KQueueException(Errno.EINVAL, "kqueuex: unknown flags 0x" + Integer.toHexString(flags));
        }
        return open();
    }

    /**
     * {@code kevent(2)}: applies {@code nchanges} changes from {@code changes} in order, then
     * returns up to {@code nevents} events in {@code events}.
     *
     * <p>A change that fails, or that carries EV_RECEIPT, yields an entry with {@code EV_ERROR}
     * and the errno in {@code data} when there is room; the call then returns right after the
     * changelist with the number of such entries. A failing change without room makes the call
     * throw with its errno (earlier changes stay applied). The same list may serve as both.
     *
     * @param changes  the changelist, or null when {@code nchanges} is 0
     * @param nchanges number of changes (EINVAL if negative, EFAULT if more than the list holds)
     * @param events   the eventlist, or null when {@code nevents} is 0
     * @param nevents  room for events (EFAULT if more than the list holds; EINVAL if negative,
     *                 after the changes were applied)
     * @param timeout  null to wait until an event arrives, {@link Duration#ZERO} to poll, or the
     *                 longest wait (EINVAL if negative; more than 2³¹−1 seconds waits forever)
     * @return the number of entries written to {@code events}
     * @throws KQueueException with the errno kevent(2) gives: EBADF on a closed kqueue, EINTR if
     *                         the calling thread is interrupted (its interrupt status stays set),
     *                         and the errors above
     */
    public int kevent(KEventList changes, int nchanges, KEventList events, int nevents, Duration timeout)
            throws KQueueException {
        return queue.kevent(changes, nchanges, events, nevents, timeoutNanos(timeout));
    }

    static long timeoutNanos(Duration timeout) {
        if (timeout == null) {
            return -1;
        }
        if (timeout.isNegative()) {
            return -2;
        }
        if (timeout.getSeconds() > Integer.MAX_VALUE) {
            return -1;
        }
        return timeout.toNanos();
    }

    /**
     * A descriptor that {@code poll(2)} and epoll report readable while this kqueue has events
     * pending, for nesting it in another event loop (or another kqueue, with EVFILT_READ). Do not
     * read, write or close it.
     *
     * @return the descriptor, or −1 once the kqueue is closed (its number may name another file)
     */
    public int descriptor() {
        return queue.pollableDescriptor();
    }

    /**
     * Whether {@link #close()} has not been called yet.
     *
     * @return true while open
     */
    public boolean isOpen() {
        return queue.isOpen();
    }

    /**
     * Closes the kqueue: every knote is removed, every thread blocked in {@link #kevent} returns
     * with EBADF, and once they have left every descriptor and all native memory is released.
     * Idempotent.
     */
    @Override
    public void close() {
        queue.close();
    }

    /**
     * Native memory held by all open kqueues of this process, in bytes (not counting
     * {@link KEventList}s, which their owners free).
     *
     * @return bytes in use
     */
    public static long nativeMemoryInUse() {
        return NativeMemory.inUse();
    }

    /**
     * The process-wide limit on EVFILT_TIMER knotes (FreeBSD's {@code kern.kq_calloutmax}): the
     * EV_ADD past it fails with ENOMEM.
     *
     * @param max the new limit, at least 0
     */
    public static void setMaxTimers(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max " + max);
        }
        TimerLimit.setMax(max);
    }

    /**
     * The process-wide limit on EVFILT_TIMER knotes.
     *
     * @return the limit
     */
    public static int maxTimers() {
        return TimerLimit.max();
    }

    @Override
    public String toString() {
        return "KQueue[" + (isOpen() ? "open" : "closed") + "]";
    }
}
