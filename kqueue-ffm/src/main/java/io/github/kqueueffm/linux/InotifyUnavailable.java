package io.github.kqueueffm.linux;

/** The kqueue's inotify instance could not be created (EMFILE, ENFILE, or the per-user limit). */
final class InotifyUnavailable extends Exception {
    private static final long serialVersionUID = 1L;

    final int errno;

    InotifyUnavailable(int errno) {
        super(null, null, false, false);
        this.errno = errno;
    }
}
