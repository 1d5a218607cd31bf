package io.github.kqueueffm.bindings.linux;

import io.github.kqueueffm.bindings.ErrnoNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;

import static java.lang.foreign.MemorySegment.NULL;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The segment checks of {@link LinuxCalls}: every wrapper that hands native code a segment refuses
 * one too small for what the call touches, and negative lengths, with
 * {@link IndexOutOfBoundsException} before calling; exact fits and NULL (where C allows it) pass,
 * and the checked calls allocate nothing.
 *
 * <p>Most cases use descriptor −1: had the call been made, it would have returned −EBADF rather
 * than thrown. The read and write cases use a real pipe and socket pair and show that no byte moved.
 */
class LinuxCallsBoundsTest {
    private static final int EBADF = ErrnoNames.number("EBADF");
    /** A request without a size in its number and not taking an int: TIOCGWINSZ's struct winsize. */
    private static final long TIOCGWINSZ = 0x5413;
    /** PIDFD_GET_INFO: _IOWR(0xFF, 11, struct pidfd_info), 64 bytes. */
    private static final long PIDFD_GET_INFO = 0xC040FF0BL;

    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void free() {
        arena.close();
    }

    private MemorySegment bytes(long n) {
        return arena.allocate(Math.max(n, 0), 8);
    }

    private MemorySegment path(String text) {
        return arena.allocateFrom(text, StandardCharsets.UTF_8);
    }

    /** The case: read(fd, segment, 3) into a 1-byte segment wrote 3 bytes. */
    @Test
    void readOfThreeBytesIntoAOneByteSegmentIsRefusedAndLeavesThePipeAlone() {
        MemorySegment fds = bytes(8);
        assertEquals(0, LinuxCalls.pipe2(fds, LinuxConstants.O_CLOEXEC));
        int readEnd = fds.get(ValueLayout.JAVA_INT, 0);
        int writeEnd = fds.get(ValueLayout.JAVA_INT, 4);
        try {
            assertEquals(3, LinuxCalls.write(writeEnd, path("ab"), 3)); // "ab" and its NUL
            MemorySegment one = bytes(1);
            assertThrows(IndexOutOfBoundsException.class, () -> LinuxCalls.read(readEnd, one, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> LinuxCalls.readNonBlocking(readEnd, one, 3));
            assertEquals(3, queued(readEnd), "no byte was read");
            assertEquals(1, LinuxCalls.read(readEnd, one, 1), "an exact fit reads");
            assertEquals('a', one.get(ValueLayout.JAVA_BYTE, 0));
        } finally {
            LinuxCalls.close(readEnd);
            LinuxCalls.close(writeEnd);
        }
    }

    @Test
    void writesAndSendsLongerThanTheSegmentAreRefusedAndSendNothing() {
        MemorySegment fds = bytes(8);
        assertEquals(0, LinuxCalls.socketpair(LinuxConstants.AF_UNIX,
                LinuxConstants.SOCK_STREAM | LinuxConstants.SOCK_NONBLOCK, 0, fds));
        int a = fds.get(ValueLayout.JAVA_INT, 0);
        int b = fds.get(ValueLayout.JAVA_INT, 4);
        try {
            MemorySegment one = bytes(1);
            assertThrows(IndexOutOfBoundsException.class, () -> LinuxCalls.write(a, one, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> LinuxCalls.writeNonBlocking(a, one, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> LinuxCalls.send(a, one, 3, 0));
            assertEquals(0, queued(b), "nothing was sent");
            assertEquals(1, LinuxCalls.send(a, one, 1, 0), "an exact fit sends");
            assertThrows(IndexOutOfBoundsException.class, () -> LinuxCalls.recv(b, one, 2, 0));
            assertEquals(1, queued(b), "nothing was received");
            assertEquals(1, LinuxCalls.recv(b, one, 1, 0));
        } finally {
            LinuxCalls.close(a);
            LinuxCalls.close(b);
        }
    }

    @Test
    void everyWrapperRefusesASegmentTooSmallForTheCall() {
        MemorySegment one = bytes(1);
        MemorySegment socklen = bytes(4);
        socklen.set(ValueLayout.JAVA_INT, 0, 8);
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("epoll_ctl", () -> LinuxCalls.epollCtl(-1, LinuxConstants.EPOLL_CTL_ADD, 0,
                bytes(LinuxStructs.EPOLL_EVENT_SIZE - 1)));
        calls.put("epoll_wait", () -> LinuxCalls.epollWait(-1, bytes(LinuxStructs.EPOLL_EVENT_SIZE), 2, 0));
        calls.put("epoll_pwait2 events", () -> LinuxCalls.epollPwait2(-1, bytes(LinuxStructs.EPOLL_EVENT_SIZE), 2,
                NULL));
        calls.put("epoll_pwait2 timeout", () -> LinuxCalls.epollPwait2(-1, bytes(LinuxStructs.EPOLL_EVENT_SIZE), 1,
                bytes(LinuxStructs.TIMESPEC_SIZE - 1)));
        calls.put("timerfd_settime new", () -> LinuxCalls.timerfdSettime(-1, 0,
                bytes(LinuxStructs.ITIMERSPEC_SIZE - 1), NULL));
        calls.put("timerfd_settime old", () -> LinuxCalls.timerfdSettime(-1, 0,
                bytes(LinuxStructs.ITIMERSPEC_SIZE), bytes(LinuxStructs.ITIMERSPEC_SIZE - 1)));
        calls.put("timerfd_gettime", () -> LinuxCalls.timerfdGettime(-1, bytes(LinuxStructs.ITIMERSPEC_SIZE - 1)));
        calls.put("signalfd", () -> LinuxCalls.signalfd(-2, bytes(LinuxStructs.SIGSET_SIZE - 1), 0));
        calls.put("sigemptyset", () -> LinuxCalls.sigemptyset(bytes(LinuxStructs.SIGSET_SIZE - 1)));
        calls.put("sigaddset", () -> LinuxCalls.sigaddset(bytes(LinuxStructs.SIGSET_SIZE - 1), 1));
        calls.put("sigismember", () -> LinuxCalls.sigismember(bytes(LinuxStructs.SIGSET_SIZE - 1), 1));
        calls.put("pthread_sigmask set", () -> LinuxCalls.pthreadSigmask(-1, bytes(LinuxStructs.SIGSET_SIZE - 1),
                NULL));
        calls.put("pthread_sigmask old", () -> LinuxCalls.pthreadSigmask(-1, NULL,
                bytes(LinuxStructs.SIGSET_SIZE - 1)));
        calls.put("inotify_add_watch", () -> LinuxCalls.inotifyAddWatch(-1, unterminated("/tmp"), 0));
        calls.put("waitid", () -> LinuxCalls.waitid(-1, 0, bytes(LinuxStructs.SIGINFO_SIZE - 1), 0));
        calls.put("pipe2", () -> LinuxCalls.pipe2(bytes(7), -1));
        calls.put("socketpair", () -> LinuxCalls.socketpair(-1, 0, 0, bytes(7)));
        calls.put("ioctl FIONREAD", () -> LinuxCalls.ioctl(-1, LinuxConstants.FIONREAD, bytes(3)));
        calls.put("ioctl encoded size", () -> LinuxCalls.ioctl(-1, PIDFD_GET_INFO, bytes(63)));
        calls.put("getsockopt length", () -> LinuxCalls.getsockopt(-1, 0, 0, bytes(8), bytes(3)));
        calls.put("getsockopt value", () -> LinuxCalls.getsockopt(-1, 0, 0, bytes(7), socklen));
        calls.put("setsockopt", () -> LinuxCalls.setsockopt(-1, 0, 0, bytes(4), 8));
        calls.put("fstat", () -> LinuxCalls.fstat(-1, bytes(LinuxStructs.STAT_SIZE - 1)));
        calls.put("read", () -> LinuxCalls.read(-1, one, 3));
        calls.put("write", () -> LinuxCalls.write(-1, one, 3));
        calls.put("readNonBlocking", () -> LinuxCalls.readNonBlocking(-1, one, 3));
        calls.put("writeNonBlocking", () -> LinuxCalls.writeNonBlocking(-1, one, 3));
        calls.put("clock_gettime", () -> LinuxCalls.clockGettime(-1, bytes(LinuxStructs.TIMESPEC_SIZE - 1)));
        calls.put("poll", () -> LinuxCalls.poll(bytes(LinuxStructs.POLLFD_SIZE), 2, 0));
        calls.put("getrlimit", () -> LinuxCalls.getrlimit(-1, bytes(LinuxStructs.RLIMIT_SIZE - 1)));
        calls.put("setrlimit", () -> LinuxCalls.setrlimit(-1, bytes(LinuxStructs.RLIMIT_SIZE - 1)));
        calls.put("bind", () -> LinuxCalls.bind(-1, bytes(LinuxStructs.SOCKADDR_NL_SIZE - 1),
                (int) LinuxStructs.SOCKADDR_NL_SIZE));
        calls.put("send", () -> LinuxCalls.send(-1, one, 3, 0));
        calls.put("recv", () -> LinuxCalls.recv(-1, one, 3, 0));
        calls.put("sigaction action", () -> LinuxCalls.sigaction(-1, bytes(LinuxStructs.SIGACTION_SIZE - 1), NULL));
        calls.put("sigaction old", () -> LinuxCalls.sigaction(-1, NULL, bytes(LinuxStructs.SIGACTION_SIZE - 1)));
        calls.put("mkfifo", () -> LinuxCalls.mkfifo(unterminated("/tmp/kqueue-ffm-never"), 0));
        calls.put("open unterminated", () -> LinuxCalls.open(unterminated("/tmp"), 0, 0));
        assertAll(calls.entrySet().stream().map(e -> () -> {
            IndexOutOfBoundsException thrown = assertThrows(IndexOutOfBoundsException.class, e.getValue(), e.getKey());
            assertTrue(thrown.getMessage().startsWith(e.getKey().split(" ")[0].replace("NonBlocking", "")),
                    "the message names the call: " + thrown.getMessage());
        }));
    }

    @Test
    void negativeLengthsAndCountsAreRefused() {
        MemorySegment buffer = bytes(64);
        MemorySegment socklen = bytes(4);
        socklen.set(ValueLayout.JAVA_INT, 0, -1);
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("read", () -> LinuxCalls.read(-1, buffer, -1));
        calls.put("write", () -> LinuxCalls.write(-1, buffer, -1));
        calls.put("readNonBlocking", () -> LinuxCalls.readNonBlocking(-1, buffer, Long.MIN_VALUE));
        calls.put("writeNonBlocking", () -> LinuxCalls.writeNonBlocking(-1, buffer, -1));
        calls.put("send", () -> LinuxCalls.send(-1, buffer, -1, 0));
        calls.put("recv", () -> LinuxCalls.recv(-1, buffer, -1, 0));
        calls.put("setsockopt", () -> LinuxCalls.setsockopt(-1, 0, 0, buffer, -1));
        calls.put("getsockopt", () -> LinuxCalls.getsockopt(-1, 0, 0, buffer, socklen));
        calls.put("bind", () -> LinuxCalls.bind(-1, buffer, -1));
        calls.put("epoll_wait", () -> LinuxCalls.epollWait(-1, buffer, -1, 0));
        calls.put("epoll_pwait2", () -> LinuxCalls.epollPwait2(-1, buffer, -1, NULL));
        calls.put("poll", () -> LinuxCalls.poll(buffer, -1, 0));
        assertAll(calls.entrySet().stream().map(e ->
                () -> assertThrows(IndexOutOfBoundsException.class, e.getValue(), e.getKey())));
    }

    @Test
    void exactFitsAndNullWhereCAllowsItReachTheCall() {
        Map<String, IntSupplier> calls = goodCalls(new Segments(arena));
        assertAll(calls.entrySet().stream().map(e -> () -> {
            int result = e.getValue().getAsInt();
            assertTrue(result == -EBADF || result >= 0 || result == -ErrnoNames.number("EINVAL")
                    || result == -ErrnoNames.number("ENOENT") || result == -ErrnoNames.number("EAFNOSUPPORT"),
                    e.getKey() + " was called and answered " + result);
        }));
        assertEquals(0, LinuxCalls.read(-1, NULL, 0) + EBADF, "read(fd, NULL, 0) reaches the kernel");
    }

    @Test
    void ioctlAcceptsOnlyRequestsWhoseArgumentSizeItKnows() {
        assertEquals(-EBADF, LinuxCalls.ioctl(-1, PIDFD_GET_INFO, bytes(64)));
        assertEquals(-EBADF, LinuxCalls.ioctl(-1, LinuxConstants.SIOCOUTQ, bytes(4)));
        assertThrows(IllegalArgumentException.class, () -> LinuxCalls.ioctl(-1, TIOCGWINSZ, bytes(64)));
    }

    @Test
    void pointersTravelAsSegmentsNotAsNumbers() {
        // epoll_pwait2 goes through syscall(2): a heap segment's "address" is not a pointer.
        MemorySegment heap = MemorySegment.ofArray(new byte[(int) LinuxStructs.EPOLL_EVENT_SIZE]);
        assertThrows(IllegalArgumentException.class, () -> LinuxCalls.epollPwait2(-1, heap, 1, NULL));
        assertThrows(IllegalArgumentException.class, () -> LinuxCalls.kcmp(0, 0, LinuxConstants.KCMP_EPOLL_TFD, 0, 0));
    }

    @Test
    void checkedCallsAllocateNothingInSteadyState() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        IntSupplier[] calls = goodCalls(new Segments(arena)).values().toArray(IntSupplier[]::new);
        // Warm up until the JIT has compiled the loop (interpreted method-handle code allocates):
        // at most 300 rounds, then measure a fresh round.
        for (int round = 0; round < 300; round++) {
            long start = threads.getThreadAllocatedBytes(tid);
            runAll(calls, 200);
            if (threads.getThreadAllocatedBytes(tid) == start && round >= 10) {
                break;
            }
        }
        // A measured round can still catch the JIT recompiling one of the 37 call sites (its
        // interpreted method-handle code allocates); an allocating check would allocate in every
        // round, so one clean round of the few measured proves the checks allocate nothing.
        long fewest = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 10 && fewest > 0; attempt++) {
            long before = threads.getThreadAllocatedBytes(tid);
            int answered = runAll(calls, 1_000);
            fewest = Math.min(fewest, threads.getThreadAllocatedBytes(tid) - before);
            assertEquals(1_000 * calls.length, answered);
        }
        assertEquals(0, fewest, "bytes allocated by the cleanest of 10 runs of 1 000 rounds of " + calls.length
                + " checked calls");
    }

    private static int runAll(IntSupplier[] calls, int rounds) {
        int answered = 0;
        for (int round = 0; round < rounds; round++) {
            for (IntSupplier call : calls) {
                if (call.getAsInt() > Integer.MIN_VALUE) {
                    answered++;
                }
            }
        }
        return answered;
    }

    /** Exactly-sized arguments, allocated once. */
    private record Segments(MemorySegment epollEvents, MemorySegment timespec, MemorySegment itimerspec,
            MemorySegment sigset, MemorySegment siginfo, MemorySegment twoInts, MemorySegment oneInt,
            MemorySegment socklen, MemorySegment stat, MemorySegment pollfd, MemorySegment rlimit,
            MemorySegment sockaddr, MemorySegment sigaction, MemorySegment path, MemorySegment buffer,
            MemorySegment pidfdInfo) {
        Segments(Arena arena) {
            this(arena.allocate(2 * LinuxStructs.EPOLL_EVENT_SIZE, 8), arena.allocate(LinuxStructs.TIMESPEC_SIZE, 8),
                    arena.allocate(LinuxStructs.ITIMERSPEC_SIZE, 8), arena.allocate(LinuxStructs.SIGSET_SIZE, 8),
                    arena.allocate(LinuxStructs.SIGINFO_SIZE, 8), arena.allocate(8, 8), arena.allocate(4, 8),
                    arena.allocate(4, 8), arena.allocate(LinuxStructs.STAT_SIZE, 8),
                    arena.allocate(LinuxStructs.POLLFD_SIZE, 8), arena.allocate(LinuxStructs.RLIMIT_SIZE, 8),
                    arena.allocate(LinuxStructs.SOCKADDR_NL_SIZE, 8), arena.allocate(LinuxStructs.SIGACTION_SIZE, 8),
                    arena.allocateFrom("/nonexistent-kqueue-ffm/x", StandardCharsets.UTF_8), arena.allocate(3, 8),
                    arena.allocate(64, 8));
            socklen.set(ValueLayout.JAVA_INT, 0, 4);
            pollfd.set(ValueLayout.JAVA_INT, LinuxStructs.POLLFD_FD, -1);
        }
    }

    /**
     * One call of every checked wrapper with exactly-sized arguments, each failing in the kernel
     * or the C library without side effects (a bad descriptor, flag or id), or a pure query.
     */
    private static Map<String, IntSupplier> goodCalls(Segments s) {
        Map<String, IntSupplier> calls = new LinkedHashMap<>();
        calls.put("epoll_ctl", () -> LinuxCalls.epollCtl(-1, LinuxConstants.EPOLL_CTL_ADD, 0, s.epollEvents()));
        calls.put("epoll_ctl NULL", () -> LinuxCalls.epollCtl(-1, LinuxConstants.EPOLL_CTL_DEL, 0, NULL));
        calls.put("epoll_wait", () -> LinuxCalls.epollWait(-1, s.epollEvents(), 2, 0));
        calls.put("epoll_pwait2", () -> LinuxCalls.epollPwait2(-1, s.epollEvents(), 2, s.timespec()));
        calls.put("epoll_pwait2 NULL", () -> LinuxCalls.epollPwait2(-1, s.epollEvents(), 2, NULL));
        calls.put("timerfd_settime", () -> LinuxCalls.timerfdSettime(-1, 0, s.itimerspec(), s.itimerspec()));
        calls.put("timerfd_settime NULL", () -> LinuxCalls.timerfdSettime(-1, 0, s.itimerspec(), NULL));
        calls.put("timerfd_gettime", () -> LinuxCalls.timerfdGettime(-1, s.itimerspec()));
        calls.put("signalfd", () -> LinuxCalls.signalfd(-2, s.sigset(), 0));
        calls.put("sigemptyset", () -> LinuxCalls.sigemptyset(s.sigset()));
        calls.put("sigaddset", () -> LinuxCalls.sigaddset(s.sigset(), 1));
        calls.put("sigismember", () -> LinuxCalls.sigismember(s.sigset(), 1));
        calls.put("pthread_sigmask", () -> LinuxCalls.pthreadSigmask(LinuxConstants.SIG_BLOCK, NULL, s.sigset()));
        calls.put("inotify_add_watch", () -> LinuxCalls.inotifyAddWatch(-1, s.path(), 0));
        calls.put("waitid", () -> LinuxCalls.waitid(-1, 0, s.siginfo(), 0));
        calls.put("pipe2", () -> LinuxCalls.pipe2(s.twoInts(), -1));
        calls.put("socketpair", () -> LinuxCalls.socketpair(-1, 0, 0, s.twoInts()));
        calls.put("ioctl", () -> LinuxCalls.ioctl(-1, LinuxConstants.FIONREAD, s.oneInt()));
        calls.put("ioctl encoded", () -> LinuxCalls.ioctl(-1, PIDFD_GET_INFO, s.pidfdInfo()));
        calls.put("getsockopt", () -> LinuxCalls.getsockopt(-1, 0, 0, s.oneInt(), s.socklen()));
        calls.put("setsockopt", () -> LinuxCalls.setsockopt(-1, 0, 0, s.oneInt(), 4));
        calls.put("fstat", () -> LinuxCalls.fstat(-1, s.stat()));
        calls.put("read", () -> (int) LinuxCalls.read(-1, s.buffer(), 3));
        calls.put("write", () -> (int) LinuxCalls.write(-1, s.buffer(), 3));
        calls.put("readNonBlocking", () -> (int) LinuxCalls.readNonBlocking(-1, s.buffer(), 3));
        calls.put("writeNonBlocking", () -> (int) LinuxCalls.writeNonBlocking(-1, s.buffer(), 3));
        calls.put("clock_gettime", () -> LinuxCalls.clockGettime(LinuxConstants.CLOCK_MONOTONIC, s.timespec()));
        calls.put("poll", () -> LinuxCalls.poll(s.pollfd(), 1, 0));
        calls.put("getrlimit", () -> LinuxCalls.getrlimit(-1, s.rlimit()));
        calls.put("setrlimit", () -> LinuxCalls.setrlimit(-1, s.rlimit()));
        calls.put("bind", () -> LinuxCalls.bind(-1, s.sockaddr(), (int) LinuxStructs.SOCKADDR_NL_SIZE));
        calls.put("send", () -> (int) LinuxCalls.send(-1, s.buffer(), 3, 0));
        calls.put("recv", () -> (int) LinuxCalls.recv(-1, s.buffer(), 3, 0));
        calls.put("sigaction", () -> LinuxCalls.sigaction(-1, s.sigaction(), s.sigaction()));
        calls.put("sigaction NULL", () -> LinuxCalls.sigaction(-1, NULL, NULL));
        calls.put("open", () -> LinuxCalls.open(s.path(), LinuxConstants.O_RDONLY, 0));
        calls.put("mkfifo", () -> LinuxCalls.mkfifo(s.path(), 0600));
        return calls;
    }

    private MemorySegment unterminated(String text) {
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        return arena.allocate(raw.length).copyFrom(MemorySegment.ofArray(raw));
    }

    /** Bytes waiting to be read on {@code fd} (FIONREAD). */
    private int queued(int fd) {
        MemorySegment n = bytes(4);
        assertEquals(0, LinuxCalls.ioctl(fd, LinuxConstants.FIONREAD, n));
        return n.get(ValueLayout.JAVA_INT, 0);
    }
}
