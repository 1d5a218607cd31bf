package io.github.kqueueffm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;

/**
 * Wakes a {@link Selector} as a NIO event loop does when another thread hands it work: the waker
 * sets a flag (the loop's task queue) and calls {@link Selector#wakeup()}; the owner selects until
 * it sees the flag.
 */
final class NioWakeable implements Wakeable {
    private final Selector selector;
    private volatile boolean woken;

    /**
     * Opens the selector.
     *
     * @throws IOException if it cannot be opened
     */
    NioWakeable() throws IOException {
        selector = Selector.open();
    }

    @Override
    public void await() throws IOException {
        while (!woken) {
            selector.select();
        }
        woken = false;
    }

    @Override
    public void wake() {
        woken = true;
        selector.wakeup();
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
