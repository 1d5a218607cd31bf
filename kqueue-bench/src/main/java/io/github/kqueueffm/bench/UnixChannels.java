package io.github.kqueueffm.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Connected AF_UNIX stream channel pairs for the nio backend, which cannot adopt a descriptor made by
 * {@code socketpair(2)}: a listening socket at a temporary path, connected to and accepted from. The
 * kernel object is the same as a socketpair's.
 */
final class UnixChannels implements AutoCloseable {
    private final Path directory;
    private final ServerSocketChannel server;

    /**
     * Opens the listening socket.
     *
     * @throws IOException if it cannot be bound
     */
    UnixChannels() throws IOException {
        directory = Files.createTempDirectory("kqueue-bench");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(directory.resolve("s")), 64);
    }

    /**
     * One connected pair, both ends non-blocking (as a Selector needs them).
     *
     * @return the connecting end and the accepted end
     * @throws IOException if the connection fails
     */
    SocketChannel[] pair() throws IOException {
        SocketChannel a = SocketChannel.open(server.getLocalAddress());
        SocketChannel b = server.accept();
        a.configureBlocking(false);
        b.configureBlocking(false);
        return new SocketChannel[] {a, b};
    }

    /** Closes the listening socket and removes its path; the pairs stay open. */
    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(directory.resolve("s"));
        Files.deleteIfExists(directory);
    }
}
