package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxStructs;
import io.github.kqueueffm.core.NativeMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLET;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLIN;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_CLOEXEC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_DELETE;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_ISDIR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_MASK_ADD;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_MOVED_FROM;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_MOVED_TO;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_NONBLOCK;

/**
 * The kqueue's one inotify instance (never one per knote), opened on the first watch and then an
 * internal source of the kqueue's epoll set. Watches are added on {@code /proc/self/fd/N}, which
 * reaches the file's inode even after it was renamed or unlinked; inotify shares one watch per
 * inode, so several knotes on one file share a watch and each {@link Watcher} registered with it
 * is called back with its events. Guarded by the kqueue's lock.
 */
final class Inotify {
    /** A knote's subscription to a watch: told each event of the watch (under the lock). */
    interface Watcher {
        /**
         * One inotify event on the watch.
         *
         * @param mask inotify's mask
         * @param named whether the event names a directory entry (the watch is a directory)
         * @param sameDirectoryMove whether a move's other half was in the same directory
         */
        void inotify(int mask, boolean named, boolean sameDirectoryMove);
    }

    private static final int BUFFER = 16 * 1024;
    /** The largest inotify event: the header and a name of NAME_MAX bytes, its NUL and padding. */
    private static final long LARGEST_EVENT = LinuxStructs.INOTIFY_EVENT_SIZE + 256;

    private final NativeMemory memory;
    private final InternalSources sources;
    private final Scratch scratch;
    // guarded by the kqueue's lock
    private final InotifyWatches watchers = new InotifyWatches();
    private Runnable afterDirectoryRemoved = () -> { };
    private MemorySegment buffer;
    private int fd = -1;
    private boolean directoryRemoved;

    Inotify(NativeMemory memory, InternalSources sources, Scratch scratch) {
        this.memory = memory;
        this.sources = sources;
        this.scratch = scratch;
    }

    /**
     * What to run after a batch of events in which a subdirectory of a watched directory went:
     * Linux tells the removed directory itself nothing while a descriptor holds it.
     */
    void afterDirectoryRemoved(Runnable check) {
        afterDirectoryRemoved = check;
    }

    /**
     * Adds {@code mask} to the watch of the file behind a descriptor and subscribes a watcher,
     * opening the instance first if needed.
     *
     * @return the watch descriptor, or −errno (of inotify_init1, epoll_ctl or inotify_add_watch)
     */
    int add(int targetFd, int mask, Watcher watcher) {
        int error = open();
        if (error < 0) {
            return error;
        }
        byte[] path = ("/proc/self/fd/" + targetFd).getBytes(StandardCharsets.US_ASCII);
        MemorySegment cPath = scratch.path;
        MemorySegment.copy(path, 0, cPath, ValueLayout.JAVA_BYTE, 0, path.length);
        cPath.set(ValueLayout.JAVA_BYTE, path.length, (byte) 0);
        int wd = LinuxCalls.inotifyAddWatch(fd, cPath, mask | IN_MASK_ADD);
        if (wd < 0) {
            return wd;
        }
        watchers.add(wd, watcher); // once: a re-add that watches more must not hear each event twice
        return wd;
    }

    /** Opens the instance unless it is open (EMFILE, ENFILE or the per-user limit fail it); 0 or −errno. */
    private int open() {
        if (fd >= 0) {
            return 0;
        }
        int instance = LinuxCalls.inotifyInit1(IN_CLOEXEC | IN_NONBLOCK);
        if (instance < 0) {
            return instance;
        }
        int error = sources.add(instance, EPOLLIN | EPOLLET, this::drain);
        if (error < 0) {
            LinuxCalls.close(instance);
            return error;
        }
        if (buffer == null) {
            buffer = memory.allocate(BUFFER, 8);
        }
        fd = instance;
        return 0;
    }

    /** Unsubscribes a watcher; the last one removes the watch. */
    void remove(int wd, Watcher watcher) {
        if (watchers.remove(wd, watcher)) {
            LinuxCalls.inotifyRmWatch(fd, wd);
        }
    }

    /**
     * Reads the events already queued, so that a knote about to change is judged with the fflags in
     * force when its file changed (VN-36): one read, which fails with EAGAIN when nothing is queued.
     */
    void collect() {
        if (fd >= 0) {
            drain();
        }
    }

    /**
     * Reads every queued inotify event and calls back each watcher of its watch. A move whose two
     * halves (same cookie) are on one watch is a rename within that directory. A read that left
     * room for the largest event emptied the queue, so it is the last: an event queued after it
     * makes a new edge on the edge-triggered registration (one read a change, not two).
     */
    private void drain() {
        long n;
        do {
            n = LinuxCalls.readNonBlocking(fd, buffer, BUFFER);
            for (long at = 0; at < n; ) {
                int wd = buffer.get(ValueLayout.JAVA_INT, at + LinuxStructs.INOTIFY_EVENT_WD);
                int mask = buffer.get(ValueLayout.JAVA_INT, at + LinuxStructs.INOTIFY_EVENT_MASK);
                int cookie = buffer.get(ValueLayout.JAVA_INT, at + LinuxStructs.INOTIFY_EVENT_COOKIE);
                int len = buffer.get(ValueLayout.JAVA_INT, at + LinuxStructs.INOTIFY_EVENT_LEN);
                if ((mask & IN_ISDIR) != 0 && (mask & (IN_DELETE | IN_MOVED_TO)) != 0) {
                    directoryRemoved = true; // a subdirectory went (or was replaced)
                }
                Watcher[] subscribed = watchers.get(wd); // replaced, never changed, if a callback unsubscribes
                if (subscribed.length > 0) {
                    boolean sameDirectory = cookie != 0 && pairedOnSameWatch(n, at, wd, cookie, mask);
                    for (Watcher watcher : subscribed) {
                        watcher.inotify(mask, len > 0, sameDirectory);
                    }
                }
                at += LinuxStructs.INOTIFY_EVENT_SIZE + len;
            }
        } while (n > BUFFER - LARGEST_EVENT);
        if (directoryRemoved) {
            directoryRemoved = false;
            afterDirectoryRemoved.run();
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
}
