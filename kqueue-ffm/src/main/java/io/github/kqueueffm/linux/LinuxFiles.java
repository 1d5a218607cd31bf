package io.github.kqueueffm.linux;

import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.bindings.linux.LinuxCalls;

import java.lang.foreign.Arena;

import static io.github.kqueueffm.bindings.linux.LinuxConstants.O_CLOEXEC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.O_RDONLY;

/** Opening and closing descriptors for users who watch files by path. */
public final class LinuxFiles {
    private LinuxFiles() {
    }

    /**
     * {@code open(path, O_RDONLY | O_CLOEXEC)}.
     *
     * @param path the path
     * @return the descriptor
     * @throws KQueueException with open's errno
     */
    public static int openReadOnly(String path) throws KQueueException {
        try (Arena arena = Arena.ofConfined()) {
            int fd = LinuxCalls.open(arena.allocateFrom(path), O_RDONLY | O_CLOEXEC, 0);
            if (fd < 0) {
                throw new KQueueException(-fd, "open " + path);
            }
            return fd;
        }
    }

    /**
     * {@code close(fd)}.
     *
     * @param fd the descriptor
     * @throws KQueueException EBADF
     */
    public static void close(int fd) throws KQueueException {
        int closed = LinuxCalls.close(fd);
        if (closed < 0) {
            throw new KQueueException(-closed, "close " + fd);
        }
    }
}
