package io.github.kqueueffm.emul;

import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The children whose {@link Process} a user handed over, so that a NOTE_EXIT whose wait status
 * the JDK's reaper took first can still report it (docs/conformance.md#s3.15): the last resort of every backend that
 * reads exit statuses without reaping. Thread-safe.
 */
public final class RememberedChildren {
    private static final ConcurrentHashMap<Long, WeakReference<Process>> CHILDREN = new ConcurrentHashMap<>();

    private RememberedChildren() {
    }

    /**
     * Remembers a child until it is collected.
     *
     * @param process the child
     */
    public static void remember(Process process) {
        CHILDREN.put(process.pid(), new WeakReference<>(process));
        CHILDREN.values().removeIf(ref -> ref.get() == null);
    }

    /**
     * The wait status of a remembered child that has exited, from {@link Process#exitValue()}
     * (which gives 128 + s for death by signal s). Waits up to 200 ms for the JDK's reaper: the
     * exited process, not a later one with the same pid, must be the one that is not alive.
     *
     * @param pid the process
     * @return the wait status (exit(n) gives n << 8, death by signal s gives s), or −1
     */
    public static long exitStatus(long pid) {
        WeakReference<Process> ref = CHILDREN.get(pid);
        Process child = ref == null ? null : ref.get();
        if (child == null) {
            return -1;
        }
        try {
            if (child.waitFor(200, TimeUnit.MILLISECONDS)) {
                int value = child.exitValue();
                return value > 128 ? value - 128 : (long) value << 8;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }
}
