package io.github.kqueueffm.emul;

import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.Knote;

import java.util.Arrays;

/**
 * Knotes to activate again once the current scan is over: a second event waiting behind the one a
 * knote is reporting now (a tracked child's exit behind its NOTE_CHILD). Activated from the
 * backend's {@code afterScan}. Guarded by the kqueue's lock.
 */
public final class DeferredActivations {
    private final KQueueCore core;
    // guarded by the kqueue's lock
    private Knote[] knotes = new Knote[8];
    private int count;

    /** @param core the kqueue */
    public DeferredActivations(KQueueCore core) {
        this.core = core;
    }

    /**
     * Queues a knote for activation after the scan.
     *
     * @param kn the knote
     */
    public void defer(Knote kn) {
        assert core.holdsLock();
        if (count == knotes.length) {
            knotes = Arrays.copyOf(knotes, count * 2);
        }
        knotes[count++] = kn;
    }

    /** Activates every deferred knote (after a scan). */
    public void activateAll() {
        assert core.holdsLock();
        for (int i = 0; i < count; i++) {
            core.activate(knotes[i]);
            knotes[i] = null;
        }
        count = 0;
    }
}
