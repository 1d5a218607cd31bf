package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxBindings;

/** The names sun.misc.Signal knows the standard Linux signals by (without the SIG prefix). */
final class LinuxSignalNames {
    private static final String[] KNOWN = {"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
        "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
        "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};
    private static final String[] BY_NUMBER = new String[65];

    static {
        for (String name : KNOWN) {
            BY_NUMBER[LinuxBindings.intConstant("SIG" + name)] = name;
        }
    }

    private LinuxSignalNames() {
    }

    /** @return the name of a standard signal, or null (real-time and unknown numbers) */
    static String name(int number) {
        return number > 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }
}
