package io.github.kqueueffm.bench;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxConstants;
import io.github.kqueueffm.bindings.linux.LinuxStructs;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * W1 ping-pong: two threads, one AF_UNIX socketpair, one byte each way; each side waits for the
 * byte through its backend, reads it and writes it back. One benchmark operation is one round
 * trip. Backends: {@code kqueue} (kqueue-ffm, EVFILT_READ) and {@code epoll} (raw epoll on the
 * project's own bindings, level-triggered), so the ratio isolates the emulation's cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class PingPongBench {
    @Param({"kqueue", "epoll"})
    public String backend;

    private Arena arena;
    private MemorySegment byteBuffer;
    private int mine;
    private int peer;
    private Waiter waiter;
    private Thread echo;

    /** One side's way of waiting until its socket is readable. */
    interface Waiter extends AutoCloseable {
        void awaitReadable() throws KQueueException;

        @Override
        void close();
    }

    /** Waits through kqueue-ffm: EVFILT_READ on the socket, kevent with no timeout. */
    static final class KQueueWaiter implements Waiter {
        private final KQueue kq;
        private final KEventList events = KEventList.allocate(1);

        KQueueWaiter(int fd) throws KQueueException {
            kq = KQueue.open();
            try (KEventList change = KEventList.allocate(1)) {
                change.set(0, fd, KEvent.EVFILT_READ, KEvent.EV_ADD, 0, 0, 0);
                kq.kevent(change, 1, null, 0, null);
            }
        }

        @Override
        public void awaitReadable() throws KQueueException {
            kq.kevent(null, 0, events, 1, null);
        }

        @Override
        public void close() {
            kq.close();
            events.close();
        }
    }

    /** Waits through raw epoll on the project's bindings. */
    static final class EpollWaiter implements Waiter {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment events = arena.allocate(LinuxStructs.EPOLL_EVENT_SIZE * 4, 8);
        private final int epfd;

        EpollWaiter(int fd) {
            epfd = LinuxCalls.epollCreate1(LinuxConstants.EPOLL_CLOEXEC);
            MemorySegment event = arena.allocate(LinuxStructs.EPOLL_EVENT_SIZE, 8);
            event.set(ValueLayout.JAVA_INT_UNALIGNED, LinuxStructs.EPOLL_EVENT_EVENTS, LinuxConstants.EPOLLIN);
            event.set(ValueLayout.JAVA_LONG_UNALIGNED, LinuxStructs.EPOLL_EVENT_DATA, fd);
            LinuxCalls.epollCtl(epfd, LinuxConstants.EPOLL_CTL_ADD, fd, event);
        }

        @Override
        public void awaitReadable() {
            LinuxCalls.epollWait(epfd, events, 4, -1);
        }

        @Override
        public void close() {
            LinuxCalls.close(epfd);
            arena.close();
        }
    }

    static Waiter waiter(String backend, int fd) throws KQueueException {
        return backend.equals("kqueue") ? new KQueueWaiter(fd) : new EpollWaiter(fd);
    }

    /** Opens the socketpair and starts the echoing side. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        arena = Arena.ofShared();
        byteBuffer = arena.allocate(1);
        MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
        if (LinuxCalls.socketpair(LinuxConstants.AF_UNIX, LinuxConstants.SOCK_STREAM | LinuxConstants.SOCK_CLOEXEC,
                0, fds) < 0) {
            throw new IllegalStateException("socketpair failed");
        }
        mine = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
        peer = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
        waiter = waiter(backend, mine);
        Waiter peerWaiter = waiter(backend, peer);
        echo = Thread.ofPlatform().daemon().name("echo").start(() -> {
            try (peerWaiter; Arena local = Arena.ofConfined()) {
                MemorySegment b = local.allocate(1);
                while (true) {
                    peerWaiter.awaitReadable();
                    if (LinuxCalls.read(peer, b, 1) <= 0) {
                        return;
                    }
                    LinuxCalls.write(peer, b, 1);
                }
            } catch (KQueueException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * One round trip.
     *
     * @return the byte read back
     * @throws KQueueException if the wait fails
     */
    @Benchmark
    public long roundTrip() throws KQueueException {
        LinuxCalls.write(mine, byteBuffer, 1);
        waiter.awaitReadable();
        return LinuxCalls.read(mine, byteBuffer, 1);
    }

    /** Stops the echo side and releases everything. */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        LinuxCalls.shutdown(mine, LinuxConstants.SHUT_RDWR);
        echo.join(5_000);
        LinuxCalls.close(mine);
        LinuxCalls.close(peer);
        waiter.close();
        arena.close();
    }
}
