package io.github.kqueueffm.bsd;

import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.bindings.kqueue.KqueueCalls;
import io.github.kqueueffm.core.NativeMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The buffers of one {@code kevent} call on a native kqueue: each caller holds one, taken from
 * the kqueue's pool, so concurrent callers never share them and a call allocates nothing once the
 * buffers have grown to its lists' sizes. On a FreeBSD-layout host the caller's own segments are
 * passed; elsewhere the changes are translated into {@code hostChanges} before the first native
 * call and the events out of {@code hostEvents} after the last.
 *
 * <p>Fields are used by the thread that holds the call, and by an offload worker while that thread
 * is parked waiting for it ({@code done} hands them over and back).
 */
final class NativeCall {
    private final NativeKQueue owner;
    private final NativeMemory memory;
    private final KeventTranslator translator;
    /** One {@code struct timespec}, for waits. */
    private final MemorySegment timespec;
    /** A zero {@code struct timespec}, for polls; never written after it is allocated. */
    private final MemorySegment zero;
    private MemorySegment changeBuffer = MemorySegment.NULL;
    private MemorySegment eventBuffer = MemorySegment.NULL;
    private int changeRoom;
    private int eventRoom;

    // one call's arguments, set by prepare()
    /** The caller's timeout was negative: every native call of this kevent passes it on. */
    private boolean negativeTimeout;
    MemorySegment changes;
    int pendingChanges;
    MemorySegment events;
    int nevents;

    // offload hand-over (see Offload)
    volatile boolean done;
    volatile int result;
    Thread waiter;

    NativeCall(NativeKQueue owner, NativeMemory memory, KeventTranslator translator) {
        this.owner = owner;
        this.memory = memory;
        this.translator = translator;
        this.timespec = memory.allocate(KqueueCalls.TIMESPEC.byteSize(), 8);
        this.zero = memory.allocate(KqueueCalls.TIMESPEC.byteSize(), 8);
    }

    /**
     * Sets up one call: the changes to apply with the first native call, and where events go.
     *
     * @param from the caller's changelist
     * @param nchanges changes to apply (≥ 0)
     * @param to the caller's eventlist
     * @param room room for events (may be negative: the host refuses it)
     * @param timeoutNanos the call's timeout (−2: negative)
     */
    void prepare(KEventList from, int nchanges, KEventList to, int room, long timeoutNanos) {
        negativeTimeout = timeoutNanos < -1;
        pendingChanges = nchanges;
        nevents = room;
        if (translator.identity()) {
            changes = nchanges > 0 ? from.segment() : MemorySegment.NULL;
            events = room > 0 ? to.segment() : MemorySegment.NULL;
            return;
        }
        if (nchanges > 0) {
            if (nchanges > changeRoom) {
                changeRoom = grow(nchanges);
                changeBuffer = memory.allocate(changeRoom * translator.recordSize(), 8);
            }
            translator.toHost(from, nchanges, changeBuffer);
            changes = changeBuffer;
        } else {
            changes = MemorySegment.NULL;
        }
        if (room > 0) {
            if (room > eventRoom) {
                eventRoom = grow(room);
                eventBuffer = memory.allocate(eventRoom * translator.recordSize(), 8);
            }
            events = eventBuffer;
            // a failing call may leave EV_ERROR entries behind (see keepWritten): mark the slots
            for (int i = 0, end = Math.min(nchanges, room); i < end; i++) {
                translator.clearFlags(eventBuffer, i);
            }
        } else {
            events = MemorySegment.NULL;
        }
    }

    private static int grow(int needed) {
        return Math.max(needed, 16);
    }

    /**
     * One native {@code kevent}: applies the pending changes (only once: later calls of the same
     * {@code kevent} pass none) and collects into the host eventlist. A negative timeout of the
     * caller is passed on as it is, whatever this wait's bound: the host answers it (FreeBSD with
     * EINVAL; a host that waits instead is interrupted and closed like any waiter).
     *
     * @param timeoutNanos 0 to poll, −1 to wait without limit, else nanoseconds
     * @return records written to the host eventlist, or −errno
     */
    int invoke(long timeoutNanos) {
        MemorySegment timeout = negativeTimeout ? timespec(-1)
                : timeoutNanos == 0 ? zero : timeoutNanos == -1 ? MemorySegment.NULL : timespec(timeoutNanos);
        int nchanges = pendingChanges;
        pendingChanges = 0;
        // only a call that cannot wait is linked critical: a critical call holds off safepoints
        boolean now = !negativeTimeout && (timeoutNanos == 0 || nevents == 0);
        return owner.nativeKevent(changes, nchanges, events, nevents, timeout, now);
    }

    private MemorySegment timespec(long nanos) {
        if (nanos < 0) {
            timespec.set(ValueLayout.JAVA_LONG, 0, -1L); // the host's EINVAL for a negative timeout
            timespec.set(ValueLayout.JAVA_LONG, 8, 0L);
        } else {
            timespec.set(ValueLayout.JAVA_LONG, 0, nanos / 1_000_000_000L);
            timespec.set(ValueLayout.JAVA_LONG, 8, nanos % 1_000_000_000L);
        }
        return timespec;
    }

    /**
     * Turns what the host wrote into the caller's events: the internal wakeup's record is left
     * out and, on a translating host, records are copied back as FreeBSD's.
     *
     * @param written records the host wrote
     * @param wakeFd the wakeup's descriptor
     * @param from the caller's changelist (for EV_ERROR entries)
     * @param nchanges its length
     * @param to the caller's eventlist
     * @return entries for the caller; {@code sawWake} tells whether the wakeup was among them
     */
    int finish(int written, int wakeFd, KEventList from, int nchanges, KEventList to) {
        sawWake = false;
        if (translator.identity()) {
            return compact(written, wakeFd);
        }
        int n = translator.fromHost(events, 0, written, wakeFd, from, nchanges, to);
        sawWake = n < written;
        return n;
    }

    /** Whether the last {@link #finish} left out the wakeup's record. */
    boolean sawWake;

    /**
     * After a native call failed: the EV_ERROR entries it wrote for the changes before the one
     * that failed without room stay written, as the host leaves them in a caller's own list
     * (FreeBSD's {@code kqueue_kevent}); on a translating host they are copied back.
     *
     * @param from the caller's changelist
     * @param nchanges its length
     * @param to the caller's eventlist
     */
    void keepWritten(KEventList from, int nchanges, KEventList to) {
        if (translator.identity() || nchanges <= 0 || nevents <= 0) {
            return;
        }
        int written = 0;
        int end = Math.min(nchanges, nevents);
        while (written < end && translator.isError(events, written)) {
            written++;
        }
        translator.fromHost(events, 0, written, -1, from, nchanges, to);
    }

    /** Removes the wakeup's record from the caller's own list (FreeBSD layout). */
    private int compact(int written, int wakeFd) {
        int n = 0;
        long size = translator.recordSize();
        for (int i = 0; i < written; i++) {
            if (translator.isReadReport(events, i, wakeFd)) {
                sawWake = true;
                continue;
            }
            if (n != i) {
                MemorySegment.copy(events, i * size, events, n * size, size);
            }
            n++;
        }
        return n;
    }

    /** Forgets the caller's segments before the call goes back to the pool. */
    void clear() {
        changes = MemorySegment.NULL;
        events = MemorySegment.NULL;
        waiter = null;
    }
}
