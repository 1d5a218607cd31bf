package io.github.kqueueffm.tests.support;

import io.github.kqueueffm.Descriptors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Real kernel objects for tests: pipes, socketpairs, loopback TCP connections, raw reads and
 * writes, descriptor counts. Everything here talks to the real kernel, through {@link HostOs}.
 */
public final class Os {
    private Os() {
    }

    /** A pipe: {@code [0]} read end, {@code [1]} write end, both close-on-exec and non-blocking. */
    public static int[] pipe() {
        return HostOs.current().pipe();
    }

    /** An AF_UNIX stream socketpair, close-on-exec and non-blocking. */
    public static int[] socketpair() {
        return HostOs.current().socketpair();
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

    /** Writes {@code n} bytes (value 'x'); returns the count written, or −1 if write(2) failed. */
    public static long write(int fd, int n) {
        try {
            return writeOrThrow(fd, n);
        } catch (HostOs.CallException e) {
            return -1;
        }
    }

    /**
     * Writes {@code n} bytes (value 'x') where the write must fail.
     *
     * @return the errno name of the failure, or null if the write succeeded
     */
    public static String writeErrno(int fd, int n) {
        try {
            writeOrThrow(fd, n);
            return null;
        } catch (HostOs.CallException e) {
            return e.errno();
        }
    }

    private static long writeOrThrow(int fd, int n) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, n));
            buf.fill((byte) 'x');
            return HostOs.current().write(fd, buf, n);
        }
    }

    /** Reads up to {@code n} bytes; returns the count read (0 at end of file), or −1 if read(2) failed. */
    public static long read(int fd, int n) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, n));
            return HostOs.current().read(fd, buf, n);
        } catch (HostOs.CallException e) {
            return -1;
        }
    }

    /** close(2), failing with the errno name. */
    public static void close(int fd) {
        HostOs.current().close(fd);
    }

    /** close(2) of every descriptor, ignoring errors. */
    public static void closeQuietly(int... fds) {
        HostOs host = HostOs.current();
        for (int fd : fds) {
            try {
                host.close(fd);
            } catch (HostOs.CallException ignored) {
                // closed already, or never opened
            }
        }
    }

    /** dup(2). */
    public static int dup(int fd) {
        return HostOs.current().dup(fd);
    }

    /** shutdown(2). */
    public static void shutdown(int fd, HostOs.Shutdown how) {
        HostOs.current().shutdown(fd, how);
    }

    /** Bytes queued for reading (FIONREAD). */
    public static int readable(int fd) {
        return HostOs.current().bytesReadable(fd);
    }

    /** A pipe's capacity in bytes (F_GETPIPE_SZ on Linux). */
    public static int pipeCapacity(int fd) {
        return HostOs.current().pipeCapacity(fd);
    }

    /** Whether poll(2) reports the descriptor readable right now. */
    public static boolean pollReadable(int fd) {
        return HostOs.current().pollReadable(fd);
    }

    /** The number of open descriptors of this process. */
    public static int fdCount() {
        return HostOs.current().openDescriptors().length - 1; // the listing's own descriptor
    }

    /** Whether close-on-exec is set on a descriptor. */
    public static boolean isCloseOnExec(int fd) {
        return HostOs.current().isCloseOnExec(fd);
    }

    /**
     * The process's open descriptor numbers, as the host's descriptor directory lists them (with
     * the listing's own descriptor, see {@link HostOs#openDescriptors()}).
     */
    public static int[] openDescriptors() {
        return HostOs.current().openDescriptors();
    }

    /** The host errno number of a name (EBADF, ...). */
    public static int errno(String name) {
        return HostOs.current().errnoNumber(name);
    }
}
