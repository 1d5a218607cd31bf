package io.github.kqueueffm.bsd;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.bindings.kqueue.PosixCalls;
import io.github.kqueueffm.core.CallGate;
import io.github.kqueueffm.core.EventQueue;
import io.github.kqueueffm.core.NativeMemory;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A kqueue of the host's own: each {@code kevent} goes straight to the native call, with our
 * FreeBSD-valued records passed as they are on a FreeBSD-layout host and translated through the
 * host's {@link KeventAbi} elsewhere. The native kernel does everything a kqueue does; this class
 * adds what native {@code kevent} lacks for Java callers, through the shared {@link CallGate}:
 * {@code close()} wakes every blocked caller with EBADF, {@link Thread#interrupt()} ends a blocked
 * call with EINTR (the interrupt status kept), and a virtual thread parks instead of pinning its
 * carrier — through the host's {@link io.github.kqueueffm.core.Parker} when the kqueue descriptor
 * polls readable (BSD kernels), else by handing its blocking call to an {@link Offload} thread
 * (libkqueue).
 *
 * <p>Waking: a {@link WakePipe}'s read end sits in the native kqueue (EVFILT_READ). Closing the
 * kqueue, or interrupting a thread in it, writes one byte, which makes every waiter's native call
 * return; the pipe's record is left out of the caller's events. The byte is read again, under the
 * lock, by a caller leaving while no other caller waits; while the kqueue closes it is never read,
 * so every waiter returns and fails with EBADF.
 *
 * <p>A call holds the lock only to enter and leave the gate and around the gate's wait; the native
 * call itself runs without it, so callers on one kqueue run in parallel as they do in the kernel.
 *
 * <p><b>Polls without the lock.</b> A call that cannot wait (a zero timeout, or no room for events)
 * needs none of the gate's waiting machinery, only the guarantee that {@code close()} does not
 * release the descriptor and buffers under it. It takes the kqueue's one {@code spare}
 * {@link NativeCall} with one atomic swap, then reads {@code closing} (EBADF if set), and puts the
 * call back when done; {@code close()} sets {@code closing} before its release waits for the spare
 * to be back. Both are sequentially consistent, so either the poller sees the kqueue closing or
 * the release sees the spare missing and waits for it (a poll never blocks, nor takes the lock while
 * it holds the spare). {@code spare} is:
 * <pre>
 *   a call   no poller inside: the next one takes it
 *   null     a poller is inside; others take the locked path through the gate
 * </pre>
 */
public final class NativeKQueue implements EventQueue, CallGate.Wait<NativeCall> {
    private final ReentrantLock lock = new ReentrantLock();
    private final NativePlatform platform;
    private final KeventTranslator translator;
    private final int kq;
    private final WakePipe wake;
    private final NativeMemory memory;
    private final CallGate gate;
    private final ArrayDeque<NativeCall> calls = new ArrayDeque<>(); // guarded by lock
    /** See "Polls without the lock" in the class comment. */
    private final AtomicReference<NativeCall> spare = new AtomicReference<>();
    private final AtomicBoolean released = new AtomicBoolean();
    private final int ebadf;
    private final int eintr;
    private final int efault;

    private NativeKQueue(NativePlatform platform, int kq, WakePipe wake, NativeMemory memory) {
        this.platform = platform;
        this.translator = platform.translator();
        this.kq = kq;
        this.wake = wake;
        this.memory = memory;
        this.gate = new CallGate(lock, wake::wake, platform.parker());
        this.ebadf = platform.errnoNumber("EBADF");
        this.eintr = platform.errnoNumber("EINTR");
        this.efault = platform.errnoNumber("EFAULT");
        this.spare.set(new NativeCall(this, memory, translator));
    }

    /**
     * {@code kqueue()} on the host, with its wakeup pipe registered.
     *
     * @param platform the host
     * @return the kqueue
     * @throws KQueueException EMFILE, ENFILE, ENOMEM as the host reports them
     */
    static NativeKQueue open(NativePlatform platform) throws KQueueException {
        NativeMemory memory = new NativeMemory();
        int kq = -1;
        WakePipe wake = null;
        boolean success = false;
        try {
            kq = platform.calls().kqueue();
            if (kq < 0) {
                throw new KQueueException(-kq, "kqueue");
            }
            PosixCalls.fcntl(kq, PosixCalls.F_SETFD, PosixCalls.FD_CLOEXEC);
            wake = WakePipe.open(memory);
            MemorySegment change = memory.allocate(platform.translator().recordSize(), 8);
            platform.translator().put(change, 0, wake.readFd(), KEvent.EVFILT_READ, KEvent.EV_ADD, 0, 0, 0);
            int rc = platform.calls().keventNow(kq, change, 1, MemorySegment.NULL, 0, MemorySegment.NULL);
            if (rc < 0) {
                throw new KQueueException(-rc, "kqueue: registering the wakeup pipe");
            }
            NativeKQueue queue = new NativeKQueue(platform, kq, wake, memory);
            platform.opened();
            success = true;
            return queue;
        } finally {
            if (!success) {
                if (wake != null) {
                    wake.close();
                }
                if (kq >= 0) {
                    PosixCalls.close(kq);
                }
                memory.close();
            }
        }
    }

    @Override
    public int kevent(KEventList changes, int nchanges, KEventList events, int nevents, long timeoutNanos)
            throws KQueueException {
        if (timeoutNanos == 0 || nevents <= 0) {
            NativeCall call = spare.getAndSet(null);
            if (call != null) {
                return poll(call, changes, nchanges, events, nevents, timeoutNanos);
            }
        }
        gate.checkArguments(changes, nchanges, events, nevents);
        NativeCall call = enter();
        try {
            return keventEntered(call, changes, nchanges, events, nevents, timeoutNanos);
        } catch (IllegalStateException | WrongThreadException e) {
            throw efault(e, changes, events);
        } finally {
            leave(call);
        }
    }

    /** A call that cannot wait, with the spare call (see the class comment): no lock, no gate count. */
    private int poll(NativeCall call, KEventList changes, int nchanges, KEventList events, int nevents,
            long timeoutNanos) throws KQueueException {
        boolean sawWake = false;
        try {
            gate.checkArguments(changes, nchanges, events, nevents); // after taking the spare: EBADF once closing
            call.prepare(changes, nchanges, events, nevents, timeoutNanos);
            int rc = call.invoke(0);
            if (rc < 0) {
                call.keepWritten(changes, nchanges, events);
                throw new KQueueException(-rc, "kevent");
            }
            int n = call.finish(rc, wake.readFd(), changes, nchanges, events);
            sawWake = call.sawWake;
            return n;
        } catch (IllegalStateException | WrongThreadException e) {
            throw efault(e, changes, events);
        } finally {
            call.clear();
            spare.setRelease(call); // the native call and buffer use happen-before release() sees it back
            if (sawWake && wake.signalled()) {
                drainIfAlone();
            }
        }
    }

    /** EFAULT if a list's memory went away during the call, else the exception itself (a bug here). */
    private RuntimeException efault(RuntimeException e, KEventList changes, KEventList events) throws KQueueException {
        if (CallGate.usable(changes) && CallGate.usable(events)) {
            return e; // not the caller's memory: never reported as EFAULT
        }
        throw new KQueueException(efault, "kevent: a KEventList's memory went away during the call");
    }

    private NativeCall enter() throws KQueueException {
        lock.lock();
        try {
            gate.enter();
            return calls.isEmpty() ? new NativeCall(this, memory, translator) : calls.pop();
        } finally {
            lock.unlock();
        }
    }

    /** Gives the call back; the last caller out reads a pending wakeup byte (see the class comment). */
    private void leave(NativeCall call) {
        call.clear();
        lock.lock();
        try {
            calls.push(call);
            gate.leave();
            if (gate.isOpen() && gate.parked() == 0 && wake.signalled()) {
                wake.drain();
            }
        } finally {
            lock.unlock();
        }
    }

    private int keventEntered(NativeCall call, KEventList changes, int nchanges, KEventList events, int nevents,
            long timeoutNanos) throws KQueueException {
        call.prepare(changes, nchanges, events, nevents, timeoutNanos);
        // every call that may wait goes through the gate, a negative timeout too: the host decides
        boolean waits = timeoutNanos != 0 && nevents > 0;
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        while (true) {
            long wait = !waits ? 0 : timeoutNanos < 0 ? -1 : Math.max(0, deadline - System.nanoTime());
            int rc = wait == 0 ? call.invoke(0) : block(call, wait);
            if (rc < 0) {
                if (rc == -eintr && waits && !Thread.currentThread().isInterrupted()) {
                    continue; // a signal, not an interrupt: resume with the time left (changes are applied)
                }
                call.keepWritten(changes, nchanges, events);
                throw new KQueueException(-rc, "kevent");
            }
            int n = call.finish(rc, wake.readFd(), changes, nchanges, events);
            if (n > 0 || !waits) {
                return n;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new KQueueException(eintr, "kevent: thread interrupted");
            }
            if (timeoutNanos > 0 && System.nanoTime() - deadline >= 0) {
                return 0;
            }
            if (call.sawWake) {
                drainIfAlone();
            }
        }
    }

    /** One wait through the gate (unlocked inside it); EBADF if the kqueue began closing meanwhile. */
    private int block(NativeCall call, long waitNanos) throws KQueueException {
        lock.lock();
        try {
            int rc = gate.block(this, call, waitNanos, kq);
            if (!gate.isOpen()) {
                throw new KQueueException(ebadf, "kevent: kqueue closed while waiting");
            }
            return rc;
        } finally {
            lock.unlock();
        }
    }

    private void drainIfAlone() {
        lock.lock();
        try {
            if (gate.isOpen() && gate.parked() == 0) {
                wake.drain();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The gate's wait: the native call, on this thread or, for a virtual thread, an offload thread's. */
    @Override
    public int await(NativeCall call, long timeoutNanos) {
        Offload offload = platform.offload();
        if (timeoutNanos != 0 && offload != null && Thread.currentThread().isVirtual()) {
            return offload.run(call, timeoutNanos);
        }
        return call.invoke(timeoutNanos);
    }

    /** The native {@code kevent} on this kqueue's descriptor. */
    int nativeKevent(MemorySegment changes, int nchanges, MemorySegment events, int nevents, MemorySegment timeout,
            boolean now) {
        return now ? platform.calls().keventNow(kq, changes, nchanges, events, nevents, timeout)
                : platform.calls().kevent(kq, changes, nchanges, events, nevents, timeout);
    }

    @Override
    public int pollableDescriptor() {
        return isOpen() ? kq : -1;
    }

    @Override
    public boolean isOpen() {
        return gate.isOpenNow();
    }

    @Override
    public void close() {
        gate.close(this::release);
        if (released.compareAndSet(true, false)) {
            platform.closed(); // outside the lock: may stop helper threads
        }
    }

    /** Under the lock, once no caller is left: the kqueue's descriptors and memory. */
    private void release() {
        assert lock.isHeldByCurrentThread();
        while (spare.get() == null) {
            Thread.onSpinWait(); // a poll in flight: it never waits nor takes the lock
        }
        PosixCalls.close(kq);
        wake.close();
        memory.close();
        released.set(true);
    }

    @Override
    public String toString() {
        return "NativeKQueue[" + kq + ", " + translator.abi().name() + "]";
    }
}
