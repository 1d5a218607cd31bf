package io.github.kqueueffm.tests.support;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.bindings.ErrnoNames;
import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxConstants;
import io.github.kqueueffm.bindings.linux.LinuxStructs;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Helpers for the EVFILT_READ / EVFILT_WRITE / EVFILT_EMPTY conformance tests: kevent shorthands,
 * socket options, filling and draining real socket and pipe buffers, FIFOs. Everything talks to
 * the real kernel.
 */
public final class ReadWriteSupport {
    private ReadWriteSupport() {
    }

    /** The wait that docs/conformance.md#s1.2 uses for "no event" from an asynchronous source. */
    public static final Duration NO_EVENT_WAIT = Duration.ofMillis(100);
    /** Upper bound for an expected event from an asynchronous source to show up. */
    public static final Duration EVENT_WAIT = Duration.ofSeconds(2);

    private static final int CHUNK = 64 * 1024;

    // ---------------------------------------------------------------- kevent shorthands

    /** Applies one change with no room for output: a failing change throws. */
    public static void change(KQueue kq, long ident, short filter, int flags, int fflags, long data, long udata)
            throws KQueueException {
        try (KEventList ch = KEventList.allocate(1)) {
            ch.set(0, ident, filter, flags, fflags, data, udata);
            kq.kevent(ch, 1, null, 0, Duration.ZERO);
        }
    }

    /** {@code EV_ADD} plus {@code extraFlags}, fflags/data/udata 0. */
    public static void add(KQueue kq, long ident, short filter, int extraFlags) throws KQueueException {
        change(kq, ident, filter, KEvent.EV_ADD | extraFlags, 0, 0, 0);
    }

    /**
     * Applies one change with room for one entry and returns what the call wrote (an EV_ERROR
     * entry, a receipt, or nothing).
     */
    public static List<KEvent> changeWithRoom(KQueue kq, long ident, short filter, int flags, int fflags, long data,
            long udata) throws KQueueException {
        try (KEventList ch = KEventList.allocate(1); KEventList ev = KEventList.allocate(1)) {
            ch.set(0, ident, filter, flags, fflags, data, udata);
            int n = kq.kevent(ch, 1, ev, 1, Duration.ZERO);
            List<KEvent> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(ev.get(i));
            }
            return out;
        }
    }

    /** Collects up to {@code max} events waiting at most {@code timeout} ({@code Duration.ZERO} = poll). */
    public static List<KEvent> events(KQueue kq, int max, Duration timeout) throws KQueueException {
        try (KEventList ev = KEventList.allocate(max)) {
            int n = kq.kevent(null, 0, ev, max, timeout);
            List<KEvent> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(ev.get(i));
            }
            return out;
        }
    }

    /** A poll with room for 8 events. */
    public static List<KEvent> poll(KQueue kq) throws KQueueException {
        return events(kq, 8, Duration.ZERO);
    }

    /** A wait of {@code timeout} with room for 8 events. */
    public static List<KEvent> await(KQueue kq, Duration timeout) throws KQueueException {
        return events(kq, 8, timeout);
    }

    /**
     * Waits (up to {@link #EVENT_WAIT}) until one call returns an event matching {@code wanted}
     * and returns that event, or null when none came. Only for level-triggered knotes, or for the
     * first event of an edge-triggered one: every call consumes what it returns.
     */
    public static KEvent awaitMatching(KQueue kq, Predicate<KEvent> wanted) throws KQueueException {
        long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            List<KEvent> got = events(kq, 8, Duration.ofNanos(Math.min(left, Duration.ofMillis(50).toNanos())));
            for (KEvent e : got) {
                if (wanted.test(e)) {
                    return e;
                }
            }
            if (!got.isEmpty()) {
                sleep(5);
            }
        }
    }

    // ---------------------------------------------------------------- sockets

    /** getsockopt of an int option. */
    public static int getInt(int fd, int level, int option) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, 4);
            Os.check(LinuxCalls.getsockopt(fd, level, option, value, length), "getsockopt(" + option + ")");
            return value.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** setsockopt of an int option. */
    public static void setInt(int fd, int level, int option, int v) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            value.set(ValueLayout.JAVA_INT, 0, v);
            Os.check(LinuxCalls.setsockopt(fd, level, option, value, 4), "setsockopt(" + option + ")");
        }
    }

    /** SO_LINGER {1, 0}: the next close(2) resets the connection. */
    public static void lingerZero(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment linger = arena.allocate(8, 4);
            linger.set(ValueLayout.JAVA_INT, 0, 1);
            linger.set(ValueLayout.JAVA_INT, 4, 0);
            Os.check(LinuxCalls.setsockopt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_LINGER, linger, 8),
                    "setsockopt(SO_LINGER)");
        }
    }

    /** The pending socket error (SO_ERROR); reading it clears it. */
    public static int soError(int fd) {
        return getInt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_ERROR);
    }

    /** SO_SNDBUF as getsockopt reads it (Linux: twice the value set). */
    public static int sndbuf(int fd) {
        return getInt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_SNDBUF);
    }

    /** An ioctl returning an int (SIOCOUTQ, FIONREAD, ...). */
    public static int ioctlInt(int fd, int request) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocate(ValueLayout.JAVA_INT);
            Os.check(LinuxCalls.ioctl(fd, request, n), "ioctl(" + request + ")");
            return n.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** Linux's TCP state number of a socket ({@code tcpi_state} of TCP_INFO; 2 = SYN_SENT, 1 = ESTABLISHED). */
    public static int tcpState(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(LinuxStructs.TCP_INFO_SIZE, 8);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, (int) LinuxStructs.TCP_INFO_SIZE);
            Os.check(LinuxCalls.getsockopt(fd, LinuxConstants.IPPROTO_TCP, LinuxConstants.TCP_INFO, info, length),
                    "getsockopt(TCP_INFO)");
            return Byte.toUnsignedInt(info.get(ValueLayout.JAVA_BYTE, LinuxStructs.TCP_INFO_STATE));
        }
    }

    /** Bytes in the socket's send queue not yet acknowledged (SIOCOUTQ). */
    public static int outq(int fd) {
        return ioctlInt(fd, LinuxConstants.SIOCOUTQ);
    }

    /**
     * A loopback TCP pair whose server side has a small fixed receive buffer (SO_RCVBUF 32 KiB, set
     * on the listener before the handshake so the advertised window matches it), while the client
     * keeps the default autotuned send buffer. Measured on Linux 6.18: after {@link #fill} such a
     * client stays without POLLOUT for over a second, whereas a small fixed client SO_SNDBUF
     * becomes writable again within 100 ms as the peer takes another window of data.
     */
    public static Os.TcpPair smallWindowTcpPair() throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel client = SocketChannel.open(listener.getLocalAddress());
            SocketChannel server = listener.accept();
            client.configureBlocking(false);
            server.configureBlocking(false);
            return new Os.TcpPair(client, server, listener);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /**
     * Writes to a non-blocking descriptor until write(2) fails with EAGAIN, and keeps doing so
     * until a write made 20 ms after the previous EAGAIN fails too (so in-flight TCP data has
     * settled and the buffer stays full). Returns the bytes written.
     */
    public static long fill(int fd) {
        long total = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(CHUNK);
            buf.fill((byte) 'f');
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (true) {
                long n = LinuxCalls.write(fd, buf, CHUNK);
                if (n > 0) {
                    total += n;
                    continue;
                }
                int errno = LinuxCalls.errno();
                if (n < 0 && errno != Os.errno("EAGAIN")) {
                    throw new IllegalStateException("write failed: " + ErrnoNames.name(errno));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("buffer never stayed full");
                }
                sleep(20);
                long again = LinuxCalls.write(fd, buf, CHUNK);
                if (again > 0) {
                    total += again;
                    continue;
                }
                if (LinuxCalls.errno() != Os.errno("EAGAIN")) {
                    throw new IllegalStateException("write failed: " + ErrnoNames.name(LinuxCalls.errno()));
                }
                return total;
            }
        }
    }

    /** Writes exactly {@code n} bytes to a non-blocking descriptor (retrying partial writes). */
    public static void writeFully(int fd, long n) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(CHUNK);
            buf.fill((byte) 'w');
            long left = n;
            while (left > 0) {
                long w = LinuxCalls.write(fd, buf, Math.min(CHUNK, left));
                if (w < 0) {
                    throw new IllegalStateException("write failed: " + ErrnoNames.name(LinuxCalls.errno()));
                }
                left -= w;
            }
        }
    }

    /** Reads everything currently readable from a non-blocking descriptor; returns the bytes read. */
    public static long drainNow(int fd) {
        long total = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(CHUNK);
            while (true) {
                long n = LinuxCalls.read(fd, buf, CHUNK);
                if (n <= 0) {
                    return total;
                }
                total += n;
            }
        }
    }

    /** Reads from a non-blocking descriptor until {@code expected} bytes have arrived (5 s at most). */
    public static void drainExactly(int fd, long expected) {
        long total = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (total < expected) {
            long n = drainNow(fd);
            total += n;
            if (total >= expected) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + total + " of " + expected + " bytes arrived");
            }
            if (n == 0) {
                sleep(2);
            }
        }
        if (total != expected) {
            throw new IllegalStateException("read " + total + " bytes, expected " + expected);
        }
    }

    /** A loopback port on which nothing listens (bound, then released). */
    public static InetSocketAddress closedLoopbackPort() throws IOException {
        try (ServerSocketChannel s = ServerSocketChannel.open()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return (InetSocketAddress) s.getLocalAddress();
        }
    }

    /** Sends all of {@code bytes} on a (non-blocking) socket channel. */
    public static void send(SocketChannel channel, int bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(bytes);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    // ---------------------------------------------------------------- FIFOs and eventfd

    /** mkfifo(3) with mode 0600. */
    public static void mkfifo(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            int r = LinuxCalls.mkfifo(arena.allocateFrom(path.toString()), 0600);
            if (r != 0) {
                throw new IllegalStateException("mkfifo failed: " + ErrnoNames.name(LinuxCalls.errno()));
            }
        }
    }

    /** open(2); returns the descriptor, failing the test with the errno name on −1. */
    public static int open(Path path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = LinuxCalls.open(arena.allocateFrom(path.toString()), flags | LinuxConstants.O_CLOEXEC, 0);
            if (fd < 0) {
                throw new IllegalStateException("open(" + path + ") failed: " + ErrnoNames.name(LinuxCalls.errno()));
            }
            return fd;
        }
    }

    /** Reads the 8-byte counter of an eventfd (consuming it). */
    public static long readEventfd(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(ValueLayout.JAVA_LONG);
            long n = LinuxCalls.read(fd, buf, 8);
            if (n != 8) {
                throw new IllegalStateException("eventfd read returned " + n + ": " + ErrnoNames.name(LinuxCalls.errno()));
            }
            return buf.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** Thread.sleep without the checked exception. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
