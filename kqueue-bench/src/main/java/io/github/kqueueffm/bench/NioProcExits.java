package io.github.kqueueffm.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * W7 with the JDK's own API: one {@link Process#onExit()} future per child, then the wait for all
 * of them. The futures complete from the JDK's reaper threads, one of which already waits for each
 * child it started.
 */
final class NioProcExits implements ProcExits {
    private final List<CompletableFuture<Process>> exits = new ArrayList<>();

    @Override
    public long watchAll(List<Process> children) {
        long start = System.nanoTime();
        for (Process child : children) {
            exits.add(child.onExit());
        }
        return System.nanoTime() - start;
    }

    @Override
    public void awaitAll() throws Exception {
        try {
            CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).get(STALL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw ProcExits.stalled("onExit", (int) exits.stream().filter(CompletableFuture::isDone).count(),
                    exits.size());
        }
        for (CompletableFuture<Process> exit : exits) {
            if (exit.resultNow().isAlive()) {
                throw new IllegalStateException("onExit: completed for a live child " + exit.resultNow().pid());
            }
        }
    }

    @Override
    public void close() {
        exits.clear();
    }
}
