package io.github.kqueueffm.bench;

import io.netty.channel.IoRegistration;

/**
 * W5 on Netty's {@code EpollIoHandler}, on its loop thread: {@code register} of a handle and
 * {@code submit(EPOLLIN)} ({@code EPOLL_CTL_ADD}), then {@code cancel} ({@code EPOLL_CTL_DEL}), as a
 * channel's registration and deregistration do.
 */
final class NettyChurner implements Churner {
    private static final Runnable IGNORE = () -> { };

    private final int fd;
    private final NettyLoop loop = new NettyLoop(Thread.currentThread());

    /**
     * A handler whose loop thread is the calling thread.
     *
     * @param fd the socket
     */
    NettyChurner(int fd) {
        this.fd = fd;
    }

    @Override
    public void addThenDelete() throws Exception {
        IoRegistration registration = loop.register(fd, IGNORE);
        registration.cancel();
    }

    @Override
    public void close() {
        loop.close();
    }
}
