package io.github.kqueueffm.kqwatch;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * kqwatch: watches what you name and prints every event as one line (elapsed time, ident,
 * filter, flags, fflags, data and what it means). With no arguments it demonstrates each
 * implemented filter on real objects and exits.
 *
 * <p>A failure is one line on standard error, with a hint where the errno alone does not say what
 * to do, and exit status 1; a bad argument exits 2.
 */
public final class KqWatch {
    static final String USAGE = """
            usage: kqwatch [--fd N]... [--timer DURATION]... [--pid N]... [--signal NAME]... [--file PATH]... [--help]
              (no arguments)   demonstrate every filter on real objects, then exit
              --fd N           watch descriptor N with EVFILT_READ and EVFILT_WRITE (EV_CLEAR)
              --timer D        a periodic EVFILT_TIMER, e.g. 500ms, 2s, 250us
              --pid N          watch process N: exit (with its status), fork and exec
              --signal NAME    count deliveries of a signal, e.g. USR1 or SIGWINCH
              --file PATH      watch a file or directory for every EVFILT_VNODE note
              --help           this text
            With arguments kqwatch runs until interrupted (Ctrl-C).""";

    private KqWatch() {
    }

    /**
     * Entry point. Under Maven, arguments come from {@code -Dkqwatch.args="..."}.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        if (args.length == 0) {
            String fromMaven = System.getProperty("kqwatch.args", "").trim();
            args = fromMaven.isEmpty() ? new String[0] : fromMaven.split("\\s+");
        }
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs kqwatch.
     *
     * @param args arguments
     * @param out where events go
     * @param err where errors go
     * @return the exit code: 0, 1 on a runtime failure, 2 on a bad argument
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (!KQueue.isSupported()) {
            err.println("kqwatch: kqueue-ffm has no backend for " + System.getProperty("os.name") + " on "
                    + System.getProperty("os.arch"));
            return 1;
        }
        List<Watch> watches;
        try {
            watches = Watch.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("kqwatch: " + e.getMessage() + " (try --help)");
            return 2;
        }
        if (watches == null) {
            out.println(USAGE);
            return 0;
        }
        try {
            if (watches.isEmpty()) {
                Demonstration.run(new EventPrinter(out));
                return 0;
            }
            return watch(watches, new EventPrinter(out), err);
        } catch (IOException | IllegalStateException e) {
            // IllegalStateException: Descriptors.of without its --add-opens flags, which it names.
            err.println("kqwatch: " + e.getMessage());
            return 1;
        }
    }

    /** Registers each watch on its own, so that a refusal names the option; then prints events forever. */
    private static int watch(List<Watch> watches, EventPrinter printer, PrintStream err) throws KQueueException {
        try (KQueue kq = KQueue.open();
             KEventList changes = KEventList.allocate(2);
             KEventList events = KEventList.allocate(64)) {
            long timerIdent = 0;
            for (Watch watch : watches) {
                try {
                    kq.kevent(changes, watch.register(changes, timerIdent++), null, 0, Duration.ZERO);
                } catch (KQueueException e) {
                    String hint = Hints.of(watch, e.errno());
                    String errno = e.errno() == Errno.UNKNOWN ? e.getMessage() : e.errno().name();
                    err.println("kqwatch: " + watch + ": " + errno + (hint.isEmpty() ? "" : ": " + hint));
                    return 1;
                }
            }
            while (true) {
                printer.print(events, kq.kevent(null, 0, events, 64, null));
            }
        }
    }
}
