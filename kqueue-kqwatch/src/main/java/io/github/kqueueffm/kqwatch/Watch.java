package io.github.kqueueffm.kqwatch;

import io.github.kqueueffm.Descriptors;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.Signals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.github.kqueueffm.KEvent.EVFILT_PROC;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_SIGNAL;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_VNODE;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.NOTE_ATTRIB;
import static io.github.kqueueffm.KEvent.NOTE_DELETE;
import static io.github.kqueueffm.KEvent.NOTE_EXEC;
import static io.github.kqueueffm.KEvent.NOTE_EXIT;
import static io.github.kqueueffm.KEvent.NOTE_EXTEND;
import static io.github.kqueueffm.KEvent.NOTE_FORK;
import static io.github.kqueueffm.KEvent.NOTE_LINK;
import static io.github.kqueueffm.KEvent.NOTE_NSECONDS;
import static io.github.kqueueffm.KEvent.NOTE_RENAME;
import static io.github.kqueueffm.KEvent.NOTE_REVOKE;
import static io.github.kqueueffm.KEvent.NOTE_WRITE;

/**
 * One thing to watch, as named on the command line.
 *
 * @param kind what it is
 * @param value the descriptor, duration in nanoseconds, pid or signal number (unused for a file)
 * @param text the option's argument as given, for messages (and the path of a file)
 */
record Watch(Kind kind, long value, String text) {
    /** Every EVFILT_VNODE note Linux can report. */
    static final int ALL_VNODE_NOTES = NOTE_DELETE | NOTE_WRITE | NOTE_EXTEND | NOTE_ATTRIB | NOTE_LINK | NOTE_RENAME
            | NOTE_REVOKE;

    /** The options, by the kind of watch each names. */
    enum Kind { FD, TIMER, PID, SIGNAL, FILE }

    /**
     * The watches named by the arguments.
     *
     * @return null for --help, an empty list for the demonstration
     * @throws IllegalArgumentException naming a bad argument
     */
    static List<Watch> parse(String[] args) {
        List<Watch> watches = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--fd", "--timer", "--pid", "--signal", "--file" -> {
                    String option = args[i];
                    String text = value(args, ++i, option);
                    watches.add(switch (option) {
                        case "--fd" -> new Watch(Kind.FD, fd(text), text);
                        case "--timer" -> new Watch(Kind.TIMER, duration(text), text);
                        case "--pid" -> new Watch(Kind.PID, pid(text), text);
                        case "--signal" -> new Watch(Kind.SIGNAL, signal(text), text);
                        default -> new Watch(Kind.FILE, -1, text);
                    });
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        return watches;
    }

    /**
     * Writes this watch's changes at the start of {@code changes} (room for two).
     *
     * @param timerIdent the ident a timer gets (each timer needs its own)
     * @return how many changes were written
     * @throws KQueueException when a file cannot be opened
     */
    int register(KEventList changes, long timerIdent) throws KQueueException {
        switch (kind) {
            case TIMER -> changes.set(0, timerIdent, EVFILT_TIMER, EV_ADD, NOTE_NSECONDS, value, 0);
            case PID -> changes.set(0, value, EVFILT_PROC, EV_ADD, NOTE_EXIT | NOTE_FORK | NOTE_EXEC, 0, 0);
            case SIGNAL -> changes.set(0, value, EVFILT_SIGNAL, EV_ADD, 0, 0, 0);
            case FILE -> changes.set(0, Descriptors.open(Path.of(text)), EVFILT_VNODE, EV_ADD | EV_CLEAR,
                    ALL_VNODE_NOTES, 0, 0);
            case FD -> {
                changes.set(0, value, EVFILT_READ, EV_ADD | EV_CLEAR, 0, 0, 0);
                changes.set(1, value, EVFILT_WRITE, EV_ADD | EV_CLEAR, 0, 0, 0);
                return 2;
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        return 1;
    }

    /** The option as given, e.g. {@code --signal KILL}. */
    @Override
    public String toString() {
        return "--" + kind.name().toLowerCase(Locale.ROOT) + " " + text;
    }

    private static long pid(String text) {
        try {
            long pid = Long.parseLong(text);
            if (pid <= 0) {
                throw new NumberFormatException();
            }
            return pid;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--pid needs a process id, not '" + text + "'");
        }
    }

    private static long signal(String text) {
        try {
            return Signals.number(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--signal needs a signal name such as USR1, not '" + text + "'");
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static long fd(String text) {
        try {
            int fd = Integer.parseInt(text);
            if (fd < 0) {
                throw new NumberFormatException();
            }
            return fd;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--fd needs a descriptor number, not '" + text + "'");
        }
    }

    static long duration(String text) {
        String[][] units = {{"ns", "1"}, {"us", "1000"}, {"µs", "1000"}, {"ms", "1000000"}, {"s", "1000000000"}};
        for (String[] unit : units) { // two-letter suffixes come before "s"
            if (text.endsWith(unit[0])) {
                String number = text.substring(0, text.length() - unit[0].length());
                try {
                    long n = Long.parseLong(number);
                    if (n <= 0) {
                        break;
                    }
                    return Math.multiplyExact(n, Long.parseLong(unit[1]));
                } catch (NumberFormatException | ArithmeticException e) {
                    break;
                }
            }
        }
        throw new IllegalArgumentException("--timer needs a positive duration such as 500ms, 2s or 250us, not '"
                + text + "'");
    }
}
