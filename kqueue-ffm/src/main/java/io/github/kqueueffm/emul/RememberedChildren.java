package io.github.kqueueffm.emul;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The children whose {@link Process} a user handed over, so that a NOTE_EXIT whose wait status
 * the JDK's reaper took first can still report it (docs/conformance.md#s3.15): the last resort of every backend that
 * reads exit statuses without reaping. Thread-safe.
 */
public final class RememberedChildren {
    private static final ConcurrentHashMap<Long, Child> CHILDREN = new ConcurrentHashMap<>();
    /** Where the collector puts the children it cleared, so each is forgotten once, in O(1). */
    private static final ReferenceQueue<Process> COLLECTED = new ReferenceQueue<>();

    /** A weakly held child, knowing its pid so that its entry can go when it is collected. */
    private static final class Child extends WeakReference<Process> {
        final long pid;

        Child(Process process) {
            super(process, COLLECTED);
            this.pid = process.pid();
        }
    }

    private RememberedChildren() {
    }

    /**
     * Remembers a child until it is collected.
     *
     * @param process the child
     */
    public static void remember(Process process) {
        for (Reference<? extends Process> gone; (gone = COLLECTED.poll()) != null; ) {
            Child child = (Child) gone;
            CHILDREN.remove(child.pid, child); // not a later child's entry with the same pid
        }
        CHILDREN.put(process.pid(), new Child(process));
    }

    /** @return whether a child with this pid is remembered (its Process not yet collected and forgotten) */
    static boolean remembers(long pid) {
        return CHILDREN.containsKey(pid);
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
        Child ref = CHILDREN.get(pid);
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
