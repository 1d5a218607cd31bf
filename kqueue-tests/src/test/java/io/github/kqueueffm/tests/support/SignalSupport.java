package io.github.kqueueffm.tests.support;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.Signals;
import io.github.kqueueffm.bindings.ErrnoCapture;
import io.github.kqueueffm.bindings.ErrnoNames;
import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxConstants;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    /** glibc's {@code sigset_t} size in bytes. */
    private static final long SIGSET_BYTES = 128;
    /** A generous size for glibc's {@code struct sigaction} (152 bytes on x86_64 and aarch64). */
    private static final long SIGACTION_BYTES = 256;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SIGTIMEDWAIT = capturing("sigtimedwait",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle SIGPENDING = capturing("sigpending",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle SIGACTION = capturing("sigaction",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle SIGRTMIN = plain("__libc_current_sigrtmin",
            FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final MethodHandle SIGRTMAX = plain("__libc_current_sigrtmax",
            FunctionDescriptor.of(ValueLayout.JAVA_INT));

    /** Native {@code SIG_DFL}. */
    public static final long SIG_DFL = 0;
    /** Native {@code SIG_IGN}. */
    public static final long SIG_IGN = 1;

    private SignalSupport() {
    }

    private static MethodHandle capturing(String name, FunctionDescriptor fd) {
        MemorySegment address = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return LINKER.downcallHandle(address, fd, ErrnoCapture.option());
    }

    private static MethodHandle plain(String name, FunctionDescriptor fd) {
        MemorySegment address = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return LINKER.downcallHandle(address, fd);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    // ---------------------------------------------------------------- numbers

    /**
     * The host number of a signal name.
     *
     * @param name e.g. {@code "USR1"}
     * @return its number ({@link Signals#number})
     */
    public static int number(String name) {
        return Signals.number(name);
    }

    /** @return glibc's {@code SIGRTMIN} (the first real-time signal applications may use) */
    public static int sigrtmin() {
        try {
            return (int) SIGRTMIN.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return glibc's {@code SIGRTMAX}, the largest signal number of the host */
    public static int sigrtmax() {
        try {
            return (int) SIGRTMAX.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---------------------------------------------------------------- sending

    /** @return {@code getpid()} */
    public static int pid() {
        return LinuxCalls.getpid();
    }

    /** @return {@code gettid()} of the calling thread */
    public static int tid() {
        return LinuxCalls.gettid();
    }

    /**
     * {@code kill(getpid(), signal)}, asserting success.
     *
     * @param signal the signal
     */
    public static void killSelf(int signal) {
        int r = LinuxCalls.kill(LinuxCalls.getpid(), signal);
        assertEquals(0, r, () -> "kill(getpid(), " + signal + ") failed: " + ErrnoNames.name(LinuxCalls.errno()));
    }

    /**
     * {@code tgkill(getpid(), tid, signal)}, asserting success. With {@code tid = gettid()} this is
     * {@code pthread_kill(pthread_self(), signal)}.
     *
     * @param tid the target thread
     * @param signal the signal
     */
    public static void tgkill(int tid, int signal) {
        int r = LinuxCalls.tgkill(LinuxCalls.getpid(), tid, signal);
        assertEquals(0, r, () -> "tgkill(" + tid + ", " + signal + ") failed: " + ErrnoNames.name(LinuxCalls.errno()));
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

    private static MemorySegment sigset(Arena arena, int... signals) {
        MemorySegment set = arena.allocate(SIGSET_BYTES, 8);
        Os.check(LinuxCalls.sigemptyset(set), "sigemptyset");
        for (int s : signals) {
            Os.check(LinuxCalls.sigaddset(set, s), "sigaddset(" + s + ")");
        }
        return set;
    }

    /**
     * Signals blocked in the calling thread by {@code pthread_sigmask(SIG_BLOCK)}; closing restores
     * the thread's previous mask. Close on the thread that created it.
     */
    public static final class Blocked implements AutoCloseable {
        private final Arena arena = Arena.ofConfined();
        private final MemorySegment old;
        private boolean closed;

        private Blocked(int... signals) {
            old = arena.allocate(SIGSET_BYTES, 8);
            int r = LinuxCalls.pthreadSigmask(LinuxConstants.SIG_BLOCK, sigset(arena, signals), old);
            if (r != 0) {
                arena.close();
                throw new IllegalStateException("pthread_sigmask(SIG_BLOCK) failed: " + ErrnoNames.name(r));
            }
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
                int r = LinuxCalls.pthreadSigmask(LinuxConstants.SIG_SETMASK, old, MemorySegment.NULL);
                arena.close();
                if (r != 0) {
                    throw new IllegalStateException("pthread_sigmask(SIG_SETMASK) failed: " + ErrnoNames.name(r));
                }
            }
        }
    }

    /**
     * The calling thread's signal mask, as the bytes of its {@code sigset_t}.
     *
     * @return a copy of the mask
     */
    public static byte[] threadMask() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(SIGSET_BYTES, 8);
            int r = LinuxCalls.pthreadSigmask(LinuxConstants.SIG_BLOCK, MemorySegment.NULL, old);
            if (r != 0) {
                throw new IllegalStateException("pthread_sigmask(query) failed: " + ErrnoNames.name(r));
            }
            return old.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /**
     * Whether a signal is pending for the calling thread or the process ({@code sigpending(2)}).
     *
     * @param signal the signal
     * @return true if pending
     */
    public static boolean pending(int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(SIGSET_BYTES, 8);
            int r = (int) SIGPENDING.invokeExact(ErrnoCapture.state(), set);
            if (r != 0) {
                throw new IllegalStateException("sigpending failed: " + ErrnoNames.name(ErrnoCapture.errno()));
            }
            return LinuxCalls.sigismember(set, signal) == 1;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** What {@code sigtimedwait} returned: the signal number, or −1 and the errno. */
    public record WaitResult(int result, int errno) {
        /** @return the errno's name, for messages */
        public String errnoName() {
            return result < 0 ? ErrnoNames.name(errno) : "-";
        }
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
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = sigset(arena, signal);
            MemorySegment ts = arena.allocate(16, 8);
            ts.set(ValueLayout.JAVA_LONG, 0, timeout.getSeconds());
            ts.set(ValueLayout.JAVA_LONG, 8, timeout.getNano());
            int r = (int) SIGTIMEDWAIT.invokeExact(ErrnoCapture.state(), set, MemorySegment.NULL, ts);
            return new WaitResult(r, r < 0 ? ErrnoCapture.errno() : 0);
        } catch (Throwable t) {
            throw rethrow(t);
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
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(SIGACTION_BYTES, 8);
            int r = (int) SIGACTION.invokeExact(ErrnoCapture.state(), signal, MemorySegment.NULL, old);
            if (r != 0) {
                throw new IllegalStateException("sigaction(" + signal + ", NULL, &old) failed: "
                        + ErrnoNames.name(ErrnoCapture.errno()));
            }
            return old.get(ValueLayout.JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The {@code SigBlk} sets of every thread of this process, from
     * {@code /proc/self/task/<tid>/status} (threads that exit while being read are left out).
     *
     * @return one blocked set per thread
     */
    public static List<BigInteger> blockedSetsOfAllThreads() {
        List<BigInteger> sets = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("SigBlk:")) {
                            sets.add(new BigInteger(line.substring("SigBlk:".length()).trim(), 16));
                        }
                    }
                } catch (NoSuchFileException gone) {
                    // the thread exited meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sets;
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
