package io.github.kqueueffm.core;

import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.linux.EpollBackend;

import java.util.Locale;

/**
 * The one operating-system switch: which backend a new kqueue gets.
 */
public final class Platform {
    private Platform() {
    }

    /**
     * A backend for a new kqueue on this OS.
     *
     * @param core the kqueue's core
     * @return the backend
     * @throws KQueueException when the OS refuses a descriptor (EMFILE, ENFILE, ENOMEM)
     */
    public static Backend newBackend(KQueueCore core) throws KQueueException {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) {
            return EpollBackend.open(core);
        }
        throw new IllegalStateException("kqueue-ffm has no backend for " + System.getProperty("os.name")
                + " yet (supported: Linux)");
    }

    /** Remembers a child for exit-status fallback (EVFILT_PROC, EVFILT_PROCDESC). */
    public static void rememberProcess(Process process) {
        io.github.kqueueffm.emul.RememberedChildren.remember(process);
    }

    /** pidfd_open(pid), close-on-exec. */
    public static int openProcessDescriptor(long pid) throws KQueueException {
        return io.github.kqueueffm.linux.LinuxProcesses.openDescriptor(pid);
    }

    /** The host number of a signal name such as SIGUSR1. */
    public static int signalNumber(String name) {
        return io.github.kqueueffm.linux.LinuxSignals.number(name);
    }

    /** open(path, O_RDONLY | O_CLOEXEC). */
    public static int openReadOnly(String path) throws KQueueException {
        return io.github.kqueueffm.linux.LinuxFiles.openReadOnly(path);
    }

    /** close(fd). */
    public static void close(int fd) throws KQueueException {
        io.github.kqueueffm.linux.LinuxFiles.close(fd);
    }

    /** @return native memory held by open kqueues, in bytes */
    public static long nativeMemoryInUse() {
        return NativeMemory.inUse();
    }

    /** @param max the process-wide EVFILT_TIMER limit */
    public static void setMaxTimers(int max) {
        TimerLimit.setMax(max);
    }

    /** @return the process-wide EVFILT_TIMER limit */
    public static int maxTimers() {
        return TimerLimit.max();
    }
}
