package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxStructs;
import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.Knote;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_CLOEXEC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_DELETE;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_ISDIR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_MASK_ADD;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_MOVED_FROM;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_MOVED_TO;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_NONBLOCK;

/**
 * The kqueue's one inotify instance (never one per knote). Watches are added on
 * {@code /proc/self/fd/N}, which reaches the file's inode even after it was renamed or unlinked;
 * inotify shares one watch per inode, so several knotes on one file share a watch and each is
 * activated by its events.
 */
final class Inotify {
    private static final int BUFFER = 16 * 1024;

    final int fd;
    private final KQueueCore core;
    private final MemorySegment buffer;
    private final Map<Integer, List<Knote>> watchers = new HashMap<>();
    private final VnodeFilter vnodes;
    private boolean directoryRemoved;

    private Inotify(int fd, KQueueCore core, MemorySegment buffer, VnodeFilter vnodes) {
        this.fd = fd;
        this.core = core;
        this.buffer = buffer;
        this.vnodes = vnodes;
    }

    static Inotify open(EpollBackend backend, KQueueCore core) throws InotifyUnavailable {
        int fd = LinuxCalls.inotifyInit1(IN_CLOEXEC | IN_NONBLOCK);
        if (fd < 0) {
            throw new InotifyUnavailable(LinuxCalls.errno());
        }
        return new Inotify(fd, core, backend.scratchMemory(BUFFER), backend.vnodes);
    }

    /**
     * Adds {@code mask} to the watch of the file behind a descriptor and subscribes a knote.
     *
     * @return the watch descriptor, or −errno
     */
    int add(int targetFd, int mask, Knote kn, Scratch scratch) {
        byte[] path = ("/proc/self/fd/" + targetFd).getBytes(StandardCharsets.US_ASCII);
        MemorySegment cPath = scratch.path;
        MemorySegment.copy(path, 0, cPath, ValueLayout.JAVA_BYTE, 0, path.length);
        cPath.set(ValueLayout.JAVA_BYTE, path.length, (byte) 0);
        int wd = LinuxCalls.inotifyAddWatch(fd, cPath, mask | IN_MASK_ADD);
        if (wd < 0) {
            return -LinuxCalls.errno();
        }
        watchers.computeIfAbsent(wd, k -> new ArrayList<>(2)).add(kn);
        return wd;
    }

    /** Unsubscribes a knote; the last one removes the watch. */
    void remove(int wd, Knote kn) {
        List<Knote> knotes = watchers.get(wd);
        if (knotes == null) {
            return;
        }
        knotes.remove(kn);
        if (knotes.isEmpty()) {
            watchers.remove(wd);
            LinuxCalls.inotifyRmWatch(fd, wd);
        }
    }

    /**
     * Reads every queued inotify event: read knotes of regular files are activated, vnode knotes
     * get the event to map onto their notes. A move whose two halves (same cookie) are on one
     * watch is a rename within that directory.
     */
    void drain() {
        while (true) {
            long n = LinuxCalls.readNonBlocking(fd, buffer, BUFFER);
            if (n <= 0) {
                if (directoryRemoved) {
                    directoryRemoved = false;
                    vnodes.recheckDirectories();
                }
                return;
            }
            for (long at = 0; at < n; ) {
                int wd = buffer.get(ValueLayout.JAVA_INT, at + LinuxStructs.INOTIFY_EVENT_WD);
                int mask = buffer.get(ValueLayout.JAVA_INT, at + LinuxStructs.INOTIFY_EVENT_MASK);
                int cookie = buffer.get(ValueLayout.JAVA_INT, at + LinuxStructs.INOTIFY_EVENT_COOKIE);
                int len = buffer.get(ValueLayout.JAVA_INT, at + LinuxStructs.INOTIFY_EVENT_LEN);
                if ((mask & IN_ISDIR) != 0 && (mask & (IN_DELETE | IN_MOVED_TO)) != 0) {
                    directoryRemoved = true; // a subdirectory went (or was replaced)
                }
                List<Knote> knotes = watchers.get(wd);
                if (knotes != null) {
                    boolean sameDirectory = cookie != 0 && pairedOnSameWatch(n, at, wd, cookie, mask);
                    for (Knote kn : List.copyOf(knotes)) {
                        if (kn.fop instanceof VnodeFilter vnode) {
                            vnode.onInotify(kn, mask, len > 0, sameDirectory);
                        } else {
                            core.activate(kn);
                        }
                    }
                }
                at += LinuxStructs.INOTIFY_EVENT_SIZE + len;
            }
        }
    }

    /** Whether the other half of a move (same cookie) is in this batch on the same watch. */
    private boolean pairedOnSameWatch(long n, long self, int wd, int cookie, int mask) {
        int other = (mask & IN_MOVED_FROM) != 0 ? IN_MOVED_TO : IN_MOVED_FROM;
        for (long at = 0; at < n; ) {
            int len = buffer.get(ValueLayout.JAVA_INT, at + LinuxStructs.INOTIFY_EVENT_LEN);
            if (at != self && buffer.get(ValueLayout.JAVA_INT, at + LinuxStructs.INOTIFY_EVENT_COOKIE) == cookie
                    && (buffer.get(ValueLayout.JAVA_INT, at + LinuxStructs.INOTIFY_EVENT_MASK) & other) != 0) {
                return buffer.get(ValueLayout.JAVA_INT, at + LinuxStructs.INOTIFY_EVENT_WD) == wd;
            }
            at += LinuxStructs.INOTIFY_EVENT_SIZE + len;
        }
        return false;
    }

    void close() {
        LinuxCalls.close(fd);
    }
}
