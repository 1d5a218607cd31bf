package io.github.kqueueffm.linux;

import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.emul.Errors;

/** Process descriptors for users who watch processes with EVFILT_PROCDESC. */
public final class LinuxProcesses {
    private LinuxProcesses() {
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
            throw new KQueueException(fd == -Errors.ENOENT ? Errors.ESRCH : -fd, "pidfd_open " + pid);
        }
        return fd;
    }
}
