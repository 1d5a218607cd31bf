package io.github.kqueueffm.bench;

import io.netty.channel.unix.FileDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A ping-pong end on Netty's epoll transport: the descriptor registered with an
 * {@code EpollIoHandler} (EPOLLIN) whose turns the end's own thread runs; the byte is read in the
 * handle's callback with Netty's {@link FileDescriptor}, as a Netty {@code IoHandle} reads.
 */
final class NettyPingEnd implements PingEnd {
    private static final int NOTHING = Integer.MIN_VALUE;

    private final FileDescriptor fd;
    private final NettyLoop loop;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1);
    private final List<SocketPair> idle = new ArrayList<>();
    /** What the callback read in the current turn; loop thread only. */
    private int read = NOTHING;

    /**
     * Registers {@code fd} with a new handler whose loop thread is {@code owner}.
     *
     * @param fd the socket, now owned by this end
     * @param owner the thread that will call {@link #receive()}
     * @throws Exception if Netty cannot register it
     */
    NettyPingEnd(int fd, Thread owner) throws Exception {
        this.fd = new FileDescriptor(fd);
        loop = new NettyLoop(owner);
        loop.register(fd, this::onReadable);
    }

    private void onReadable() {
        try {
            read = fd.read(buffer, 0, 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void send() throws IOException {
        fd.write(buffer, 0, 1);
    }

    @Override
    public boolean receive() {
        read = NOTHING;
        while (read == NOTHING) {
            loop.runOnce();
        }
        return read > 0;
    }

    @Override
    public void watchIdle(int pairs) throws Exception {
        for (int i = 0; i < pairs; i++) {
            SocketPair pair = SocketPair.open();
            idle.add(pair);
            loop.register(pair.mine(), () -> { });
            loop.register(pair.peer(), () -> { });
        }
    }

    @Override
    public void close() {
        loop.close();
        try {
            fd.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        idle.forEach(SocketPair::close);
    }
}
