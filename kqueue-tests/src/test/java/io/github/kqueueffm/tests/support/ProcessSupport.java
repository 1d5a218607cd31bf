package io.github.kqueueffm.tests.support;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.Processes;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Real processes for the EVFILT_PROC (PR) and EVFILT_PROCDESC (PD) conformance tests.
 *
 * <ul>
 *   <li>{@link Child}: a {@code sh -c script} child started with {@link ProcessBuilder}; its stdin
 *       is the <em>pipe gate</em> of docs/conformance.md#s1.4 (each {@code read} in the script
 *       blocks until {@link Child#release()} writes a line), its stdout can be read line by line
 *       (for example a grandchild's pid printed with {@code echo $!}).</li>
 *   <li>{@link #spawnUnreaped(String)}: a child started with {@code posix_spawn(3)} behind the
 *       JDK's back, so that no reaper thread collects it: it stays a zombie until
 *       {@link #reap(int)} (the only way to have a zombie <em>child</em> in a JVM, PR-10).</li>
 *   <li>{@link #runProbe}: runs one {@link Probe} in a fresh JVM, optionally under
 *       {@code setpriv(1)} (without CAP_NET_ADMIN), and returns its results;
 *       {@link #runProbeAsUser} as another user, from a class path that user can read.</li>
 *   <li>Wait status helpers: {@code exit(n)} gives {@code n << 8}, death by signal s gives s.</li>
 * </ul>
 */
public final class ProcessSupport {
    /** The longest wait for an event that a process exit, fork or exec must produce. */
    public static final Duration EVENT_WAIT = Duration.ofSeconds(2);
    /** The "no event" wait for an asynchronous source (processes), docs/conformance.md#s1.2. */
    public static final Duration NO_EVENT_WAIT = Duration.ofMillis(100);
    /** CAP_NET_ADMIN's bit in the capability sets of Linux's {@code /proc/self/status}. */
    public static final int CAP_NET_ADMIN = LinuxProcFs.CAP_NET_ADMIN;
    /** The assumption message of the rows that need the netlink process connector. */
    public static final String NEEDS_NET_ADMIN = "NOTE_FORK, NOTE_EXEC and NOTE_TRACK use the netlink process "
            + "connector, which needs CAP_NET_ADMIN in the initial user namespace; this process lacks it";

    private ProcessSupport() {
    }

    // ------------------------------------------------------------------ wait(2) status encoding

    /** @return the wait status of {@code exit(code)}: {@code code << 8} */
    public static long exitStatus(int code) {
        return (long) (code & 0xff) << 8;
    }

    /** @return the wait status of death by {@code signal} (no core dump): the signal number */
    public static long signalStatus(int signal) {
        return signal;
    }

    /** @return WIFSIGNALED(status) */
    public static boolean wifsignaled(long status) {
        int low = (int) (status & 0x7f);
        return low != 0 && low != 0x7f;
    }

    /** @return WTERMSIG(status) */
    public static int wtermsig(long status) {
        return (int) (status & 0x7f);
    }

    // ------------------------------------------------------------------ gated ProcessBuilder children

    /**
     * A {@code sh -c script} child started with {@link ProcessBuilder}; stdin is the gate, stdout
     * a pipe, stderr inherited (script errors show in the test output). {@link #close()} kills it
     * (SIGKILL) if it is still alive and waits for it.
     */
    public static final class Child implements AutoCloseable {
        private final Process process;
        private final OutputStream gate;
        private final BufferedReader out;
        private boolean gateOpen = true;

        private Child(Process process) {
            this.process = process;
            this.gate = process.getOutputStream();
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /**
         * Starts {@code sh -c script}.
         *
         * @param script the shell script, e.g. {@code read x; exit 64}
         * @return the running child
         * @throws IOException if it cannot be started
         */
        public static Child start(String script) throws IOException {
            Process p = new ProcessBuilder("sh", "-c", script)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(ProcessBuilder.Redirect.PIPE)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            return new Child(p);
        }

        /** @return the {@link Process} */
        public Process process() {
            return process;
        }

        /** @return the pid ({@link Process#pid()}) */
        public long pid() {
            return process.pid();
        }

        /**
         * The EVFILT_PROC ident through {@link Processes#pid(Process)}, which also lets the
         * library fall back to {@link Process#exitValue()} for the status
         * (docs/conformance.md#s3.15).
         *
         * @return the pid
         */
        public long ident() {
            return Processes.pid(process);
        }

        /**
         * Opens a process descriptor for EVFILT_PROCDESC ({@link Processes#openDescriptor(Process)}).
         * The caller closes it with {@link io.github.kqueueffm.Descriptors#close(int)}.
         *
         * @return the descriptor
         * @throws KQueueException if it cannot be opened
         */
        public int openDescriptor() throws KQueueException {
            return Processes.openDescriptor(process);
        }

        /**
         * Releases one {@code read} of the script: writes one line into the gate.
         *
         * @throws IOException if the child's stdin is gone
         */
        public void release() throws IOException {
            gate.write('\n');
            gate.flush();
        }

        /**
         * Closes the gate (stdin): every further {@code read} of the script fails at once.
         */
        public void closeGate() {
            if (gateOpen) {
                gateOpen = false;
                try {
                    gate.close();
                } catch (IOException ignored) {
                    // the child may be gone already
                }
            }
        }

        /**
         * Reads one line the script wrote to stdout.
         *
         * @param timeout the longest wait
         * @return the line
         * @throws IllegalStateException if no line came in time or stdout ended
         */
        public String readLine(Duration timeout) {
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            });
            try {
                String s = line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (s == null) {
                    throw new IllegalStateException("child " + pid() + " closed stdout without writing a line");
                }
                return s;
            } catch (TimeoutException e) {
                throw new IllegalStateException("child " + pid() + " wrote no line within " + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }

        /**
         * Waits until the child has ended and been reaped by the JDK (at most 5 s).
         *
         * @return its {@link Process#exitValue()}
         * @throws IllegalStateException if it is still alive after 5 s
         */
        public int awaitExit() throws InterruptedException {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("child " + pid() + " did not exit within 5 s");
            }
            return process.exitValue();
        }

        /** Kills the child with SIGKILL if alive, waits for it, closes the pipes. */
        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeGate();
            try {
                out.close();
            } catch (IOException ignored) {
                // best effort
            }
        }

        @Override
        public String toString() {
            return "child " + pid();
        }
    }

    /**
     * Starts {@code count} gated children with the same script.
     *
     * @param count how many
     * @param script the script
     * @return the children, in start order; the caller closes each
     * @throws IOException if one cannot be started (those already started are closed)
     */
    public static List<Child> startAll(int count, String script) throws IOException {
        List<Child> children = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                children.add(Child.start(script));
            }
        } catch (IOException | RuntimeException e) {
            closeAll(children);
            throw e;
        }
        return children;
    }

    /** Closes (kills and waits for) every child of the list. */
    public static void closeAll(List<Child> children) {
        for (Child c : children) {
            c.close();
        }
    }

    // ------------------------------------------------------------------ children the JDK does not reap

    /**
     * Starts {@code /bin/sh -c script} with {@code posix_spawn(3)}: a real child of this process
     * that the JDK knows nothing about, so no reaper thread waits for it. Once it exits it stays a
     * zombie until {@link #reap(int)}. The caller must reap it ({@link #killAndReap(int)} in a
     * finally block).
     *
     * @param script the script (keep it short-lived: it inherits the JVM's descriptors that lack
     *               close-on-exec)
     * @return its pid
     */
    public static int spawnUnreaped(String script) {
        return HostOs.current().spawnUnreaped(script);
    }

    /**
     * {@code waitpid(pid, &status, 0)}: reaps a child started by {@link #spawnUnreaped}.
     *
     * @param pid the child
     * @return its wait status
     * @throws IllegalStateException if waitpid fails
     */
    public static int reap(int pid) {
        return HostOs.current().waitpid(pid);
    }

    /** SIGKILLs and reaps a child of {@link #spawnUnreaped} unless already reaped (for finally blocks). */
    public static void killAndReap(int pid) {
        HostOs host = HostOs.current();
        if (host.processExists(pid) && host.parentPid(pid) == ProcessHandle.current().pid()) {
            try {
                host.kill(pid, host.signalNumber("KILL"));
            } catch (HostOs.CallException ignored) {
                // a zombie already
            }
            reap(pid);
        }
    }

    /**
     * The state letter of a process (R, S, Z, ...), or 0 if the process is gone.
     *
     * @param pid the process
     * @return the state
     */
    public static char state(long pid) {
        return HostOs.current().processState(pid);
    }

    /**
     * Waits until a process is a zombie (state Z).
     *
     * @param pid the process
     * @param timeout the longest wait
     * @return whether it became one in time
     */
    public static boolean awaitZombie(long pid, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (state(pid) != 'Z') {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    /**
     * Waits until a process is gone (it was reaped).
     *
     * @param pid the process
     * @param timeout the longest wait
     * @return whether it went in time
     */
    public static boolean awaitGone(long pid, Duration timeout) throws InterruptedException {
        HostOs host = HostOs.current();
        long end = System.nanoTime() + timeout.toNanos();
        while (host.processExists(pid)) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    // ------------------------------------------------------------------ pid reuse

    /**
     * Linux only: the file that sets the pid the next fork gets minus one (needs CAP_SYS_ADMIN or
     * CAP_CHECKPOINT_RESTORE). PR-22, which uses it, runs on Linux alone.
     */
    public static final Path NS_LAST_PID = Path.of("/proc/sys/kernel/ns_last_pid");

    /**
     * Starts a gated child that gets exactly {@code pid}, by writing {@code pid - 1} to
     * {@code /proc/sys/kernel/ns_last_pid} just before each start (other processes of the machine
     * may take the number first, so this tries up to {@code attempts} times).
     *
     * @param pid the wanted pid (free now)
     * @param script the child's script
     * @param attempts how many starts to try
     * @return the child, or null if it never got the pid
     * @throws IOException if ns_last_pid cannot be written or the child cannot be started
     */
    public static Child startWithPid(long pid, String script, int attempts) throws IOException {
        for (int i = 0; i < attempts; i++) {
            Files.writeString(NS_LAST_PID, Long.toString(pid - 1));
            Child c = Child.start(script);
            if (c.pid() == pid) {
                return c;
            }
            c.close();
        }
        return null;
    }

    // ------------------------------------------------------------------ capabilities

    /**
     * Whether this process may register NOTE_FORK, NOTE_EXEC and NOTE_TRACK (on Linux: CAP_NET_ADMIN
     * in the initial user namespace, as the netlink process connector requires).
     *
     * @return true if it may
     */
    public static boolean canWatchForkAndExec() {
        return HostOs.current().canWatchForkAndExec();
    }

    /**
     * Linux only ({@code CapEff} of {@code /proc/self/status}): PR-23 and its probe, which run on
     * Linux alone, use it.
     *
     * @param cap a capability number
     * @return whether it is in this process's effective set
     */
    public static boolean hasEffectiveCapability(int cap) {
        return LinuxProcFs.hasEffectiveCapability(cap);
    }

    /**
     * Whether the running kernel is at least {@code major.minor} (from {@code os.version}, e.g.
     * {@code 6.18.44-fc-v782}).
     *
     * @param major the major version
     * @param minor the minor version
     * @return true if the kernel is that version or newer
     */
    public static boolean kernelAtLeast(int major, int minor) {
        String[] v = System.getProperty("os.version", "0.0").split("[^0-9]+");
        int kMajor = v.length > 0 && !v[0].isEmpty() ? Integer.parseInt(v[0]) : 0;
        int kMinor = v.length > 1 ? Integer.parseInt(v[1]) : 0;
        return kMajor > major || (kMajor == major && kMinor >= minor);
    }

    /** @return the real uid of a process, or -1 if it is gone */
    public static long uidOf(long pid) {
        return HostOs.current().processUid(pid);
    }

    /** @return whether {@code setpriv(1)} is installed */
    public static boolean hasSetpriv() {
        for (String dir : new String[] {"/usr/bin", "/bin", "/usr/sbin", "/sbin"}) {
            if (Files.isExecutable(Path.of(dir, "setpriv"))) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ probes in a fresh JVM

    /**
     * Runs {@code Probe <name>} in a new JVM (this JVM's {@code java}, class path and native
     * access), the command prefixed by {@code wrapper} (e.g. {@code setpriv --bounding-set ...}),
     * and returns the {@code key=value} results it printed. The child reads this JVM's class path,
     * so the wrapper must not change the user: {@link #runProbeAsUser} does that.
     *
     * @param wrapper command words put before {@code java} (may be empty)
     * @param name the probe
     * @param timeout the longest run
     * @return the results, in order
     * @throws IllegalStateException if the JVM fails or times out (with its output)
     */
    public static Map<String, String> runProbe(List<String> wrapper, String name, Duration timeout)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(ReadableClassPath.javaLauncher().toString());
        return runProbe(wrapper, java, System.getProperty("java.class.path"), name, timeout);
    }

    /**
     * Runs {@code Probe <name>} as {@link #runProbe} does, but as another user under
     * {@code setpriv --reuid=uid --regid=uid --clear-groups}, from a copy of the class path that
     * user can read ({@link ReadableClassPath}: the checkout may be in a directory it cannot
     * enter), deleted afterwards. Skips the calling test, with the reason, when no such copy can be
     * made.
     *
     * @param uid the user (and group) id to run as
     * @param name the probe
     * @param timeout the longest run
     * @return the results, in order
     * @throws IllegalStateException if the JVM fails or times out (with its output)
     */
    public static Map<String, String> runProbeAsUser(long uid, String name, Duration timeout)
            throws IOException, InterruptedException {
        try (ReadableClassPath classPath = ReadableClassPath.forOtherUsers()) {
            return runProbe(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--"),
                    ReadableClassPath.javaLauncher().toString(), classPath.classPath(), name, timeout);
        }
    }

    private static Map<String, String> runProbe(List<String> wrapper, String java, String classPath, String name,
            Duration timeout) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData", "-cp", classPath, Probe.class.getName(), name));
        File log = File.createTempFile("kqueue-probe", ".log");
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(log)
                    .directory(new File("/"))
                    .start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            String output = Files.readString(log.toPath());
            if (!done || p.exitValue() != 0) {
                throw new IllegalStateException("probe " + name + (done ? " exited " + p.exitValue() : " timed out")
                        + "; command " + cmd + "; output:\n" + output);
            }
            Map<String, String> results = new LinkedHashMap<>();
            for (String line : output.split("\n")) {
                if (line.startsWith(Probe.PREFIX)) {
                    String kv = line.substring(Probe.PREFIX.length());
                    int eq = kv.indexOf('=');
                    results.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            results.put("output", output);
            return results;
        } finally {
            Files.deleteIfExists(log.toPath());
        }
    }

    /**
     * Checks run in a fresh JVM by {@link #runProbe}; each prints {@code PROBE key=value} lines.
     * Uses only kqueue-ffm and the JDK.
     */
    public static final class Probe {
        static final String PREFIX = "PROBE ";

        private Probe() {
        }

        /**
         * @param args {@code pid1}: EV_ADD of EVFILT_PROC NOTE_EXIT on pid 1, then a 100 ms wait
         *             (results {@code uid}, {@code add}, {@code events});
         *             {@code nonetadmin}: PR-23's checks (results {@code capeff}, {@code fork},
         *             {@code exec}, {@code track}, {@code forkExitRoom}, {@code execExitRoom},
         *             {@code trackExitRoom}, {@code exitOnly}, {@code event})
         */
        public static void main(String[] args) throws Exception {
            switch (args[0]) {
                case "pid1" -> pid1();
                case "nonetadmin" -> noNetAdmin();
                default -> throw new IllegalArgumentException(args[0]);
            }
        }

        private static void put(String key, Object value) {
            System.out.println(PREFIX + key + "=" + value);
        }

        private static void pid1() throws Exception {
            put("uid", uidOf(ProcessHandle.current().pid()));
            try (KQueue kq = KQueue.open()) {
                put("add", applyResult(kq, KEvent.of(1, KEvent.EVFILT_PROC, KEvent.EV_ADD, KEvent.NOTE_EXIT, 0, 0)));
                put("events", waitAll(kq, NO_EVENT_WAIT).size());
            }
        }

        private static void noNetAdmin() throws Exception {
            put("capeff", hasEffectiveCapability(CAP_NET_ADMIN) ? "net_admin" : "none");
            put("kernel", kernelConnectorAnswer());
            try (KQueue kq = KQueue.open(); Child child = Child.start("read x; exit 9")) {
                long pid = child.ident();
                put("fork", applyResult(kq, KEvent.of(pid, KEvent.EVFILT_PROC, KEvent.EV_ADD, KEvent.NOTE_FORK, 0, 0)));
                put("exec", applyResult(kq, KEvent.of(pid, KEvent.EVFILT_PROC, KEvent.EV_ADD, KEvent.NOTE_EXEC, 0, 0)));
                put("track", applyResult(kq, KEvent.of(pid, KEvent.EVFILT_PROC, KEvent.EV_ADD,
                        KEvent.NOTE_TRACK, 0, 0)));
                put("forkExitRoom", roomResult(kq, KEvent.of(pid, KEvent.EVFILT_PROC, KEvent.EV_ADD,
                        KEvent.NOTE_FORK | KEvent.NOTE_EXIT, 0, 0)));
                put("execExitRoom", roomResult(kq, KEvent.of(pid, KEvent.EVFILT_PROC, KEvent.EV_ADD,
                        KEvent.NOTE_EXEC | KEvent.NOTE_EXIT, 0, 0)));
                put("trackExitRoom", roomResult(kq, KEvent.of(pid, KEvent.EVFILT_PROC, KEvent.EV_ADD,
                        KEvent.NOTE_TRACK | KEvent.NOTE_FORK | KEvent.NOTE_EXIT, 0, 0)));
                put("exitOnly", applyResult(kq, KEvent.of(pid, KEvent.EVFILT_PROC, KEvent.EV_ADD,
                        KEvent.NOTE_EXIT, 0, 23)));
                child.release();
                List<KEvent> events = waitAll(kq, EVENT_WAIT, 1);
                put("event", events.size() == 1 ? describe(events.get(0), pid) : events.toString());
            }
        }

        /**
         * What the kernel itself answers this process when it subscribes to the process-events
         * connector: "OK" or the errno name. Linux only, like PR-23, the one row that runs this
         * probe.
         */
        private static String kernelConnectorAnswer() {
            return LinuxHostOs.processConnectorAnswer();
        }

        /** "OK" if the change (nevents = 0) succeeded, else the errno name. */
        private static String applyResult(KQueue kq, KEvent change) {
            try (KEventList list = KEventList.allocate(1)) {
                list.set(0, change);
                int n = kq.kevent(list, 1, null, 0, Duration.ZERO);
                return n == 0 ? "OK" : "returned " + n;
            } catch (KQueueException e) {
                return e.errno().name();
            }
        }

        /** The change with room for one entry: "none" if nothing was written, else the entry's errno. */
        private static String roomResult(KQueue kq, KEvent change) {
            try (KEventList list = KEventList.allocate(1); KEventList out = KEventList.allocate(1)) {
                list.set(0, change);
                int n = kq.kevent(list, 1, out, 1, Duration.ZERO);
                if (n == 0) {
                    return "none";
                }
                KEvent e = out.get(0);
                return (e.flags() & KEvent.EV_ERROR) != 0 ? Errno.of((int) e.data()).name() : "event " + e;
            } catch (KQueueException e) {
                return "threw " + e.errno().name();
            }
        }

        private static String describe(KEvent e, long pid) {
            return "ident=" + (e.ident() == pid ? "pid" : Long.toString(e.ident()))
                    + ",filter=" + e.filter()
                    + ",fflags=0x" + Integer.toHexString(e.fflags())
                    + ",data=" + e.data()
                    + ",udata=" + e.udata();
        }
    }

    // ------------------------------------------------------------------ collecting events

    /**
     * Collects events until {@code count} have arrived or {@code timeout} has passed (each
     * {@code kevent} call waits for what is left of it).
     *
     * @param kq the kqueue
     * @param timeout the longest total wait
     * @param count how many to wait for
     * @return the events, in arrival order (possibly fewer than {@code count}, or more)
     */
    public static List<KEvent> waitAll(KQueue kq, Duration timeout, int count) throws KQueueException {
        List<KEvent> got = new ArrayList<>();
        long end = System.nanoTime() + timeout.toNanos();
        try (KEventList out = KEventList.allocate(64)) {
            do {
                long left = Math.max(0, end - System.nanoTime());
                int n = kq.kevent(null, 0, out, 64, Duration.ofNanos(left));
                for (int i = 0; i < n; i++) {
                    got.add(out.get(i));
                }
            } while (got.size() < count && System.nanoTime() - end < 0);
        }
        return got;
    }

    /**
     * One wait of {@code timeout} (returns as soon as something arrives), room for 64 events.
     *
     * @param kq the kqueue
     * @param timeout the wait
     * @return the events
     */
    public static List<KEvent> waitAll(KQueue kq, Duration timeout) throws KQueueException {
        try (KEventList out = KEventList.allocate(64)) {
            int n = kq.kevent(null, 0, out, 64, timeout);
            List<KEvent> got = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                got.add(out.get(i));
            }
            return got;
        }
    }
}
