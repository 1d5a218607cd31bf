package io.github.kqueueffm.linux;

import io.github.kqueueffm.core.KQueueCore;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The open kqueues of this process by descriptor number, so a descriptor filter can tell a
 * kqueue's descriptor from any other epoll instance (EVFILT_READ on a kqueue reports its
 * pending count; KQ-53, KQ-54, KQ-56).
 */
final class KQueueRegistry {
    private static final ConcurrentHashMap<Integer, KQueueCore> OPEN = new ConcurrentHashMap<>();

    private KQueueRegistry() {
    }

    static void add(int fd, KQueueCore core) {
        OPEN.put(fd, core);
    }

    static void remove(int fd, KQueueCore core) {
        OPEN.remove(fd, core);
    }

    static KQueueCore find(int fd) {
        return OPEN.get(fd);
    }
}
