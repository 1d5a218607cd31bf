package io.github.kqueueffm.tests.support;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;

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

    /** getsockopt(SOL_SOCKET) of an int option. */
    public static int getInt(int fd, HostOs.SocketOption option) {
        return HostOs.current().socketOption(fd, option);
    }

    /** setsockopt(SOL_SOCKET) of an int option. */
    public static void setInt(int fd, HostOs.SocketOption option, int v) {
        HostOs.current().setSocketOption(fd, option, v);
    }

    /** SO_LINGER {1, 0}: the next close(2) resets the connection. */
    public static void lingerZero(int fd) {
        HostOs.current().setLingerZero(fd);
    }

    /** The pending socket error (SO_ERROR); reading it clears it. */
    public static int soError(int fd) {
        return getInt(fd, HostOs.SocketOption.SO_ERROR);
    }

    /** SO_SNDBUF as getsockopt reads it (Linux: twice the value set). */
    public static int sndbuf(int fd) {
        return getInt(fd, HostOs.SocketOption.SO_SNDBUF);
    }

    /** The TCP state of a socket ({@code tcpi_state} of TCP_INFO on Linux). */
    public static HostOs.TcpState tcpState(int fd) {
        return HostOs.current().tcpState(fd);
    }

    /** Bytes in the socket's send queue not yet acknowledged (SIOCOUTQ on Linux). */
    public static int outq(int fd) {
        return HostOs.current().unacknowledgedBytes(fd);
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
        HostOs host = HostOs.current();
        long total = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(CHUNK);
            buf.fill((byte) 'f');
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (true) {
                long n = writeUnlessFull(host, fd, buf);
                if (n > 0) {
                    total += n;
                    continue;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("buffer never stayed full");
                }
                sleep(20);
                long again = writeUnlessFull(host, fd, buf);
                if (again > 0) {
                    total += again;
                    continue;
                }
                return total;
            }
        }
    }

    /** One write of the buffer: the bytes written, or −1 on EAGAIN; any other failure throws. */
    private static long writeUnlessFull(HostOs host, int fd, MemorySegment buf) {
        try {
            return host.write(fd, buf, CHUNK);
        } catch (HostOs.CallException e) {
            if (!e.errno().equals("EAGAIN")) {
                throw e;
            }
            return -1;
        }
    }

    /** Writes exactly {@code n} bytes to a non-blocking descriptor (retrying partial writes). */
    public static void writeFully(int fd, long n) {
        HostOs host = HostOs.current();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(CHUNK);
            buf.fill((byte) 'w');
            long left = n;
            while (left > 0) {
                left -= host.write(fd, buf, Math.min(CHUNK, left));
            }
        }
    }

    /** Reads everything currently readable from a non-blocking descriptor; returns the bytes read. */
    public static long drainNow(int fd) {
        HostOs host = HostOs.current();
        long total = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(CHUNK);
            while (true) {
                long n;
                try {
                    n = host.read(fd, buf, CHUNK);
                } catch (HostOs.CallException e) {
                    return total; // EAGAIN: nothing more now
                }
                if (n == 0) {
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
        HostOs.current().mkfifo(path);
    }

    /** open(2) with O_CLOEXEC added; returns the descriptor, failing the test with the errno name. */
    public static int open(Path path, HostOs.OpenFlag... flags) {
        return HostOs.current().open(path, flags);
    }

    /** An eventfd with counter {@code initial}, close-on-exec and non-blocking. */
    public static int eventfd(int initial) {
        return HostOs.current().eventfd(initial);
    }

    /** Reads the 8-byte counter of an eventfd (consuming it). */
    public static long readEventfd(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Long.BYTES, Long.BYTES);
            long n = HostOs.current().read(fd, buf, Long.BYTES);
            if (n != Long.BYTES) {
                throw new IllegalStateException("eventfd read returned " + n);
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
