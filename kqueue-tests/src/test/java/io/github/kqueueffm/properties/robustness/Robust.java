package io.github.kqueueffm.properties.robustness;

import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.tests.support.HostOs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Shared plumbing of the robustness properties: the seed, the CI/stress budgets, the one summary
 * line each property prints, resource snapshots (descriptors, threads, the library's native-memory
 * counter) and bounded execution (every call that could hang runs on its own thread and is joined
 * with a timeout).
 */
final class Robust {
    /** The default seed; {@code -Dkqueue.seed=S} overrides it. */
    static final long DEFAULT_SEED = 0x6B71_7565_7565_4646L;

    private Robust() {
    }

    /** @return the seed of every property in this package */
    static long seed() {
        return Long.getLong("kqueue.seed", DEFAULT_SEED);
    }

    /** @return whether the stress budgets apply ({@code -Pstress} sets {@code kqueue.stress=true}) */
    static boolean stress() {
        return Boolean.getBoolean("kqueue.stress");
    }

    /** @return {@code ci} normally, {@code stress} under {@code -Pstress} */
    static int budget(int ci, int stress) {
        return stress() ? stress : ci;
    }

    /** Prints the one summary line of a property run. */
    static void summary(String name, long sequences, long divergences, long seed) {
        System.out.println("property " + name + ": " + sequences + " sequences, " + divergences
                + " divergences, seed " + seed);
        System.out.flush();
    }

    // ------------------------------------------------------------------ bounded execution

    /** A piece of work that may throw anything. */
    @FunctionalInterface
    interface Work {
        void run() throws Throwable;
    }

    /**
     * Runs {@code work} on a new daemon thread and waits at most {@code millis} for it.
     *
     * @return the thread if it is still running after the wait (a hang), else null
     */
    static Thread runBounded(String name, long millis, Work work) throws InterruptedException {
        Thread t = Thread.ofPlatform().daemon().name(name).unstarted(() -> {
            try {
                work.run();
            } catch (Throwable ignored) {
                // callers record what they need inside work
            }
        });
        t.start();
        t.join(millis);
        return t.isAlive() ? t : null;
    }

    /** Joins every thread with a shared deadline; fails naming the ones still alive. */
    static void joinAll(List<Thread> threads, long millis, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        List<String> alive = new ArrayList<>();
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            if (t.isAlive()) {
                alive.add(t.getName() + " " + stackOf(t));
            }
        }
        if (!alive.isEmpty()) {
            fail(what + ": threads still running after " + millis + " ms (hang): " + alive);
        }
    }

    static String stackOf(Thread t) {
        StringBuilder sb = new StringBuilder("[");
        for (StackTraceElement e : t.getStackTrace()) {
            sb.append("\n    at ").append(e);
        }
        return sb.append(']').toString();
    }

    /**
     * Closes a kqueue on another thread, bounded in time.
     *
     * @return null when close() returned normally, else what went wrong
     */
    static String close(KQueue kq, long millis) throws InterruptedException {
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        Thread closer = runBounded("robust-close", millis, () -> {
            try {
                kq.close();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        if (closer != null) {
            return "close() did not return within " + millis + " ms " + stackOf(closer);
        }
        Throwable e = thrown.get();
        if (e == null) {
            return null;
        }
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return "close() threw " + w;
    }

    // ------------------------------------------------------------------ resource snapshots

    /**
     * Descriptors (number → link target), live threads and the library's native-memory counter at
     * one moment.
     */
    record Snapshot(Map<Integer, String> fds, Set<Thread> threads, long nativeBytes) {
        static Snapshot take() {
            return new Snapshot(descriptors(), liveThreads(), KQueue.nativeMemoryInUse());
        }

        /** What differs from {@code base}, or an empty string. */
        String diff(Snapshot base) {
            StringBuilder sb = new StringBuilder();
            Map<Integer, String> added = new TreeMap<>(fds);
            added.keySet().removeAll(base.fds.keySet());
            added.values().removeIf(Robust::jdkFile);
            Map<Integer, String> gone = new TreeMap<>(base.fds);
            gone.keySet().removeAll(fds.keySet());
            if (!added.isEmpty() || !gone.isEmpty()) {
                sb.append("descriptors ").append(base.fds.size()).append(" -> ").append(fds.size())
                        .append(" (new ").append(added).append(", gone ").append(gone).append("); ");
            }
            List<String> newThreads = new ArrayList<>();
            for (Thread t : threads) {
                if (!base.threads.contains(t) && t.isAlive()) {
                    newThreads.add(t.getName() + (t.isDaemon() ? " (daemon)" : ""));
                }
            }
            int baseAlive = 0;
            for (Thread t : base.threads) {
                if (t.isAlive()) {
                    baseAlive++;
                }
            }
            if (!newThreads.isEmpty()) {
                sb.append("threads ").append(baseAlive).append(" -> ").append(baseAlive + newThreads.size())
                        .append(" (new ").append(newThreads).append("); ");
            }
            if (nativeBytes != base.nativeBytes) {
                sb.append("KQueue.nativeMemoryInUse() ").append(base.nativeBytes).append(" -> ")
                        .append(nativeBytes).append("; ");
            }
            return sb.toString();
        }
    }

    /**
     * Waits up to {@code settleMillis} for descriptors, threads and native memory to be back to
     * {@code base}; fails with the difference otherwise.
     */
    static void assertBackTo(Snapshot base, long settleMillis, String when) throws InterruptedException {
        String diff = settle(base, settleMillis);
        if (!diff.isEmpty()) {
            fail(when + ": resources not back to their starting values: " + diff);
        }
    }

    /** The difference left after waiting up to {@code settleMillis}, or an empty string. */
    static String settle(Snapshot base, long settleMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settleMillis);
        String diff;
        while (true) {
            diff = Snapshot.take().diff(base);
            if (diff.isEmpty() || System.nanoTime() > deadline) {
                return diff;
            }
            Thread.sleep(10);
        }
    }

    /** Only the descriptor count and the native-memory counter (cheap enough to check per sequence). */
    static String quickDiff(int fdCount, long nativeBytes) {
        StringBuilder sb = new StringBuilder();
        int fds = fdCount();
        if (fds != fdCount) {
            sb.append("descriptors ").append(fdCount).append(" -> ").append(fds).append(' ')
                    .append(descriptors()).append("; ");
        }
        long mem = KQueue.nativeMemoryInUse();
        if (mem != nativeBytes) {
            sb.append("KQueue.nativeMemoryInUse() ").append(nativeBytes).append(" -> ").append(mem).append("; ");
        }
        return sb.toString();
    }

    /** Polls until {@code value} equals {@code expected} or the time is up; returns the last value. */
    static long awaitValue(LongSupplier value, long expected, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long v;
        while ((v = value.getAsLong()) != expected && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        return v;
    }

    /**
     * The number of open descriptors, not counting the jar files and the module image the JDK
     * opens lazily (and keeps) when it first loads a class from them.
     */
    static int fdCount() {
        int n = 0;
        for (String target : descriptors().values()) {
            if (!jdkFile(target)) {
                n++;
            }
        }
        return n;
    }

    private static boolean jdkFile(String target) {
        return target.endsWith(".jar") || target.endsWith("/lib/modules");
    }

    static Map<Integer, String> descriptors() {
        return HostOs.current().descriptorTargets(ProcessHandle.current().pid());
    }

    static Set<Thread> liveThreads() {
        Set<Thread> out = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                out.add(t);
            }
        }
        return out;
    }
}
