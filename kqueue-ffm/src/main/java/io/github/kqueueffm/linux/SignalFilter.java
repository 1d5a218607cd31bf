package io.github.kqueueffm.linux;

import io.github.kqueueffm.core.Filter;
import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.Knote;
import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxStructs;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import static io.github.kqueueffm.KEvent.EV_CLEAR;
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
 * EVFILT_SIGNAL through the JVM's own signal handling (sun.misc.Signal). signalfd sees only
 * signals blocked in every thread, and a library cannot block a signal in the JVM's threads, so
 * instead the first knote of a signal installs a Java handler that counts every delivery into
 * every knote of that signal, in every kqueue, and then runs the Java handler it replaced. The
 * previous disposition is restored when the last knote goes. Measured choice (JDK 25, Linux 6.18):
 * of 50 {@code kill(getpid(), SIGUSR1)}, a signalfd made with SIGUSR1 blocked in the calling
 * thread (all a library can block) saw 0, a Java handler saw 50 — the JVM's other threads take the
 * signal. Thread-directed signals reach the handler as well (the JVM runs it for any thread).
 *
 * <p>Refused with EINVAL: signal 0 and numbers past the last signal; SIGKILL and SIGSTOP (the
 * kernel's); SIGQUIT, SIGILL, SIGFPE, SIGSEGV (the JVM's); SIGBUS and SIGUSR2 (the JVM relies on
 * them: mapped-file faults, thread suspension); real-time signals (no JVM handler can be
 * installed for them); any signal the JVM refuses (HUP, INT and TERM under -Xrs). The suspend/resume
 * signal is SIGUSR2 unless {@code _JAVA_SR_SIGNUM} moved it. SIGCHLD set to
 * SIG_IGN is left alone and never counted, as on FreeBSD.
 */
final class SignalFilter implements Filter {
    /** Signals the library must not take from the kernel or the JVM. */
    private static final Set<Integer> REFUSED = Set.of(SIGKILL, SIGSTOP, SIGQUIT, SIGILL, SIGFPE, SIGSEGV, SIGBUS,
            suspendResumeSignal());

    /** HotSpot's thread suspend/resume signal: SIGUSR2 unless {@code _JAVA_SR_SIGNUM} moved it. */
    private static int suspendResumeSignal() {
        String moved = System.getenv("_JAVA_SR_SIGNUM");
        if (moved != null) {
            try {
                int number = Integer.parseInt(moved.trim());
                if (number > SIGSEGV && number < 65) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // HotSpot ignores it too
            }
        }
        return SIGUSR2;
    }
    private static final int SIG_IGN = 1;

    private final KQueueCore core;

    SignalFilter(KQueueCore core) {
        this.core = core;
    }

    @Override
    public boolean isFd() {
        return false;
    }

    @Override
    public int attach(Knote kn) {
        if (kn.ident <= 0 || kn.ident >= 65 || REFUSED.contains((int) kn.ident)) {
            return Errors.EINVAL;
        }
        kn.flags |= EV_CLEAR;
        kn.state = core;
        return Hub.subscribe(kn);
    }

    @Override
    public void detach(Knote kn) {
        Hub.unsubscribe(kn);
    }

    @Override
    public boolean event(Knote kn) {
        return kn.data != 0;
    }

    /** The process-wide fan-out from each watched signal to its knotes. */
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

        private static final Map<Integer, Watched> WATCHED = new java.util.HashMap<>();

        private Hub() {
        }

        static synchronized int subscribe(Knote kn) {
            int number = (int) kn.ident;
            Watched watched = WATCHED.get(number);
            if (watched == null) {
                String name = signalName(number);
                if (name == null) {
                    return Errors.EINVAL; // real-time signals have no JVM name
                }
                if (number == SIGCHLD && disposition(number) == SIG_IGN) {
                    return 0; // SIGCHLD ignored: the kernel discards it, nothing to count (SG-21)
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

        private static String signalName(int number) {
            return LinuxSignalNames.name(number);
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
}
