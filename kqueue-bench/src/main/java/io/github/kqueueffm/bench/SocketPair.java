package io.github.kqueueffm.bench;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxConstants;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A connected AF_UNIX stream socketpair, made with {@code socketpair(2)} on the project's bindings.
 *
 * @param mine one end
 * @param peer the other end
 */
record SocketPair(int mine, int peer) implements AutoCloseable {
    /**
     * Opens a blocking, close-on-exec pair.
     *
     * @return the pair
     * @throws IllegalStateException if {@code socketpair} fails
     */
    static SocketPair open() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            int r = LinuxCalls.socketpair(LinuxConstants.AF_UNIX,
                    LinuxConstants.SOCK_STREAM | LinuxConstants.SOCK_CLOEXEC, 0, fds);
            if (r < 0) {
                throw new IllegalStateException("socketpair: errno " + -r);
            }
            return new SocketPair(fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1));
        }
    }

    /** Closes both ends. */
    @Override
    public void close() {
        LinuxCalls.close(mine);
        LinuxCalls.close(peer);
    }
}
