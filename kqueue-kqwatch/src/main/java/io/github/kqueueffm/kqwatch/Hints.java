package io.github.kqueueffm.kqwatch;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.Signals;

/** Why a watch was refused, in words: the errno alone rarely says what to do. */
final class Hints {
    private Hints() {
    }

    /**
     * A hint for the errno a watch's registration failed with.
     *
     * @param watch the watch
     * @param errno its errno
     * @return a sentence, or empty when there is nothing to add to the errno's name
     */
    static String of(Watch watch, Errno errno) {
        return switch (watch.kind()) {
            case SIGNAL -> errno == Errno.EINVAL ? signal(watch.value()) : "";
            case PID -> errno == Errno.ESRCH ? "no process " + watch.value() + " (it has exited, or never existed)" : "";
            case FD -> errno == Errno.EBADF ? "descriptor " + watch.value() + " is not open in kqwatch's own process:"
                    + " --fd watches kqwatch's descriptors, such as 0 (its standard input)" : "";
            case FILE -> switch (errno) {
                case ENOENT -> "no such file or directory";
                case EACCES -> "permission denied";
                default -> "";
            };
            case TIMER -> "";
        };
    }

    private static String signal(long number) {
        if (number == Signals.number("KILL") || number == Signals.number("STOP")) {
            return "no process can catch SIGKILL or SIGSTOP (the kernel acts on them itself), so EVFILT_SIGNAL"
                    + " refuses them";
        }
        return "EVFILT_SIGNAL refuses the signals the JVM keeps for itself (QUIT, ILL, FPE, SEGV, BUS and USR2;"
                + " HUP, INT and TERM under -Xrs) and the real-time signals (BEHAVIOUR.md, \"Refused signals\")";
    }
}
