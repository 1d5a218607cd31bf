package io.github.kqueueffm.properties.robustness;

import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One {@code kevent} call run on its own thread and bounded in time, optionally disturbed by an
 * {@code interrupt()} of the calling thread or a {@code close()} of the kqueue from another thread
 * after a delay. When the call has not returned within its limit the harness interrupts the
 * thread, then closes the kqueue, and reports a hang.
 */
final class KeventCall {
    /** What the harness does to a call in progress. */
    enum Action {
        NONE, INTERRUPT, CLOSE
    }

    /**
     * What happened.
     *
     * @param n             the return value when the call returned
     * @param kx            the KQueueException it threw, or null
     * @param other         any other Throwable it threw, or null
     * @param statusAfter   the calling thread's interrupt status right after the call
     * @param actionDone    whether the action was performed while the call was in progress
     * @param hang          null, or what hung or failed around the call (close() included)
     * @param nanos         the call's duration
     */
    record Outcome(int n, KQueueException kx, Throwable other, boolean statusAfter, boolean actionDone,
                   String hang, long nanos) {
        boolean returned() {
            return kx == null && other == null && hang == null;
        }

        @Override
        public String toString() {
            String what = hang != null ? "HANG " + hang
                    : other != null ? "threw " + other
                    : kx != null ? "KQueueException " + kx.errno() + " (" + kx.getMessage() + ")"
                    : "returned " + n;
            return what + (actionDone ? " [action performed]" : "") + " in " + (nanos / 1000) + " µs";
        }
    }

    private KeventCall() {
    }

    /**
     * Runs {@code kq.kevent(changes, nchanges, events, nevents, timeout)}.
     *
     * @param action       what to do to the call after {@code delayMicros} if it is still running
     * @param limitMillis  how long the call may take in all before it counts as a hang
     */
    static Outcome run(KQueue kq, KEventList changes, int nchanges, KEventList events, int nevents,
                       Duration timeout, Action action, long delayMicros, long limitMillis)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        int[] n = {Integer.MIN_VALUE};
        KQueueException[] kx = {null};
        Throwable[] other = {null};
        boolean[] status = {false};
        long[] nanos = {0};
        Thread caller = Thread.ofPlatform().daemon().name("robust-kevent").unstarted(() -> {
            long t0 = System.nanoTime();
            try {
                n[0] = kq.kevent(changes, nchanges, events, nevents, timeout);
            } catch (KQueueException e) {
                kx[0] = e;
            } catch (Throwable e) {
                other[0] = e;
            } finally {
                nanos[0] = System.nanoTime() - t0;
                status[0] = Thread.currentThread().isInterrupted();
                done.countDown();
            }
        });
        caller.start();
        boolean actionDone = false;
        String hang = null;
        if (action != Action.NONE && !done.await(delayMicros, TimeUnit.MICROSECONDS)) {
            actionDone = true;
            if (action == Action.INTERRUPT) {
                caller.interrupt();
            } else {
                String problem = Robust.close(kq, limitMillis);
                if (problem != null) {
                    hang = "during kevent: " + problem + "; kevent " + Robust.stackOf(caller);
                }
            }
        }
        if (hang == null && !done.await(limitMillis, TimeUnit.MILLISECONDS)) {
            hang = "kevent did not return within " + limitMillis + " ms " + Robust.stackOf(caller);
        }
        if (hang != null) {
            caller.interrupt();
            if (!done.await(1, TimeUnit.SECONDS)) {
                Robust.close(kq, 1000);
                done.await(1, TimeUnit.SECONDS);
            }
        }
        caller.join(1000);
        return new Outcome(n[0], kx[0], other[0], status[0], actionDone, hang, nanos[0]);
    }
}
