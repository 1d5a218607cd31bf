package io.github.kqueueffm.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * W7: the exits of 1 000 children. Before each operation (not measured) 1 000 children are started
 * with {@link ProcessBuilder} ({@code sleep 1000}, stdin from and output to {@code /dev/null}, so
 * the JVM holds no pipe of theirs). One operation (single shot) is: an exit watch registered for
 * every child, one call each, as a user watches them; then {@link Process#destroyForcibly()} of
 * every child (SIGKILL, the same for every backend); then the wait until the backend has reported
 * all 1 000 exits, each checked to be a watched child's and reported once. The secondary results
 * ({@link Costs}) are the registration time, the descriptors the watches hold (counted between
 * the registrations and the kills), the threads the backend added and all threads of the process
 * (counted at the end of the wait); the counts are inside the operation's time, for every backend.
 *
 * <p>Backends: {@code kqueue-ffm} and {@code native} (EVFILT_PROC, EV_ADD | EV_ONESHOT, NOTE_EXIT,
 * ident the pid from {@code Processes.pid(Process)}, one kevent per child), {@code epoll} (one
 * {@code pidfd_open} and one {@code epoll_ctl} per child, then {@code epoll_wait}: the floor),
 * {@code nio} (the JDK's {@code Process.onExit()}, one future per child). Netty has no process API.
 * The JDK reaps every child it starts, from a reaper thread per child, whatever the backend; the
 * watches see children that the JDK reaps. libkqueue, behind {@code native}, loses the exits of
 * children the JDK reaps (4 of 1 000 reported): that case is refused with the reason
 * ({@link #NATIVE_REFUSED}).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class ProcExitBench {
    /** Children per operation. */
    static final int CHILDREN = 1_000;
    /** Descriptors the JVM itself holds, beyond the workload's. */
    private static final int JVM_DESCRIPTORS = 256;
    /** Why {@code native} is refused; {@code BenchSuite} lists it as skipped. */
    public static final String NATIVE_REFUSED = "native W7: skipped, libkqueue loses the exit of a child whose"
            + " status the JDK's reaper collects first, which is every child the JVM starts: 4 of 1 000 exits were"
            + " reported, then none for 10 s (docs/libkqueue-differential.md, PR-03 and PR-16)";
    /** How long the teardown waits for the JDK to reap the last child. */
    private static final long REAP_MILLIS = 10_000;

    /** The backend ({@link Backend}); no {@code netty}, which has no process API. */
    @Param({Backend.KQUEUE_FFM, Backend.EPOLL, Backend.NIO, Backend.NATIVE})
    public String backend;

    private final List<Process> children = new ArrayList<>(CHILDREN);
    private ProcExits exits;
    private int descriptorsBefore;
    private int threadsBefore;
    private int openingThreads;

    /**
     * The secondary results of one operation, reported by JMH next to the wall time (a single-shot
     * iteration is one operation, so the iteration's sums are the operation's values).
     */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Costs {
        /** Milliseconds the 1 000 watch registrations took. */
        public double registrationMs;
        /** Descriptors open after the registrations, less those open before the backend was opened. */
        public double descriptors;
        /**
         * Threads the backend started and still has at the end of the wait: at its opening, and from
         * the children's start to the last exit reported (a pool kept between operations counts in
         * the first only).
         */
        public double threadsAdded;
        /**
         * Threads of the process at the end of the wait, all of them: the JVM's, the JDK's reapers
         * (one per child, kept in a pool between operations) and the backend's.
         */
        public double threads;

        /** Zeroes the counters for the next operation. */
        @Setup(Level.Iteration)
        public void clear() {
            registrationMs = 0;
            descriptors = 0;
            threadsAdded = 0;
            threads = 0;
        }
    }

    /**
     * Checks the backend, refuses {@code native}, and makes room for the descriptors (a pidfd per
     * child for most backends).
     *
     * @throws IllegalStateException for a backend this JVM cannot run as named, and for {@code native}
     */
    @Setup(Level.Trial)
    public void setUpTrial() {
        Backend.check(backend);
        if (backend.equals(Backend.NATIVE)) {
            throw new IllegalStateException(NATIVE_REFUSED);
        }
        FdLimit.ensure(2L * CHILDREN + JVM_DESCRIPTORS);
    }

    /**
     * Opens a fresh backend (its own descriptors count as used) and starts the children.
     *
     * @throws Exception if the backend cannot be opened or a child cannot be started
     */
    @Setup(Level.Iteration)
    public void setUp() throws Exception {
        descriptorsBefore = ProcSelf.descriptors();
        int threadsUnopened = ProcSelf.threads();
        exits = switch (backend) {
            case Backend.KQUEUE_FFM, Backend.NATIVE -> new KQueueProcExits();
            case Backend.EPOLL -> new EpollProcExits();
            case Backend.NIO -> new NioProcExits();
            default -> throw new IllegalArgumentException("backend " + backend);
        };
        openingThreads = ProcSelf.threads() - threadsUnopened;
        ProcessBuilder builder = new ProcessBuilder("sleep", "1000")
                .redirectInput(Redirect.from(new File("/dev/null")))
                .redirectOutput(Redirect.DISCARD)
                .redirectError(Redirect.DISCARD);
        for (int i = 0; i < CHILDREN; i++) {
            children.add(builder.start());
        }
        System.gc();
        threadsBefore = ProcSelf.threads();
    }

    /**
     * Watches every child, counts descriptors, kills every child, waits until the backend has
     * reported every exit and counts threads.
     *
     * @param costs the operation's secondary results
     * @return the registration time, so the work is not dead code
     * @throws Exception if the backend fails or loses an exit
     */
    @Benchmark
    public long watchKillAndAwait(Costs costs) throws Exception {
        long registration = exits.watchAll(children);
        costs.descriptors = ProcSelf.descriptors() - descriptorsBefore;
        for (Process child : children) {
            child.destroyForcibly();
        }
        exits.awaitAll();
        int threads = ProcSelf.threads();
        costs.threads = threads;
        costs.threadsAdded = openingThreads + threads - threadsBefore;
        costs.registrationMs = registration / 1e6;
        return registration;
    }

    /**
     * Releases the backend, kills whatever child is left (after a failed operation) and checks that
     * no child, zombie or not, remains once the JDK has reaped them.
     *
     * @throws InterruptedException if interrupted while waiting for the reaper
     */
    @TearDown(Level.Iteration)
    public void tearDown() throws InterruptedException {
        exits.close();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REAP_MILLIS);
        for (Process child : children) {
            child.destroyForcibly();
            child.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        children.clear();
        long left = ProcessHandle.current().children().count();
        while (left > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
            left = ProcessHandle.current().children().count();
        }
        if (left > 0) {
            throw new IllegalStateException(left + " children (or zombies) left " + REAP_MILLIS + " ms after the operation");
        }
    }
}
