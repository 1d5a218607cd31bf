package io.github.kqueueffm.bench;

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

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * W4 cross-thread wake-up: two threads, each blocked in its own poller of the backend, wake each
 * other in turn. One operation is one round trip (two wake-ups): the measuring thread wakes the
 * partner and waits until the partner wakes it back.
 *
 * <p>Both threads are pinned with {@code sched_setaffinity} ({@link Affinity}): {@code cpus} = 1
 * puts them on the same CPU, so every wake-up is a context switch; {@code cpus} = 2 on two CPUs,
 * so it is a cross-CPU wake-up.
 *
 * <p>Backends: {@code kqueue-ffm} and {@code native} (EVFILT_USER, NOTE_TRIGGER), {@code epoll}
 * (an edge-triggered eventfd, the floor), {@code nio} ({@code Selector.wakeup}), {@code netty}
 * ({@code EpollIoHandler.wakeup}). Run under {@code -prof gc} for bytes per round trip.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class WakeupBench {
    /** The backend ({@link Backend}). */
    @Param({Backend.KQUEUE_FFM, Backend.EPOLL, Backend.NIO, Backend.NETTY, Backend.NATIVE})
    public String backend;

    /** CPUs the two threads are pinned to: 1 (the same) or 2 (one each). */
    @Param({"1", "2"})
    public int cpus;

    private Wakeable mine;
    private Wakeable partner;
    private Thread partnerThread;
    private volatile boolean running = true;
    private int myCpu;
    private int partnerCpu;

    /**
     * Picks the CPUs, opens both pollers and starts the partner thread.
     *
     * @throws Exception if a poller cannot be opened
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Backend.check(backend);
        int[] allowed = Affinity.allowed();
        if (allowed.length < cpus) {
            throw new IllegalStateException("cpus=" + cpus + " needs that many CPUs; this process may use "
                    + Arrays.toString(allowed));
        }
        myCpu = allowed[0];
        partnerCpu = allowed[cpus - 1];
        partnerThread = Thread.ofPlatform().daemon().name("partner").unstarted(this::partner);
        mine = open(Thread.currentThread());
        partner = open(partnerThread);
        partnerThread.start();
    }

    private Wakeable open(Thread owner) throws Exception {
        return switch (backend) {
            case Backend.KQUEUE_FFM, Backend.NATIVE -> new KQueueWakeable();
            case Backend.EPOLL -> new EventfdWakeable();
            case Backend.NIO -> new NioWakeable();
            case Backend.NETTY -> new NettyWakeable(owner);
            default -> throw new IllegalArgumentException("backend " + backend);
        };
    }

    private void partner() {
        Affinity.pin(partnerCpu);
        try {
            while (true) {
                partner.await();
                if (!running) {
                    return;
                }
                mine.wake();
            }
        } catch (Exception e) {
            throw new IllegalStateException("partner thread of " + backend, e);
        }
    }

    /** Pins the measuring thread (each iteration, in case JMH gave it another thread). */
    @Setup(Level.Iteration)
    public void pin() {
        Affinity.pin(myCpu);
    }

    /**
     * One round trip: wake the partner, wait to be woken back.
     *
     * @throws Exception if the backend fails
     */
    @Benchmark
    public void roundTrip() throws Exception {
        partner.wake();
        mine.await();
    }

    /**
     * Stops the partner thread and closes both pollers.
     *
     * @throws Exception if the last wake-up fails or the join is interrupted
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        running = false;
        if (partner != null) {
            partner.wake();
        }
        partnerThread.join(5_000);
        if (mine != null) {
            mine.close();
        }
        if (partner != null) {
            partner.close();
        }
    }
}
