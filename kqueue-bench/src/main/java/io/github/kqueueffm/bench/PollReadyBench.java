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
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The emulation's own cost per call, without thread wake-ups: one readable socketpair end (one
 * byte queued, never read), one non-blocking collection per operation. {@code kqueue}: kevent
 * with a level EVFILT_READ knote (epoll_wait plus FIONREAD for {@code data}); {@code epoll}: the
 * same two system calls made directly on the project's bindings. The difference is the Java
 * code of a kevent call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class PollReadyBench {
    @Param({"kqueue", "epoll"})
    public String backend;

    private Arena arena;
    private int mine;
    private int peer;
    private KQueue kq;
    private KEventList events;
    private int epfd;
    private MemorySegment epollEvents;
    private MemorySegment queued;

    /** Opens the socketpair, queues one byte and registers it with the chosen backend. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        arena = Arena.ofShared();
        MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
        if (LinuxCalls.socketpair(LinuxConstants.AF_UNIX, LinuxConstants.SOCK_STREAM | LinuxConstants.SOCK_CLOEXEC,
                0, fds) < 0) {
            throw new IllegalStateException("socketpair failed");
        }
        mine = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
        peer = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
        LinuxCalls.write(peer, arena.allocate(1), 1);
        if (backend.equals("kqueue")) {
            kq = KQueue.open();
            events = KEventList.allocate(1);
            try (KEventList change = KEventList.allocate(1)) {
                change.set(0, mine, KEvent.EVFILT_READ, KEvent.EV_ADD, 0, 0, 0);
                kq.kevent(change, 1, null, 0, Duration.ZERO);
            }
        } else {
            epfd = LinuxCalls.epollCreate1(LinuxConstants.EPOLL_CLOEXEC);
            epollEvents = arena.allocate(LinuxStructs.EPOLL_EVENT_SIZE * 4, 8);
            queued = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment event = arena.allocate(LinuxStructs.EPOLL_EVENT_SIZE, 8);
            event.set(ValueLayout.JAVA_INT_UNALIGNED, LinuxStructs.EPOLL_EVENT_EVENTS, LinuxConstants.EPOLLIN);
            event.set(ValueLayout.JAVA_LONG_UNALIGNED, LinuxStructs.EPOLL_EVENT_DATA, mine);
            LinuxCalls.epollCtl(epfd, LinuxConstants.EPOLL_CTL_ADD, mine, event);
        }
    }

    /**
     * One collection.
     *
     * @return the queued byte count the call saw
     * @throws KQueueException if kevent fails
     */
    @Benchmark
    public long collect() throws KQueueException {
        if (kq != null) {
            kq.kevent(null, 0, events, 1, Duration.ZERO);
            return events.data(0);
        }
        LinuxCalls.epollWait(epfd, epollEvents, 4, 0);
        LinuxCalls.ioctl(mine, LinuxConstants.FIONREAD, queued);
        return queued.get(ValueLayout.JAVA_INT, 0);
    }

    /** Releases everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (kq != null) {
            kq.close();
            events.close();
        } else {
            LinuxCalls.close(epfd);
        }
        LinuxCalls.close(mine);
        LinuxCalls.close(peer);
        arena.close();
    }
}
