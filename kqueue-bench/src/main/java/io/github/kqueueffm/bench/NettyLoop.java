package io.github.kqueueffm.bench;

import io.netty.channel.IoEvent;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.ThreadAwareExecutor;

import java.util.function.BooleanSupplier;

/**
 * One Netty {@link EpollIoHandler} run by the thread that owns it, the way Netty's
 * {@code SingleThreadIoEventLoop} runs it: {@link #runOnce()} is one turn of an event loop (one
 * {@code epoll_wait}, then the ready handles' callbacks), {@link #wakeup()} is what a task submitted
 * from another thread costs. This uses Netty 4.2's public {@code IoHandler}/{@code IoHandle} API
 * without the channel pipeline, so that the benchmark thread itself is the event loop, as it is for
 * every other backend; {@code Native.epollWait} is not usable from outside Netty (its event array
 * has no public constructor).
 */
final class NettyLoop implements AutoCloseable {
    private final Thread owner;
    private final IoHandler handler;
    private final IoHandlerContext context;

    /**
     * A handler whose event loop thread is {@code owner}.
     *
     * @param owner the thread that will call {@link #runOnce()}
     * @param mayBlock asked before blocking, as the event loop asks whether its task queue is empty
     *                 (asked again after it announced the wait, so a {@link #wakeup()} is never lost)
     */
    NettyLoop(Thread owner, BooleanSupplier mayBlock) {
        this.owner = owner;
        ThreadAwareExecutor executor = new ThreadAwareExecutor() {
            @Override
            public boolean isExecutorThread(Thread thread) {
                return thread == NettyLoop.this.owner;
            }

            @Override
            public void execute(Runnable task) {
                // Netty hands a task here only when a registration is cancelled from another thread:
                // here that is close(), after the owner has stopped running the loop.
                task.run();
            }
        };
        handler = EpollIoHandler.newFactory().newHandler(executor);
        handler.initialize();
        context = new IoHandlerContext() {
            @Override
            public boolean canBlock() {
                return mayBlock.getAsBoolean();
            }

            @Override
            public long delayNanos(long currentTimeNanos) {
                return Long.MAX_VALUE;
            }

            @Override
            public long deadlineNanos() {
                return -1; // nothing scheduled
            }
        };
    }

    /**
     * A handler that always may block (for loops that only wait for descriptors).
     *
     * @param owner the thread that will call {@link #runOnce()}
     */
    NettyLoop(Thread owner) {
        this(owner, () -> true);
    }

    /**
     * Registers a descriptor for EPOLLIN (level-triggered).
     *
     * @param fd the descriptor, which stays the caller's to close
     * @param onEvent called on the loop thread for each event
     * @return the registration, to cancel on the loop thread
     * @throws Exception as {@link IoHandler#register} and {@link IoRegistration#submit}
     */
    IoRegistration register(int fd, Runnable onEvent) throws Exception {
        IoRegistration registration = handler.register(new Handle(new FileDescriptor(fd), onEvent));
        registration.submit(EpollIoOps.EPOLLIN);
        return registration;
    }

    /**
     * One turn: waits (if the supplier allows) and dispatches what is ready.
     *
     * @return the number of handles dispatched
     */
    int runOnce() {
        return handler.run(context);
    }

    /** Wakes the loop from another thread, as a task submission does. */
    void wakeup() {
        handler.wakeup();
    }

    /** Cancels every registration and closes Netty's epoll, eventfd and timerfd. */
    @Override
    public void close() {
        handler.prepareToDestroy();
        handler.destroy();
    }

    /** A descriptor the caller owns: Netty's close of the handle leaves it open. */
    private record Handle(FileDescriptor fd, Runnable onEvent) implements EpollIoHandle {
        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            onEvent.run();
        }

        @Override
        public void close() {
        }
    }
}
