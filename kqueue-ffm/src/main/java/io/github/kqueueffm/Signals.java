package io.github.kqueueffm;

import io.github.kqueueffm.platform.Platform;

/**
 * Signal numbers for EVFILT_SIGNAL idents. The ident is the host's own signal number (SIGUSR1 is
 * 10 on Linux, 30 on FreeBSD), so look numbers up by name.
 */
public final class Signals {
    private Signals() {
    }

    /**
     * The host's number of a signal.
     *
     * @param name the name, with or without the SIG prefix: {@code "USR1"}, {@code "SIGWINCH"}
     * @return its number
     * @throws IllegalArgumentException if the host has no such signal
     */
    public static int number(String name) {
        return Platform.services().signalNumber(name.startsWith("SIG") ? name : "SIG" + name);
    }
}
