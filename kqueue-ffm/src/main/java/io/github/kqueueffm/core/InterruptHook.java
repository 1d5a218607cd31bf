package io.github.kqueueffm.core;

import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;

/**
 * The JDK's public hook for making {@link Thread#interrupt()} end a blocking native wait:
 * {@link AbstractSelector}'s {@code begin()}/{@code end()} register an interruptor with the
 * current thread that calls {@link #wakeup()}. This selector is used for nothing else; its
 * {@code wakeup()} writes the kqueue's wakeup descriptor.
 */
final class InterruptHook extends AbstractSelector {
    private final Runnable onInterrupt;

    InterruptHook(Runnable onInterrupt) {
        super(SelectorProvider.provider());
        this.onInterrupt = onInterrupt;
    }

    /** Arms the hook for the calling thread before it blocks. */
    void enter() {
        begin();
    }

    /** Disarms it after the wait. */
    void exit() {
        end();
    }

    @Override
    public Selector wakeup() {
        onInterrupt.run();
        return this;
    }

    @Override
    protected void implCloseSelector() {
    }

    @Override
    protected SelectionKey register(AbstractSelectableChannel ch, int ops, Object att) {
        throw new IllegalStateException("not a selector");
    }

    @Override
    public Set<SelectionKey> keys() {
        return Set.of();
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        return Set.of();
    }

    @Override
    public int selectNow() {
        return 0;
    }

    @Override
    public int select(long timeout) {
        return 0;
    }

    @Override
    public int select() {
        return 0;
    }

}
