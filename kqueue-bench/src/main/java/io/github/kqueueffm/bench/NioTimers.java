package io.github.kqueueffm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * W3 as a NIO event loop does it: a {@link PriorityQueue} of timers and {@code select} with the
 * earliest deadline's timeout (milliseconds, rounded up). Arming a timer is one queue insert.
 */
final class NioTimers implements Timers {
    private final Selector selector;
    private final PriorityQueue<Timer> queue = new PriorityQueue<>(Comparator.comparingLong(Timer::deadline));

    /** A timer as a user keeps it: its deadline and which one it is. */
    private record Timer(long deadline, int id) {
    }

    /**
     * Opens the selector.
     *
     * @throws IOException if it cannot be opened
     */
    NioTimers() throws IOException {
        selector = Selector.open();
    }

    @Override
    public long armAll(int count) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            queue.add(new Timer(System.nanoTime() + Timers.timeoutMillis(i) * 1_000_000, i));
        }
        return System.nanoTime() - start;
    }

    @Override
    public void awaitAll(int count) throws IOException {
        for (int expired = 0; expired < count; ) {
            long wait = queue.peek().deadline() - System.nanoTime();
            if (wait > 0) {
                selector.select((wait + 999_999) / 1_000_000);
            }
            long now = System.nanoTime();
            while (!queue.isEmpty() && queue.peek().deadline() <= now) {
                queue.poll();
                expired++;
            }
        }
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
