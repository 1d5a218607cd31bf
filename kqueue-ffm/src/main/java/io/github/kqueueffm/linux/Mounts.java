package io.github.kqueueffm.linux;

import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.bindings.linux.LinuxCalls;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLERR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLET;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLPRI;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SEEK_SET;

/**
 * The kqueue's watch on the mount table: /proc/self/mountinfo polls POLLPRI when the table
 * changes, which is how a revoked (unmounted) file system shows while its files are open. Opened
 * once vnode knotes exist, then an internal source whose handler gets the mount IDs. Guarded by
 * the kqueue's lock.
 */
final class Mounts {
    private final InternalSources sources;
    private final Consumer<Set<Long>> changed;
    /** /proc/self/mountinfo once watched, else −1; guarded by the kqueue's lock. */
    private int fd = -1;

    /**
     * @param sources the kqueue's internal sources
     * @param changed told the mounted IDs after each change of the table
     */
    Mounts(InternalSources sources, Consumer<Set<Long>> changed) {
        this.sources = sources;
        this.changed = changed;
    }

    /** Starts watching unless it is (without it, NOTE_REVOKE comes only with IN_UNMOUNT). */
    void watch() {
        if (fd >= 0) {
            return;
        }
        try {
            int mountinfo = LinuxFiles.openReadOnly("/proc/self/mountinfo");
            ids(mountinfo); // read once: the next change is what polls
            if (sources.add(mountinfo, EPOLLPRI | EPOLLERR | EPOLLET, () -> changed.accept(ids(mountinfo))) == 0) {
                fd = mountinfo;
            } else {
                LinuxCalls.close(mountinfo);
            }
        } catch (KQueueException e) {
            // not watched: NOTE_REVOKE then comes with IN_UNMOUNT only
        }
    }

    /** The mount IDs in /proc/self/mountinfo, read from the start of an open descriptor. */
    static Set<Long> ids(int fd) {
        Set<Long> ids = new HashSet<>();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(8192);
            LinuxCalls.lseek(fd, 0, SEEK_SET);
            for (long n; (n = LinuxCalls.read(fd, buffer, 8192)) > 0; ) {
                text.write(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), 0, (int) n);
            }
        }
        for (String line : text.toString(StandardCharsets.US_ASCII).split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                ids.add(Long.parseLong(line.substring(0, space)));
            }
        }
        return ids;
    }
}
