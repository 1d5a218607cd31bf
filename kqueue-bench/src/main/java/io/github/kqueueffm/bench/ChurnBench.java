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
 * W5 registration churn: start watching one socket (never readable) for reading, then stop. One
 * operation is one add and one delete.
 *
 * <p>Backends: {@code kqueue-ffm} and {@code native} (EV_ADD then EV_DELETE of EVFILT_READ, one
 * kevent each), {@code epoll} (EPOLL_CTL_ADD, EPOLL_CTL_DEL: the floor), {@code nio} (register,
 * cancel, each followed by the selectNow that applies it), {@code netty} (register with
 * EPOLLIN, cancel). Run under {@code -prof gc} for bytes per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class ChurnBench {
    /** The backend ({@link Backend}). */
    @Param({Backend.KQUEUE_FFM, Backend.EPOLL, Backend.NIO, Backend.NETTY, Backend.NATIVE})
    public String backend;

    private SocketPair pair;
    private SocketChannel[] channels;
    private Churner churner;

    /**
     * Opens the socket and the backend's poller.
     *
     * @throws Exception if either cannot be opened
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Backend.check(backend);
        if (backend.equals(Backend.NIO)) {
            try (UnixChannels connector = new UnixChannels()) {
                channels = connector.pair();
            }
            churner = new NioChurner(channels[0]);
            return;
        }
        pair = SocketPair.open();
        churner = switch (backend) {
            case Backend.KQUEUE_FFM, Backend.NATIVE -> new KQueueChurner(pair.mine());
            case Backend.EPOLL -> new EpollChurner(pair.mine());
            case Backend.NETTY -> new NettyChurner(pair.mine());
            default -> throw new IllegalArgumentException("backend " + backend);
        };
    }

    /**
     * One add and one delete.
     *
     * @throws Exception if the backend refuses either
     */
    @Benchmark
    public void addThenDelete() throws Exception {
        churner.addThenDelete();
    }

    /**
     * Closes the poller and the socket.
     *
     * @throws Exception if a channel cannot be closed
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (churner != null) {
            churner.close();
        }
        if (pair != null) {
            pair.close();
        }
        if (channels != null) {
            channels[0].close();
            channels[1].close();
        }
    }
}
