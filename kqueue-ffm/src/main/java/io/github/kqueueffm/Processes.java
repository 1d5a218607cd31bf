package io.github.kqueueffm;

import io.github.kqueueffm.platform.Platform;

/**
 * Helpers for watching processes: the ident of EVFILT_PROC is a pid, the ident of
 * EVFILT_PROCDESC a process descriptor (on Linux a pidfd).
 *
 * <p>The JDK reaps every child it starts as soon as it exits, so on kernels before Linux 6.15
 * the exit status may be gone by the time kqueue-ffm looks for it. Passing the {@link Process}
 * through {@link #pid(Process)} lets the library fall back to {@link Process#exitValue()} for the
 * status in {@code data} (see BEHAVIOUR.md).
 */
public final class Processes {
    private Processes() {
    }

    /**
     * The ident for EVFILT_PROC of a child started by this JVM; also remembers the {@link Process}
     * so its exit status can be reported even when the JDK's reaper collected it first.
     *
     * @param process a child process
     * @return its pid
     */
    public static long pid(Process process) {
        Platform.services().rememberProcess(process);
        return process.pid();
    }

    /**
     * The ident for EVFILT_PROC of any process this one can see.
     *
     * @param process a process handle
     * @return its pid
     */
    public static long pid(ProcessHandle process) {
        return process.pid();
    }

    /**
     * Opens a process descriptor (close-on-exec) for EVFILT_PROCDESC. Close it with
     * {@link Descriptors#close(int)} when done.
     *
     * @param process the process
     * @return the descriptor
     * @throws KQueueException ESRCH if the process is gone, EMFILE when no descriptor is left
     */
    public static int openDescriptor(ProcessHandle process) throws KQueueException {
        return Platform.services().openProcessDescriptor(process.pid());
    }

    /**
     * Opens a process descriptor for a child started by this JVM, remembering the {@link Process}
     * for its exit status as {@link #pid(Process)} does.
     *
     * @param process the child
     * @return the descriptor
     * @throws KQueueException ESRCH if the process is gone, EMFILE when no descriptor is left
     */
    public static int openDescriptor(Process process) throws KQueueException {
        Platform.services().rememberProcess(process);
        return Platform.services().openProcessDescriptor(process.pid());
    }
}
