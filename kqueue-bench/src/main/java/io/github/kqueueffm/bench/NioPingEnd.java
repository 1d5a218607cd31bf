package io.github.kqueueffm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A ping-pong end on the JDK's {@link Selector}: OP_READ, {@code select} with the action form (which
 * fills no selected-key set), then a non-blocking channel read.
 */
final class NioPingEnd implements PingEnd {
    private static final Consumer<SelectionKey> IGNORE = key -> { };

    private final SocketChannel channel;
    private final Selector selector;
    private final UnixChannels connector;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1);
    private final List<SocketChannel> idle = new ArrayList<>();

    /**
     * Opens a selector watching {@code channel}.
     *
     * @param channel a non-blocking connected channel, now owned by this end
     * @param connector where idle pairs come from
     * @throws IOException if the selector cannot be opened
     */
    NioPingEnd(SocketChannel channel, UnixChannels connector) throws IOException {
        this.channel = channel;
        this.connector = connector;
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    @Override
    public void send() throws IOException {
        buffer.clear();
        channel.write(buffer);
    }

    @Override
    public boolean receive() throws IOException {
        while (true) {
            selector.select(IGNORE);
            buffer.clear();
            int n = channel.read(buffer);
            if (n != 0) {
                return n > 0;
            }
        }
    }

    @Override
    public void watchIdle(int pairs) throws IOException {
        for (int i = 0; i < pairs; i++) {
            for (SocketChannel end : connector.pair()) {
                idle.add(end);
                end.register(selector, SelectionKey.OP_READ);
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
            selector.close();
            for (SocketChannel end : idle) {
                end.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
