package io.github.kqueueffm.bench;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.bindings.kqueue.KqueueCalls;
import io.github.kqueueffm.bindings.kqueue.PosixCalls;
import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxConstants;
import io.github.kqueueffm.bindings.linux.LinuxStructs;
import io.github.kqueueffm.platform.BackendChoice;
import io.github.kqueueffm.platform.Platform;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The emulation's own cost per call, without thread wake-ups: one readable socketpair end (one
 * byte queued, never read), one non-blocking collection per operation. {@code kqueue-ffm}: kevent
 * with a level EVFILT_READ knote (epoll_wait plus FIONREAD for {@code data}); {@code epoll+fionread}:
 * the same two system calls made directly on the project's bindings. The difference is the Java
 * code of a kevent call.
 *
 * <p>The native passthrough over libkqueue runs in forks given the library
 * ({@code -p backend=native,libkqueue-direct -jvmArgsPrepend -Dkqueue.native.library=/abs/libkqueue.so};
 * {@code KQueue.open()} is then the passthrough, so {@code kqueue-ffm} is refused there, and
 * {@link Backend#check} refuses these two elsewhere): {@code native}: the same collection through
 * {@code KQueue.kevent}; {@code libkqueue-direct}: libkqueue's {@code kevent} called through FFM
 * with a 32-byte record and nothing else. Their ratio is the passthrough's own cost (the call gate
 * and the record translation).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class PollReadyBench {
    /** The backend: {@link Backend}'s names, and {@value #LIBKQUEUE_DIRECT}. */
    @Param({Backend.KQUEUE_FFM, Backend.EPOLL_FIONREAD, Backend.NATIVE, PollReadyBench.LIBKQUEUE_DIRECT})
    public String backend;

    /** libkqueue's own {@code kevent} through FFM, without kqueue-ffm. */
    static final String LIBKQUEUE_DIRECT = "libkqueue-direct";

    private Arena arena;
    private int mine;
    private int peer;
    private KQueue kq;
    private KEventList events;
    private int epfd;
    private MemorySegment epollEvents;
    private MemorySegment queued;
    private KqueueCalls direct;
    private int directKq = -1;
    private MemorySegment directEvents;
    private MemorySegment zero;

    /** Opens the socketpair, queues one byte and registers it with the chosen backend. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (backend.equals(LIBKQUEUE_DIRECT)) {
            Backend.check(Backend.NATIVE); // the same JVM: one with the library
        } else {
            Backend.check(backend);
        }
        arena = Arena.ofAuto(); // downcalls skip the session's acquire/release, as the library's own memory does
        MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
        if (LinuxCalls.socketpair(LinuxConstants.AF_UNIX, LinuxConstants.SOCK_STREAM | LinuxConstants.SOCK_CLOEXEC,
                0, fds) < 0) {
            throw new IllegalStateException("socketpair failed");
        }
        mine = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
        peer = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
        LinuxCalls.write(peer, arena.allocate(1), 1);
        String library = System.getProperty(Backend.LIBRARY_PROPERTY);
        if (backend.equals(LIBKQUEUE_DIRECT)) {
            direct = KqueueCalls.library(Path.of(library));
            directKq = direct.kqueue();
            directEvents = arena.allocate(32, 8);
            zero = arena.allocate(KqueueCalls.TIMESPEC);
            MemorySegment change = arena.allocate(32, 8);     // libkqueue's struct kevent
            change.set(ValueLayout.JAVA_LONG, 0, mine);        // ident
            change.set(ValueLayout.JAVA_SHORT, 8, KEvent.EVFILT_READ);
            change.set(ValueLayout.JAVA_SHORT, 10, (short) KEvent.EV_ADD);
            if (directKq < 0 || direct.keventNow(directKq, change, 1, MemorySegment.NULL, 0, zero) < 0) {
                throw new IllegalStateException("libkqueue kqueue/kevent failed");
            }
        } else if (backend.equals(Backend.KQUEUE_FFM) || backend.equals(Backend.NATIVE)) {
            if (backend.equals(Backend.NATIVE) && !(Platform.choice() instanceof BackendChoice.NativeLibrary)) {
                throw new IllegalStateException("not the native passthrough: " + Platform.choice());
            }
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
        if (direct != null) {
            direct.keventNow(directKq, MemorySegment.NULL, 0, directEvents, 1, zero);
            return directEvents.get(ValueLayout.JAVA_LONG, 16); // data
        }
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
        } else if (directKq >= 0) {
            PosixCalls.close(directKq);
        } else {
            LinuxCalls.close(epfd);
        }
        LinuxCalls.close(mine);
        LinuxCalls.close(peer);
    }
}
