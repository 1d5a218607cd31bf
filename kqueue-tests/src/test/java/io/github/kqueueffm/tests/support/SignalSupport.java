package io.github.kqueueffm.tests.support;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.Signals;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Signal plumbing for the SG (EVFILT_SIGNAL) conformance tests: sending signals to this process
 * and its threads, Java-level dispositions installed and restored through {@code sun.misc.Signal},
 * per-thread masks, native dispositions and per-thread blocked sets as the kernel reports them.
 *
 * <p>Rules the SG tests follow (docs/conformance.md#sg, docs/conformance.md#s3.11):
 * <ul>
 *   <li>every signal a test sends is first set to SIG_IGN ({@link Disposition#ignore}) unless the
 *       row says otherwise, so an unobserved delivery cannot kill the test JVM, and the previous
 *       handler is put back when the {@link Disposition} closes;</li>
 *   <li>every mask change ({@link Blocked}) is undone by closing it on the thread that made it;</li>
 *   <li>the JVM runs Java signal handlers on a new thread after {@code kill()} returned, so a
 *       signal's event is waited for ({@link #EVENT_WAIT}), never polled right after the send.</li>
 * </ul>
 */
public final class SignalSupport {
    /** How long to wait for the event of a signal that was sent (the handler runs on a new thread). */
    public static final Duration EVENT_WAIT = Duration.ofSeconds(1);

    /** Native {@code SIG_DFL}. */
    public static final long SIG_DFL = 0;
    /** Native {@code SIG_IGN}. */
    public static final long SIG_IGN = 1;

    private SignalSupport() {
    }

    // ---------------------------------------------------------------- numbers

    /**
     * The host number of a signal name.
     *
     * @param name e.g. {@code "USR1"}
     * @return its number ({@link HostOs#signalNumber})
     */
    public static int number(String name) {
        return HostOs.current().signalNumber(name);
    }

    /** @return {@code SIGRTMIN} (the first real-time signal applications may use) */
    public static int sigrtmin() {
        return HostOs.current().sigrtmin();
    }

    /** @return {@code SIGRTMAX}, the largest signal number of the host */
    public static int sigrtmax() {
        return HostOs.current().sigrtmax();
    }

    // ---------------------------------------------------------------- sending

    /** @return {@code getpid()} */
    public static int pid() {
        return HostOs.current().pid();
    }

    /** @return the calling thread's kernel id ({@code gettid()} on Linux) */
    public static int tid() {
        return HostOs.current().tid();
    }

    /**
     * {@code kill(getpid(), signal)}, failing with the errno name.
     *
     * @param signal the signal
     */
    public static void killSelf(int signal) {
        HostOs host = HostOs.current();
        host.kill(host.pid(), signal);
    }

    /**
     * Sends a signal to one thread of this process ({@code tgkill(getpid(), tid, signal)} on
     * Linux), failing with the errno name. With {@code tid = tid()} this is
     * {@code pthread_kill(pthread_self(), signal)}.
     *
     * @param tid the target thread
     * @param signal the signal
     */
    public static void tgkill(int tid, int signal) {
        HostOs.current().signalThread(tid, signal);
    }

    // ---------------------------------------------------------------- Java-level dispositions

    /**
     * A Java-level disposition installed through {@code sun.misc.Signal.handle}; closing it puts
     * back the handler that was there before.
     */
    public static final class Disposition implements AutoCloseable {
        private final Signal signal;
        private final SignalHandler previous;
        private boolean closed;

        private Disposition(String name, SignalHandler handler) {
            this.signal = new Signal(name);
            this.previous = Signal.handle(signal, handler);
        }

        /**
         * Sets SIG_IGN for a signal.
         *
         * @param name e.g. {@code "USR1"}
         * @return the disposition; close it to restore the previous handler
         */
        public static Disposition ignore(String name) {
            return new Disposition(name, SignalHandler.SIG_IGN);
        }

        /**
         * Installs a Java handler for a signal.
         *
         * @param name e.g. {@code "WINCH"}
         * @param handler the handler
         * @return the disposition; close it to restore the previous handler
         */
        public static Disposition handle(String name, SignalHandler handler) {
            return new Disposition(name, handler);
        }

        /** @return the handler that was installed before this one */
        public SignalHandler previous() {
            return previous;
        }

        /** @return the host signal number */
        public int number() {
            return signal.getNumber();
        }

        /** Restores the previous handler. Idempotent. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                Signal.handle(signal, previous);
            }
        }
    }

    /**
     * The Java-level handler of a signal right now, read by installing SIG_IGN and putting the
     * returned handler straight back.
     *
     * @param name e.g. {@code "USR1"}
     * @return the handler {@code sun.misc.Signal} reports
     */
    public static SignalHandler javaHandler(String name) {
        Signal s = new Signal(name);
        SignalHandler current = Signal.handle(s, SignalHandler.SIG_IGN);
        Signal.handle(s, current);
        return current;
    }

    /**
     * Joins every live thread the JVM started to run a Java handler of this signal (named
     * {@code "SIG<name> handler"} by {@code jdk.internal.misc.Signal.dispatch}).
     *
     * @param name e.g. {@code "USR1"}
     * @param timeout the longest wait per thread
     * @throws InterruptedException if interrupted
     */
    public static void joinHandlerThreads(String name, Duration timeout) throws InterruptedException {
        String threadName = "SIG" + name + " handler";
        List<Thread> handlers = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (threadName.equals(t.getName())) {
                handlers.add(t);
            }
        }
        for (Thread t : handlers) {
            t.join(timeout);
        }
    }

    // ---------------------------------------------------------------- masks

    /**
     * Signals blocked in the calling thread by {@code pthread_sigmask(SIG_BLOCK)}; closing restores
     * the thread's previous mask. Close on the thread that created it.
     */
    public static final class Blocked implements AutoCloseable {
        private final byte[] old;
        private boolean closed;

        private Blocked(int... signals) {
            old = HostOs.current().blockSignals(signals);
        }

        /**
         * Blocks signals in the calling thread.
         *
         * @param signals the signals
         * @return the change; close it to restore the mask
         */
        public static Blocked inThisThread(int... signals) {
            return new Blocked(signals);
        }

        /** Restores the mask the thread had before. Idempotent. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                HostOs.current().setSignalMask(old);
            }
        }
    }

    /**
     * The calling thread's signal mask, as the bytes of its {@code sigset_t}.
     *
     * @return a copy of the mask
     */
    public static byte[] threadMask() {
        return HostOs.current().signalMask();
    }

    /**
     * Whether a signal is pending for the calling thread or the process ({@code sigpending(2)}).
     *
     * @param signal the signal
     * @return true if pending
     */
    public static boolean pending(int signal) {
        return HostOs.current().signalPending(signal);
    }

    /** What {@code sigtimedwait} returned: the signal number, or −1 and the errno name. */
    public record WaitResult(int result, String errnoName) {
    }

    /**
     * {@code sigtimedwait({signal}, NULL, timeout)} in the calling thread. The signal should be
     * blocked in this thread.
     *
     * @param signal the signal to wait for
     * @param timeout the longest wait
     * @return the outcome
     */
    public static WaitResult sigtimedwait(int signal, Duration timeout) {
        try {
            return new WaitResult(HostOs.current().sigtimedwait(signal, timeout), "-");
        } catch (HostOs.CallException e) {
            return new WaitResult(-1, e.errno());
        }
    }

    // ---------------------------------------------------------------- native view

    /**
     * The native handler the kernel has for a signal ({@code sigaction(sig, NULL, &old)}):
     * {@link #SIG_DFL}, {@link #SIG_IGN} or a handler address.
     *
     * @param signal the signal
     * @return {@code sa_handler}
     */
    public static long nativeHandler(int signal) {
        return HostOs.current().signalHandler(signal);
    }

    /**
     * The blocked-signal sets of every thread of this process ({@link HostOs#blockedSignalsPerThread()};
     * threads that exit while being read are left out).
     *
     * @return one blocked set per thread
     */
    public static List<BigInteger> blockedSetsOfAllThreads() {
        return HostOs.current().blockedSignalsPerThread();
    }

    /**
     * Whether a signal is blocked in every thread of the process (the condition for signalfd to
     * see it, docs/conformance.md#s3.11).
     *
     * @param signal the signal
     * @return true if every thread blocks it
     */
    public static boolean blockedInEveryThread(int signal) {
        List<BigInteger> sets = blockedSetsOfAllThreads();
        return !sets.isEmpty() && sets.stream().allMatch(s -> s.testBit(signal - 1));
    }

    /**
     * How many threads of the process block a signal.
     *
     * @param signal the signal
     * @return the number of threads whose {@code SigBlk} has it
     */
    public static long threadsBlocking(int signal) {
        return blockedSetsOfAllThreads().stream().filter(s -> s.testBit(signal - 1)).count();
    }

    // ---------------------------------------------------------------- forked JVM

    /**
     * Runs {@link EvAddProbe} in a new JVM (java from {@code java.home}, this JVM's class path and
     * module flags, plus {@code extraJvmArgs}, with {@code extraEnv} added to this process's
     * environment) and returns its output: one line {@code NAME=OK} or {@code NAME=<errno name>} per
     * signal name.
     *
     * @param extraEnv environment variables to set, e.g. {@code _JAVA_SR_SIGNUM}
     * @param extraJvmArgs JVM options, e.g. {@code -Xrs}
     * @param names signal names without SIG, e.g. {@code HUP}
     * @return the probe's stdout lines
     * @throws IOException if the JVM cannot be started
     * @throws InterruptedException if interrupted
     */
    public static List<String> runEvAddProbe(Map<String, String> extraEnv, List<String> extraJvmArgs, String... names)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--enable-native-access") || arg.startsWith("--add-opens")
                    || arg.startsWith("--add-exports") || arg.startsWith("--add-reads")
                    || arg.startsWith("--enable-preview")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(extraJvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(EvAddProbe.class.getName());
        cmd.addAll(List.of(names));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("probe JVM did not exit: " + out);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("probe JVM exited with " + p.exitValue() + ": " + out);
        }
        return out.lines().toList();
    }

    /**
     * Main class of the forked JVM of {@link #runEvAddProbe}: for each signal name given, tries
     * {@code ch(sig, EVFILT_SIGNAL, EV_ADD)} with nevents = 0 on a fresh kqueue and prints
     * {@code NAME=OK} or {@code NAME=<errno name>}. Sends no signal.
     */
    public static final class EvAddProbe {
        private EvAddProbe() {
        }

        /**
         * @param args signal names without SIG
         * @throws Exception on unexpected failures
         */
        public static void main(String[] args) throws Exception {
            for (String name : args) {
                try (KQueue kq = KQueue.open()) {
                    KeventCalls.apply(kq, KEvent.of(Signals.number(name),
                            KEvent.EVFILT_SIGNAL, KEvent.EV_ADD));
                    System.out.println(name + "=OK");
                } catch (KQueueException e) {
                    System.out.println(name + "=" + e.errno());
                }
            }
        }
    }
}
