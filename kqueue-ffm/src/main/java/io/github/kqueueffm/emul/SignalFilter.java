package io.github.kqueueffm.emul;

import io.github.kqueueffm.core.Filter;
import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.Knote;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static io.github.kqueueffm.KEvent.EV_CLEAR;

/**
 * EVFILT_SIGNAL through the JVM's own signal handling (sun.misc.Signal), on any OS whose
 * {@link SignalTable} names its signals. A kernel-side signal descriptor (Linux's signalfd) sees
 * only signals blocked in every thread, and a library cannot block a signal in the JVM's threads,
 * so instead the first knote of a signal installs a Java handler that counts every delivery into
 * every knote of that signal, in every kqueue, and then runs the Java handler it replaced. The
 * previous disposition is restored when the last knote goes. Measured choice (JDK 25, Linux 6.18):
 * of 50 {@code kill(getpid(), SIGUSR1)}, a signalfd made with SIGUSR1 blocked in the calling
 * thread (all a library can block) saw 0, a Java handler saw 50 — the JVM's other threads take the
 * signal. Thread-directed signals reach the handler as well (the JVM runs it for any thread).
 *
 * <p>Refused with EINVAL: what the table refuses (on Linux: signal 0 and numbers past the last
 * signal, the kernel's SIGKILL and SIGSTOP, the JVM's own signals, real-time signals), and any
 * signal the JVM refuses (HUP, INT and TERM under -Xrs). A signal the kernel discards (SIGCHLD set
 * to SIG_IGN) is left alone and never counted, as on FreeBSD.
 *
 * <p>{@code Knote.state} holds the knote's kqueue core: the handler thread posts to it.
 */
public final class SignalFilter implements Filter {
    private final KQueueCore core;
    private final SignalTable table;

    /**
     * @param core the kqueue
     * @param table the OS's signals
     */
    public SignalFilter(KQueueCore core, SignalTable table) {
        this.core = core;
        this.table = table;
    }

    @Override
    public boolean isFd() {
        return false;
    }

    @Override
    public int attach(Knote kn) {
        assert core.holdsLock();
        if (table.refused(kn.ident)) {
            return Errors.EINVAL;
        }
        kn.flags |= EV_CLEAR;
        kn.state = core;
        return Hub.subscribe(kn, table);
    }

    @Override
    public void detach(Knote kn) {
        assert core.holdsLock();
        Hub.unsubscribe(kn);
    }

    @Override
    public boolean event(Knote kn) {
        assert core.holdsLock();
        return kn.data != 0;
    }

    /** The process-wide fan-out from each watched signal to its knotes; guarded by its class lock. */
    static final class Hub {
        /** One per watched signal. */
        private static final class Watched implements SignalHandler {
            final Signal signal;
            volatile SignalHandler previous;
            /** Copy-on-write: the handler thread iterates without a lock. */
            volatile Knote[] knotes = new Knote[0];

            Watched(Signal signal) {
                this.signal = signal;
            }

            @Override
            public void handle(Signal sig) {
                for (Knote kn : knotes) {
                    ((KQueueCore) kn.state).postAsync(kn, 1);
                }
                SignalHandler chained = previous;
                if (chained != null && chained != SignalHandler.SIG_DFL && chained != SignalHandler.SIG_IGN) {
                    try {
                        chained.handle(sig);
                    } catch (RuntimeException nativeHandler) {
                        // a native predecessor cannot be called from Java; it is re-installed later
                    }
                }
            }
        }

        private static final Map<Integer, Watched> WATCHED = new HashMap<>();

        private Hub() {
        }

        static synchronized int subscribe(Knote kn, SignalTable table) {
            int number = (int) kn.ident;
            Watched watched = WATCHED.get(number);
            if (watched == null) {
                String name = table.name(number);
                if (name == null) {
                    return Errors.EINVAL; // real-time signals have no JVM name
                }
                if (table.discarded(number)) {
                    return 0; // the kernel discards it, nothing to count (SG-21)
                }
                watched = new Watched(new Signal(name));
                try {
                    watched.previous = Signal.handle(watched.signal, watched);
                } catch (IllegalArgumentException e) {
                    return Errors.EINVAL; // the JVM owns it (or -Xrs)
                }
                WATCHED.put(number, watched);
            }
            Knote[] grown = Arrays.copyOf(watched.knotes, watched.knotes.length + 1);
            grown[grown.length - 1] = kn;
            watched.knotes = grown;
            return 0;
        }

        static synchronized void unsubscribe(Knote kn) {
            Watched watched = WATCHED.get((int) kn.ident);
            if (watched == null) {
                return;
            }
            Knote[] left = Arrays.stream(watched.knotes).filter(k -> k != kn).toArray(Knote[]::new);
            watched.knotes = left;
            if (left.length == 0) {
                WATCHED.remove((int) kn.ident);
                Signal.handle(watched.signal, watched.previous); // SG-23: as it was before
            }
        }
    }
}
