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

import java.util.concurrent.TimeUnit;

/**
 * W3: 100 000 one-shot timers, one call each, then the wait until the last has expired. One
 * operation (single shot) is the whole run on a fresh kqueue, epoll instance, selector or event
 * loop; its time is the wall time from the first arming call to the last expiry collected. The
 * secondary results ({@link Costs}) are the arming time, the memory growth and the descriptors used.
 *
 * <p>Backends: {@code kqueue-ffm} and {@code native} (EVFILT_TIMER, EV_ONESHOT, one kevent per
 * timer), {@code epoll} (a heap of deadlines and one timerfd, the floor), {@code nio} (a
 * PriorityQueue and the select timeout), {@code netty} (EventLoop.schedule). libkqueue, behind
 * {@code native}, opens a timerfd per timer and needs {@code ulimit -n} above 100 000.
 *
 * <p>Memory growth is {@code VmHWM} (the peak, reset before each operation through
 * {@code /proc/self/clear_refs}) less {@code VmRSS} before the operation. So that a warm JVM still
 * shows what one operation needs, the forks use the serial collector, which hands the heap back to
 * the OS at once at the full GC before each operation ({@code -XX:-ShrinkHeapInSteps},
 * {@code MaxHeapFreeRatio}), and glibc gives back the native memory the last operation freed
 * ({@code malloc_trim}); the heap then grows again during the operation. Pages the small young
 * generation keeps resident between operations (a megabyte or two) are not counted again. The same
 * flags apply to every backend.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xms4m",
    "-XX:-ShrinkHeapInSteps", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20"})
@State(Scope.Thread)
public class TimersBench {
    /** Timers per operation. */
    static final int TIMERS = 100_000;
    /** Descriptors the JVM itself holds, beyond the workload's. */
    private static final int JVM_DESCRIPTORS = 256;

    /** The backend ({@link Backend}). */
    @Param({Backend.KQUEUE_FFM, Backend.EPOLL, Backend.NIO, Backend.NETTY, Backend.NATIVE})
    public String backend;

    private Timers timers;
    private long residentBefore;
    private int descriptorsBefore;

    /**
     * The secondary results of one operation, reported by JMH next to the wall time (a single-shot
     * iteration is one operation, so the iteration's sums are the operation's values).
     */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Costs {
        /** Milliseconds the 100 000 arming calls took. */
        public double registrationMs;
        /** Peak resident size during the operation less the resident size before it, in MB (10⁶ B). */
        public double memoryGrowthMB;
        /** Descriptors open while the timers were pending, less those open before the backend was opened. */
        public double descriptors;

        /** Zeroes the counters for the next operation. */
        @Setup(Level.Iteration)
        public void clear() {
            registrationMs = 0;
            memoryGrowthMB = 0;
            descriptors = 0;
        }
    }

    /** Checks the backend and makes room for its descriptors. */
    @Setup(Level.Trial)
    public void setUpTrial() {
        Backend.check(backend);
        if (backend.equals(Backend.NATIVE)) {
            FdLimit.ensure(TIMERS + JVM_DESCRIPTORS);
        }
    }

    /**
     * Counts descriptors, opens a fresh backend (its own descriptors count as used), collects
     * garbage, trims the C heap and takes the resident size the operation is measured against.
     *
     * @throws Exception if the backend cannot be opened
     */
    @Setup(Level.Iteration)
    public void setUp() throws Exception {
        descriptorsBefore = ProcSelf.descriptors();
        timers = switch (backend) {
            case Backend.KQUEUE_FFM, Backend.NATIVE -> new KQueueTimers();
            case Backend.EPOLL -> new EpollTimers();
            case Backend.NIO -> new NioTimers();
            case Backend.NETTY -> new NettyTimers();
            default -> throw new IllegalArgumentException("backend " + backend);
        };
        System.gc();
        System.gc();
        ProcSelf.trimNativeHeap();
        ProcSelf.resetPeak();
        residentBefore = ProcSelf.statusBytes("VmRSS");
    }

    /**
     * Arms every timer, counts descriptors while they are pending (before the first can expire) and
     * waits for the last expiry.
     *
     * @param costs the operation's secondary results
     * @return the arming time, so the work is not dead code
     * @throws Exception if the backend fails
     */
    @Benchmark
    public long armAndExpire(Costs costs) throws Exception {
        long arming = timers.armAll(TIMERS);
        costs.descriptors = ProcSelf.descriptors() - descriptorsBefore;
        timers.awaitAll(TIMERS);
        costs.registrationMs = arming / 1e6;
        costs.memoryGrowthMB = (ProcSelf.statusBytes("VmHWM") - residentBefore) / 1e6;
        return arming;
    }

    /** Releases the backend. */
    @TearDown(Level.Iteration)
    public void tearDown() {
        timers.close();
    }
}
