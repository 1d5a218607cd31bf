package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxBindings;
import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxStructs;
import io.github.kqueueffm.emul.SignalTable;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;

import static io.github.kqueueffm.bindings.linux.LinuxConstants.SIGBUS;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SIGCHLD;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SIGFPE;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SIGILL;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SIGKILL;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SIGQUIT;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SIGSEGV;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SIGSTOP;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SIGUSR2;

/**
 * Linux's signals for EVFILT_SIGNAL. Refused: signal 0 and numbers past the last signal (64);
 * SIGKILL and SIGSTOP (the kernel's); SIGQUIT, SIGILL, SIGFPE, SIGSEGV (the JVM's); SIGBUS and the
 * JVM's thread suspend/resume signal (the JVM relies on them: mapped-file faults, thread
 * suspension), SIGUSR2 unless {@code _JAVA_SR_SIGNUM} moved it. Real-time signals have no name
 * (no JVM handler can be installed for them).
 */
final class LinuxSignalTable implements SignalTable {
    static final LinuxSignalTable INSTANCE = new LinuxSignalTable();

    /** The names sun.misc.Signal knows the standard Linux signals by (without the SIG prefix). */
    private static final String[] KNOWN = {"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
        "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
        "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};
    /** One past the last signal (SIGRTMAX is 64). */
    private static final int LIMIT = 65;
    private static final String[] BY_NUMBER = new String[LIMIT];
    /** Signals the library must not take from the kernel or the JVM. */
    private static final Set<Integer> REFUSED = Set.of(SIGKILL, SIGSTOP, SIGQUIT, SIGILL, SIGFPE, SIGSEGV, SIGBUS,
            suspendResumeSignal());
    private static final long SIG_IGN = 1;

    static {
        for (String name : KNOWN) {
            BY_NUMBER[LinuxBindings.intConstant("SIG" + name)] = name;
        }
    }

    private LinuxSignalTable() {
    }

    /** HotSpot's thread suspend/resume signal: SIGUSR2 unless {@code _JAVA_SR_SIGNUM} moved it. */
    private static int suspendResumeSignal() {
        String moved = System.getenv("_JAVA_SR_SIGNUM");
        if (moved != null) {
            try {
                int number = Integer.parseInt(moved.trim());
                if (number > SIGSEGV && number < LIMIT) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // HotSpot ignores it too
            }
        }
        return SIGUSR2;
    }

    @Override
    public boolean refused(long number) {
        return number <= 0 || number >= LIMIT || REFUSED.contains((int) number);
    }

    @Override
    public String name(int number) {
        return number > 0 && number < LIMIT ? BY_NUMBER[number] : null;
    }

    @Override
    public boolean discarded(int number) {
        return number == SIGCHLD && disposition(number) == SIG_IGN;
    }

    /** The current handler address of a signal (0 SIG_DFL, 1 SIG_IGN), without changing it. */
    private static long disposition(int number) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(LinuxStructs.SIGACTION_SIZE, 8);
            if (LinuxCalls.sigaction(number, MemorySegment.NULL, old) < 0) {
                return -1;
            }
            return old.get(ValueLayout.JAVA_LONG, LinuxStructs.SIGACTION_HANDLER);
        }
    }
}
