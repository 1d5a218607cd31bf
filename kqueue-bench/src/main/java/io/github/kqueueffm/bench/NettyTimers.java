package io.github.kqueueffm.bench;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * W3 as a Netty user does it: {@code EventLoop.schedule} of one task per timer, called on the event
 * loop's own thread (as a channel handler would), on a one-thread epoll event loop group; Netty
 * keeps them in its scheduled-task queue and arms its timerfd at the earliest.
 */
final class NettyTimers implements Timers {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final CountDownLatch done = new CountDownLatch(1);
    /** Timers still to expire; loop thread only. */
    private int pending;

    @Override
    public long armAll(int count) throws InterruptedException, ExecutionException {
        return loop.submit(() -> {
            long start = System.nanoTime();
            pending = count;
            Runnable expire = this::expired;
            for (int i = 0; i < count; i++) {
                loop.schedule(expire, Timers.timeoutMillis(i), TimeUnit.MILLISECONDS);
            }
            return System.nanoTime() - start;
        }).get();
    }

    private void expired() {
        if (--pending == 0) {
            done.countDown();
        }
    }

    @Override
    public void awaitAll(int count) throws InterruptedException {
        done.await();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
