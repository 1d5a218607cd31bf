package io.github.kqueueffm.bench;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxConstants;
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
 * The price of watching a socket both ways: one socketpair end, always writable, with a level
 * EVFILT_WRITE knote; one operation is one {@code kevent} poll that returns that event. With
 * {@code read+write} the end also has an EVFILT_READ knote, so its WRITE registration sits in the
 * kqueue's nested epoll set (each side of a descriptor has its own registration) and every
 * collection of it costs one more epoll_wait; {@code write} is the same without the READ knote.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class BothDirectionsBench {
    @Param({"write", "read+write"})
    public String knotes;

    private Arena arena;
    private int mine;
    private int peer;
    private KQueue kq;
    private KEventList events;

    /** Opens the socketpair and registers the knotes. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        arena = Arena.ofAuto(); // downcalls skip the session's acquire/release, as the library's own memory does
        MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
        if (LinuxCalls.socketpair(LinuxConstants.AF_UNIX, LinuxConstants.SOCK_STREAM | LinuxConstants.SOCK_CLOEXEC,
                0, fds) < 0) {
            throw new IllegalStateException("socketpair failed");
        }
        mine = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
        peer = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
        kq = KQueue.open();
        events = KEventList.allocate(2);
        try (KEventList changes = KEventList.allocate(2)) {
            int n = 0;
            if (knotes.equals("read+write")) {
                changes.set(n++, mine, KEvent.EVFILT_READ, KEvent.EV_ADD, 0, 0, 0);
            }
            changes.set(n++, mine, KEvent.EVFILT_WRITE, KEvent.EV_ADD, 0, 0, 0);
            kq.kevent(changes, n, null, 0, Duration.ZERO);
        }
    }

    /**
     * One poll.
     *
     * @return the number of events (1: the WRITE event)
     * @throws KQueueException if the call fails
     */
    @Benchmark
    public int poll() throws KQueueException {
        return kq.kevent(null, 0, events, 2, Duration.ZERO);
    }

    /** Releases everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
        kq.close();
        events.close();
        LinuxCalls.close(mine);
        LinuxCalls.close(peer);
    }
}
