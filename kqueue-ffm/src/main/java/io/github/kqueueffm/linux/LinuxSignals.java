package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxBindings;

/** Linux signal numbers by name. */
public final class LinuxSignals {
    private LinuxSignals() {
    }

    /**
     * @param name e.g. {@code SIGUSR1}
     * @return its Linux number
     * @throws IllegalArgumentException if Linux has no such signal
     */
    public static int number(String name) {
        if (!name.matches("SIG[A-Z0-9]+")) {
            throw new IllegalArgumentException("not a signal name: " + name);
        }
        try {
            return LinuxBindings.intConstant(name);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("no signal " + name + " on Linux", e);
        }
    }
}
