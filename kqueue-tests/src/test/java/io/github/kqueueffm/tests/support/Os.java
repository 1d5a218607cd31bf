package io.github.kqueueffm.tests.support;

import io.github.kqueueffm.Descriptors;
import io.github.kqueueffm.bindings.ErrnoNames;
import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxConstants;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Real kernel objects for tests: pipes, socketpairs, loopback TCP connections, raw reads and
 * writes, descriptor and thread counts. Everything here talks to the real kernel.
 */
public final class Os {
    private Os() {
    }

    /** A pipe: {@code [0]} read end, {@code [1]} write end, both close-on-exec and non-blocking. */
    public static int[] pipe() {
        return pair(seg -> LinuxCalls.pipe2(seg, LinuxConstants.O_CLOEXEC | LinuxConstants.O_NONBLOCK), "pipe2");
    }

    /** An AF_UNIX stream socketpair, close-on-exec and non-blocking. */
    public static int[] socketpair() {
        return pair(seg -> LinuxCalls.socketpair(LinuxConstants.AF_UNIX,
                LinuxConstants.SOCK_STREAM | LinuxConstants.SOCK_CLOEXEC | LinuxConstants.SOCK_NONBLOCK, 0, seg),
                "socketpair");
    }

    private interface PairCall {
        int call(MemorySegment fds);
    }

    private static int[] pair(PairCall call, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            check(call.call(fds), name);
            return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
        }
    }

    /** A connected loopback TCP pair: {@code client} and {@code server}, both non-blocking. */
    public record TcpPair(SocketChannel client, SocketChannel server, ServerSocketChannel listener)
            implements AutoCloseable {
        /** @return the client's descriptor */
        public int clientFd() {
            return Descriptors.of(client);
        }

        /** @return the accepted server side's descriptor */
        public int serverFd() {
            return Descriptors.of(server);
        }

        @Override
        public void close() throws IOException {
            client.close();
            server.close();
            listener.close();
        }
    }

    /** Opens a loopback TCP connection. */
    public static TcpPair tcpPair() throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        SocketChannel client = SocketChannel.open(listener.getLocalAddress());
        SocketChannel server = listener.accept();
        client.configureBlocking(false);
        server.configureBlocking(false);
        return new TcpPair(client, server, listener);
    }

    /** Writes {@code n} bytes (value 'x'); returns what write(2) returned. */
    public static long write(int fd, int n) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, n));
            buf.fill((byte) 'x');
            return LinuxCalls.write(fd, buf, n);
        }
    }

    /** Reads up to {@code n} bytes; returns what read(2) returned. */
    public static long read(int fd, int n) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, n));
            return LinuxCalls.read(fd, buf, n);
        }
    }

    /** close(2), asserting success. */
    public static void close(int fd) {
        check(LinuxCalls.close(fd), "close(" + fd + ")");
    }

    /** close(2) of every descriptor, ignoring errors. */
    public static void closeQuietly(int... fds) {
        for (int fd : fds) {
            LinuxCalls.close(fd);
        }
    }

    /** dup(2). */
    public static int dup(int fd) {
        return check(LinuxCalls.dup(fd), "dup");
    }

    /** shutdown(2). */
    public static void shutdown(int fd, int how) {
        check(LinuxCalls.shutdown(fd, how), "shutdown");
    }

    /** Bytes queued for reading (FIONREAD). */
    public static int readable(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocate(ValueLayout.JAVA_INT);
            check(LinuxCalls.ioctl(fd, LinuxConstants.FIONREAD, n), "ioctl(FIONREAD)");
            return n.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** Whether poll(2) reports the descriptor readable right now. */
    public static boolean pollReadable(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pfd = arena.allocate(8, 4);
            pfd.set(ValueLayout.JAVA_INT, 0, fd);
            pfd.set(ValueLayout.JAVA_SHORT, 4, (short) LinuxConstants.POLLIN);
            int n = check(LinuxCalls.poll(pfd, 1, 0), "poll");
            return n == 1 && (pfd.get(ValueLayout.JAVA_SHORT, 6) & LinuxConstants.POLLIN) != 0;
        }
    }

    /** The number of open descriptors of this process. */
    public static int fdCount() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count() - 1; // the directory stream's own descriptor
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether close-on-exec is set on a descriptor. */
    public static boolean isCloseOnExec(int fd) {
        int flags = check(LinuxCalls.fcntl(fd, LinuxConstants.F_GETFD, 0), "fcntl(F_GETFD)");
        return (flags & LinuxConstants.FD_CLOEXEC) != 0;
    }

    /** The process's open descriptor numbers. */
    public static int[] openDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.mapToInt(p -> Integer.parseInt(p.getFileName().toString())).sorted().toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails with the errno name when a call returned −1. */
    public static int check(int result, String call) {
        if (result < 0) {
            throw new IllegalStateException(call + " failed: " + ErrnoNames.name(LinuxCalls.errno()));
        }
        return result;
    }

    /** The host errno number of a name (EBADF, ...). */
    public static int errno(String name) {
        return ErrnoNames.number(name);
    }
}
