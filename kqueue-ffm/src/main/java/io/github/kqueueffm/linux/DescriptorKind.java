package io.github.kqueueffm.linux;

/** What a watched descriptor is, decided once when its first knote attaches. */
enum DescriptorKind {
    /** A socket (stream, datagram, listening). */
    SOCKET,
    /** A pipe or FIFO. */
    PIPE,
    /** A regular file: not pollable by epoll; readiness is computed, growth comes from inotify. */
    REGULAR,
    /** A directory: as a regular file. */
    DIRECTORY,
    /** An eventfd: data comes from its counter in /proc/self/fdinfo. */
    EVENTFD,
    /** Another kqueue's descriptor. */
    KQUEUE,
    /** A process descriptor (pidfd): only EVFILT_PROCDESC applies. */
    PIDFD,
    /** Anything else epoll accepts (terminals, character devices, signalfd, ...). */
    OTHER;

    /** @return whether epoll can watch descriptors of this kind */
    boolean pollable() {
        return this != REGULAR && this != DIRECTORY;
    }
}
