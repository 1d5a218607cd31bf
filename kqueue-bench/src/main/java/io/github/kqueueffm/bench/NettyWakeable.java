package io.github.kqueueffm.bench;

/**
 * Wakes a Netty {@code EpollIoHandler} as its event loop is woken when another thread submits a
 * task: the waker sets a flag (the task queue) and calls {@code wakeup()}, which writes Netty's
 * eventfd only if the loop announced that it waits; the loop may block only while the flag is
 * clear, asked again after the announcement.
 */
final class NettyWakeable implements Wakeable {
    private final NettyLoop loop;
    private volatile boolean woken;

    /**
     * A handler whose loop thread is {@code owner}.
     *
     * @param owner the thread that will call {@link #await()}
     */
    NettyWakeable(Thread owner) {
        loop = new NettyLoop(owner, () -> !woken);
    }

    @Override
    public void await() {
        while (!woken) {
            loop.runOnce();
        }
        woken = false;
    }

    @Override
    public void wake() {
        woken = true;
        loop.wakeup();
    }

    @Override
    public void close() {
        loop.close();
    }
}
