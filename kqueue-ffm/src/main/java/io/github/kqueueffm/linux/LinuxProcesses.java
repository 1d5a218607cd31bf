package io.github.kqueueffm.linux;

import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.bindings.linux.LinuxCalls;

import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Process descriptors and the children whose {@link Process} a user handed over, so a NOTE_EXIT
 * whose wait status the JDK's reaper took first can still report it (§3.15).
 */
public final class LinuxProcesses {
    private static final ConcurrentHashMap<Long, WeakReference<Process>> CHILDREN = new ConcurrentHashMap<>();

    private LinuxProcesses() {
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

    /** @return the remembered child with this pid, or null */
    static Process child(long pid) {
        WeakReference<Process> ref = CHILDREN.get(pid);
        return ref == null ? null : ref.get();
    }

    /**
     * {@code pidfd_open(pid, 0)}: a close-on-exec process descriptor.
     *
     * @param pid the process
     * @return the descriptor
     * @throws KQueueException ESRCH, EMFILE, ...
     */
    public static int openDescriptor(long pid) throws KQueueException {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new KQueueException(Errors.ESRCH, "pidfd_open " + pid);
        }
        int fd = LinuxCalls.pidfdOpen((int) pid, 0);
        if (fd < 0) {
            int errno = LinuxCalls.errno();
            throw new KQueueException(errno == Errors.ENOENT ? Errors.ESRCH : errno, "pidfd_open " + pid);
        }
        return fd;
    }
}
