package io.github.kqueueffm.bsd;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.bindings.kqueue.KqueueCalls;
import io.github.kqueueffm.bindings.kqueue.PosixCalls;
import io.github.kqueueffm.core.Parker;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Parks virtual threads waiting in native kqueues whose descriptors poll readable (every BSD and
 * macOS kernel): one daemon platform thread waits in a relay kqueue holding an EVFILT_READ knote
 * (EV_ONESHOT, re-armed by each waiter) on the descriptor of every kqueue with parked virtual
 * waiters, and unparks them when it fires. A kqueue watching a kqueue is the kernel's own nesting;
 * the relay adds no knote to the watched kqueue. The thread starts on first use and is stopped by
 * {@link #stop()} when the platform's last kqueue closes.
 *
 * <p>Nothing here depends on what the watched descriptor is, so the tests run this relay against
 * libkqueue with a pipe standing in for a kqueue descriptor (libkqueue's own kqueue descriptor
 * never polls readable, so on Linux the {@link Offload} is used instead).
 */
final class KqueueRelay implements Parker {
    /** udata of the stop pipe's knote. */
    private static final long STOP = -1;
    private static final int BATCH = 16;

    private final KqueueCalls calls;
    private final KeventTranslator translator;
    private final int eintr;
    private final ConcurrentHashMap<Integer, Set<Thread>> waiters = new ConcurrentHashMap<>();
    private Running running; // guarded by this

    KqueueRelay(KqueueCalls calls, KeventTranslator translator, int eintr) {
        this.calls = calls;
        this.translator = translator;
        this.eintr = eintr;
    }

    @Override
    public boolean awaitReadable(int fd, long timeoutNanos) {
        Running relay = running();
        if (relay == null) {
            return false;
        }
        Thread me = Thread.currentThread();
        Set<Thread> set = waiters.computeIfAbsent(fd, k -> ConcurrentHashMap.newKeySet());
        set.add(me);
        try {
            if (!relay.arm(fd)) {
                return false;
            }
            if (timeoutNanos < 0) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, timeoutNanos);
            }
            return true;
        } finally {
            set.remove(me);
        }
    }

    /** The running relay, started on first use; null if its descriptors cannot be had. */
    private synchronized Running running() {
        if (running == null) {
            running = Running.start(this);
        }
        return running;
    }

    /** Stops the relay thread and releases its kqueue; a later wait starts a new one. */
    void stop() {
        Running stop;
        synchronized (this) {
            stop = running;
            running = null;
        }
        if (stop != null) {
            stop.stop();
        }
    }

    /** Whether a relay thread runs (for tests). */
    synchronized boolean isRunning() {
        return running != null;
    }

    private void wake(long fd) {
        Set<Thread> set = waiters.get((int) fd);
        if (set != null) {
            set.forEach(LockSupport::unpark);
        }
    }

    /** One relay kqueue and its thread. */
    private static final class Running {
        private final KqueueRelay relay;
        private final int kq;
        private final int stopRead;
        private final int stopWrite;
        private final Arena arena = Arena.ofShared();
        private final MemorySegment change;
        private final MemorySegment zero;
        private final Thread thread;

        private Running(KqueueRelay relay, int kq, int stopRead, int stopWrite) {
            this.relay = relay;
            this.kq = kq;
            this.stopRead = stopRead;
            this.stopWrite = stopWrite;
            this.change = arena.allocate(relay.translator.recordSize(), 8);
            this.zero = arena.allocate(KqueueCalls.TIMESPEC);
            this.thread = Thread.ofPlatform().daemon().name("kqueue-ffm-virtual-thread-relay").unstarted(this::run);
        }

        static Running start(KqueueRelay relay) {
            int kq = relay.calls.kqueue();
            if (kq < 0) {
                return null;
            }
            MemorySegment fds = Arena.ofAuto().allocate(ValueLayout.JAVA_INT, 2);
            if (PosixCalls.cloexecPipe(fds) < 0) {
                PosixCalls.close(kq);
                return null;
            }
            PosixCalls.fcntl(kq, PosixCalls.F_SETFD, PosixCalls.FD_CLOEXEC);
            Running running = new Running(relay, kq, fds.getAtIndex(ValueLayout.JAVA_INT, 0),
                    fds.getAtIndex(ValueLayout.JAVA_INT, 1));
            if (running.add(running.stopRead, KEvent.EV_ADD, STOP) < 0) {
                running.release();
                return null;
            }
            running.thread.start();
            return running;
        }

        /** (Re-)arms the one-shot knote for a watched descriptor. */
        boolean arm(int fd) {
            return add(fd, KEvent.EV_ADD | KEvent.EV_ONESHOT, fd) >= 0;
        }

        private synchronized int add(int fd, int flags, long udata) {
            relay.translator.put(change, 0, fd, KEvent.EVFILT_READ, flags, 0, 0, udata);
            return relay.calls.keventNow(kq, change, 1, MemorySegment.NULL, 0, zero);
        }

        private void run() {
            try (Arena local = Arena.ofConfined()) {
                MemorySegment events = local.allocate(relay.translator.recordSize() * BATCH, 8);
                while (true) {
                    int n = relay.calls.kevent(kq, MemorySegment.NULL, 0, events, BATCH, MemorySegment.NULL);
                    if (n < 0 && n != -relay.eintr) {
                        return; // the relay kqueue is gone: waiters fall back to their timeouts
                    }
                    for (int i = 0; i < n; i++) {
                        long udata = relay.translator.udata(events, i);
                        if (udata == STOP) {
                            return;
                        }
                        relay.wake(udata);
                    }
                }
            }
        }

        /** Wakes the thread through the stop pipe, waits for it to leave, then releases everything. */
        void stop() {
            MemorySegment one = arena.allocate(1);
            PosixCalls.write(stopWrite, one, 1);
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release();
        }

        private void release() {
            PosixCalls.close(kq);
            PosixCalls.close(stopRead);
            PosixCalls.close(stopWrite);
            if (!thread.isAlive()) {
                arena.close(); // only once nothing can use its segments
            }
        }
    }
}
