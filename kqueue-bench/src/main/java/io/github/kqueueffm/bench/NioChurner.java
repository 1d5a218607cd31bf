package io.github.kqueueffm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * W5 on a {@link Selector}: register for OP_READ, {@code selectNow}, cancel the key,
 * {@code selectNow}. The selector applies registrations and cancellations only at its next select
 * (and refuses to register a channel again before the cancelled key is flushed), so each change is
 * followed by one; that is how a NIO loop's changes reach epoll.
 */
final class NioChurner implements Churner {
    private final SocketChannel channel;
    private final Selector selector;

    /**
     * Opens the selector.
     *
     * @param channel a non-blocking socket channel
     * @throws IOException if the selector cannot be opened
     */
    NioChurner(SocketChannel channel) throws IOException {
        this.channel = channel;
        selector = Selector.open();
    }

    @Override
    public void addThenDelete() throws IOException {
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
        selector.selectNow();
        key.cancel();
        selector.selectNow();
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
