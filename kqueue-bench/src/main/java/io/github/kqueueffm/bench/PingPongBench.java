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

import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * W1 ping-pong and W2 the same among idle descriptors. Two threads, one AF_UNIX stream socket pair,
 * one byte each way: each thread waits for its end through its own poller of the backend, reads the
 * byte and (the echo thread) writes it back. One operation is one round trip.
 *
 * <p>{@code idle} = 0 is W1; {@code idle} = 19000 is W2: both ends of 9 500 more socket pairs are
 * registered for reading with the measuring thread's poller and never become ready, so a backend
 * whose wait costs grow with what is registered shows it. The fork raises {@code RLIMIT_NOFILE}
 * for them.
 *
 * <p>Both threads are pinned with {@code sched_setaffinity} ({@link Affinity}) to one CPU, the first
 * this process may use: on a small VM a wake-up of a thread on another CPU costs tens of
 * microseconds and varies with thread placement, which would drown the backends' own paths; on one
 * CPU every round trip is two context switches, the same for every backend (as W4 with
 * {@code cpus} = 1).
 *
 * <p>Backends ({@link Backend}): {@code kqueue-ffm} and {@code native} (EVFILT_READ, kevent, read),
 * {@code epoll} and {@code epoll+fionread} (epoll_wait, [FIONREAD,] read), {@code nio}
 * (Selector), {@code netty} (EpollIoHandler). Run under {@code -prof gc} for bytes per round trip.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class PingPongBench {
    /** Descriptors the JVM itself holds, beyond the workload's. */
    private static final int JVM_DESCRIPTORS = 256;

    /** The backend ({@link Backend}). */
    @Param({Backend.KQUEUE_FFM, Backend.EPOLL, Backend.EPOLL_FIONREAD, Backend.NIO, Backend.NETTY, Backend.NATIVE})
    public String backend;

    /** Idle registered descriptors: 0 for W1, 19000 for W2. */
    @Param({"0", "19000"})
    public int idle;

    private PingEnd mine;
    private PingEnd peer;
    private Thread echo;
    private int cpu;

    /**
     * Opens the pair, the two ends' pollers, the idle descriptors, and starts the echo thread.
     *
     * @throws Exception if any of it fails
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Backend.check(backend);
        FdLimit.ensure(idle + JVM_DESCRIPTORS);
        cpu = Affinity.allowed()[0];
        echo = Thread.ofPlatform().daemon().name("echo").unstarted(this::echo);
        if (backend.equals(Backend.NIO)) {
            UnixChannels connector = new UnixChannels();
            SocketChannel[] pair = connector.pair();
            mine = new NioPingEnd(pair[0], connector);
            peer = new NioPingEnd(pair[1], connector);
            mine.watchIdle(idle / 2);
            connector.close();
        } else {
            SocketPair pair = SocketPair.open();
            mine = end(pair.mine(), Thread.currentThread());
            peer = end(pair.peer(), echo);
            mine.watchIdle(idle / 2);
        }
        echo.start();
    }

    private PingEnd end(int fd, Thread owner) throws Exception {
        return switch (backend) {
            case Backend.KQUEUE_FFM, Backend.NATIVE -> new KQueuePingEnd(fd);
            case Backend.EPOLL -> new EpollPingEnd(fd, false);
            case Backend.EPOLL_FIONREAD -> new EpollPingEnd(fd, true);
            case Backend.NETTY -> new NettyPingEnd(fd, owner);
            default -> throw new IllegalArgumentException("backend " + backend);
        };
    }

    private void echo() {
        Affinity.pin(cpu);
        try {
            while (peer.receive()) {
                peer.send();
            }
        } catch (Exception e) {
            throw new IllegalStateException("echo side of " + backend, e);
        }
    }

    /** Pins the measuring thread (each iteration, in case JMH gave it another thread). */
    @Setup(Level.Iteration)
    public void pin() {
        Affinity.pin(cpu);
    }

    /**
     * One round trip.
     *
     * @return whether the byte came back
     * @throws Exception if the backend fails
     */
    @Benchmark
    public boolean roundTrip() throws Exception {
        mine.send();
        return mine.receive();
    }

    /**
     * Closes the measuring end, which ends the echo thread at end of stream, then the rest.
     *
     * @throws InterruptedException if interrupted while joining the echo thread
     */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        if (mine != null) {
            mine.close();
        }
        echo.join(5_000);
        if (peer != null) {
            peer.close();
        }
    }
}
