package io.github.kqueueffm.emul;

import io.github.kqueueffm.core.KQueueCore;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The open kqueues of this process by descriptor number, so a descriptor filter can tell a
 * kqueue's descriptor from any other descriptor (EVFILT_READ on a kqueue reports its pending
 * count; KQ-53, KQ-54, KQ-56). Thread-safe: backends of any kqueue add and remove entries.
 */
public final class KQueueRegistry {
    private static final ConcurrentHashMap<Integer, KQueueCore> OPEN = new ConcurrentHashMap<>();

    private KQueueRegistry() {
    }

    /**
     * Records an open kqueue.
     *
     * @param fd its descriptor
     * @param core its core
     */
    public static void add(int fd, KQueueCore core) {
        OPEN.put(fd, core);
    }

    /**
     * Forgets a kqueue that closes (unless the number names another kqueue by now).
     *
     * @param fd its descriptor
     * @param core its core
     */
    public static void remove(int fd, KQueueCore core) {
        OPEN.remove(fd, core);
    }

    /**
     * @param fd a descriptor number
     * @return the core of the open kqueue with that descriptor, or null
     */
    public static KQueueCore find(int fd) {
        return OPEN.get(fd);
    }
}
