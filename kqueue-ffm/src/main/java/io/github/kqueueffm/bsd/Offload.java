package io.github.kqueueffm.bsd;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps virtual threads from pinning their carriers where no descriptor tells when a kqueue has
 * events (libkqueue: its kqueue descriptor is the write end of a pipe): a virtual thread's
 * blocking {@code kevent} runs on a daemon platform thread while the virtual thread parks until it
 * returns. An interrupt or {@code close()} ends that native call through the kqueue's wakeup pipe,
 * as for any caller. One worker per virtual thread blocked at the same moment; idle workers wait
 * for the next call, end after {@value #IDLE_SECONDS} s without one, and end at once when the
 * platform's last kqueue closes ({@link #stopIdle()}).
 *
 * <p>A call allocates nothing once a worker is idle: the call's own {@link NativeCall} carries the
 * timeout, the result and the thread to unpark.
 */
final class Offload {
    private static final long IDLE_SECONDS = 30;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Worker> idle = new ArrayDeque<>(); // guarded by lock
    private int started;                                          // guarded by lock

    /**
     * Runs {@code call.invoke(timeoutNanos)} on a worker and parks the calling (virtual) thread
     * until it returns. An interrupt does not end the park early: the caller's interrupt hook has
     * woken the native call, whose buffers the worker uses until it returns. The interrupt status
     * is kept.
     *
     * @param call the call
     * @param timeoutNanos −1 or a positive timeout
     * @return the native call's result
     */
    int run(NativeCall call, long timeoutNanos) {
        call.done = false;
        call.waiter = Thread.currentThread();
        take().assign(call, timeoutNanos);
        boolean interrupted = false;
        while (!call.done) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return call.result;
    }

    private Worker take() {
        lock.lock();
        try {
            Worker w = idle.pollFirst();
            if (w == null) {
                w = new Worker(this, ++started);
            }
            return w;
        } finally {
            lock.unlock();
        }
    }

    /** Back to the idle list; false if the worker should end instead. */
    private boolean returned(Worker w) {
        lock.lock();
        try {
            if (w.exit) {
                return false;
            }
            idle.addFirst(w); // most recently used first: the others time out
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a worker that waited {@value #IDLE_SECONDS} s may end (it is then off the list). */
    private boolean retire(Worker w) {
        lock.lock();
        try {
            return idle.remove(w);
        } finally {
            lock.unlock();
        }
    }

    /** Ends every idle worker (no kqueue is open, so none is busy). */
    void stopIdle() {
        lock.lock();
        try {
            for (Worker w : idle) {
                w.exit = true;
                LockSupport.unpark(w.thread);
            }
            idle.clear();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Idle workers (for tests).
     *
     * @return how many wait for a call
     */
    int idleWorkers() {
        lock.lock();
        try {
            return idle.size();
        } finally {
            lock.unlock();
        }
    }

    /** One platform thread that runs blocking native calls for virtual threads. */
    private static final class Worker {
        private final Offload pool;
        private final Thread thread;
        private volatile NativeCall task;
        private volatile long timeoutNanos;
        private volatile boolean exit;

        Worker(Offload pool, int number) {
            this.pool = pool;
            this.thread = Thread.ofPlatform().daemon().name("kqueue-ffm-kevent-offload-" + number)
                    .unstarted(this::run);
        }

        void assign(NativeCall call, long timeout) {
            timeoutNanos = timeout;
            task = call;
            if (thread.getState() == Thread.State.NEW) {
                thread.start();
            } else {
                LockSupport.unpark(thread);
            }
        }

        private void run() {
            while (true) {
                NativeCall call = task;
                if (call == null) {
                    if (exit) {
                        return;
                    }
                    long before = System.nanoTime();
                    LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(IDLE_SECONDS));
                    if (task == null && !exit
                            && System.nanoTime() - before >= TimeUnit.SECONDS.toNanos(IDLE_SECONDS)
                            && pool.retire(this)) {
                        return;
                    }
                    continue;
                }
                task = null;
                call.result = call.invoke(timeoutNanos);
                Thread waiter = call.waiter;
                call.done = true;
                LockSupport.unpark(waiter);
                if (!pool.returned(this)) {
                    return;
                }
            }
        }
    }
}
