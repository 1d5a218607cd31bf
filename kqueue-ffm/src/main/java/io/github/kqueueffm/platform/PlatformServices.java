package io.github.kqueueffm.platform;

import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.core.EventQueue;

/**
 * What one operating system supplies to the OS-neutral parts of kqueue-ffm: new kqueues, and the
 * host facts the public API hands out (errno and signal numbers, process and file descriptors).
 * One implementation per OS, chosen once by {@link Platform}.
 */
public interface PlatformServices {
    /**
     * The platform's name, for messages.
     *
     * @return e.g. {@code "Linux x86_64 (epoll emulation)"}
     */
    String description();

    /**
     * {@code kqueue()}: a new kqueue.
     *
     * @param maxKnotes the most knotes it may hold (ENOMEM past it)
     * @return the kqueue
     * @throws KQueueException EMFILE, ENFILE or ENOMEM
     */
    EventQueue openKQueue(int maxKnotes) throws KQueueException;

    /**
     * The host's number of an errno name.
     *
     * @param name e.g. {@code EBADF}
     * @return its number, or −1 if the host has no such errno
     */
    int errnoNumber(String name);

    /**
     * The host's name of an errno number.
     *
     * @param errno a host errno
     * @return its name, or {@code "errno N"}
     */
    String errnoName(int errno);

    /**
     * The host's number of a signal.
     *
     * @param name e.g. {@code SIGUSR1}
     * @return its number
     * @throws IllegalArgumentException if the host has no such signal
     */
    int signalNumber(String name);

    /**
     * Remembers a child so a process filter can report its exit status even after the JDK reaped
     * it.
     *
     * @param process the child
     */
    void rememberProcess(Process process);

    /**
     * A process descriptor for EVFILT_PROCDESC, close-on-exec.
     *
     * @param pid the process
     * @return the descriptor
     * @throws KQueueException ESRCH, EMFILE, ...
     */
    int openProcessDescriptor(long pid) throws KQueueException;

    /**
     * {@code open(path, O_RDONLY | O_CLOEXEC)}, for EVFILT_VNODE.
     *
     * @param path the path
     * @return the descriptor
     * @throws KQueueException with open's errno
     */
    int openReadOnly(String path) throws KQueueException;

    /**
     * {@code close(fd)}.
     *
     * @param fd the descriptor
     * @throws KQueueException EBADF
     */
    void close(int fd) throws KQueueException;
}
