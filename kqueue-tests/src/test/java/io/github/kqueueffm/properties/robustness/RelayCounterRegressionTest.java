package io.github.kqueueffm.properties.robustness;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.tests.support.ProcessSupport;
import io.github.kqueueffm.tests.support.ReadableClassPath;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Regression test for the virtual-thread relay's count of open kqueues. When {@code epoll_ctl}
 * failed inside the Linux backend's open (after its epoll sets were made), the cleanup closed the
 * half-made backend the way a real close does, and so told the relay that a kqueue had closed
 * although the failed one had never counted itself open. With one other kqueue open the count fell
 * to 0, the relay thread stopped, and a virtual thread parked on that other kqueue was never woken
 * again: its {@code kevent} hung although events were queued.
 *
 * <p>The registration is made to fail for real: {@code epoll_ctl(EPOLL_CTL_ADD)} fails with ENOSPC
 * once the calling user holds {@code /proc/sys/fs/epoll/max_user_watches} watches. A fresh JVM runs
 * as user 65534 (nobody, as PR-15's probe), whose watches this test counts from
 * {@code /proc/<pid>/fdinfo}; it opens a kqueue, parks a virtual thread in {@code kevent} on it,
 * and then, with the limit set to exactly one watch more than nobody holds, opens a second kqueue:
 * the second kqueue's first nested epoll set takes the last watch and its wakeup descriptor's
 * registration fails. The limit is global (it binds every user, root too), so it is lowered only
 * for that one {@code KQueue.open()} (milliseconds), under a file lock shared by every JVM on the
 * machine that runs this test, and restored in {@code finally}. Needs root and {@code setpriv(1)};
 * the child runs from a copy of the class path nobody can read ({@link ReadableClassPath}).
 */
class RelayCounterRegressionTest {
    private static final Path MAX_USER_WATCHES = Path.of("/proc/sys/fs/epoll/max_user_watches");
    private static final Path LOCK = Path.of(System.getProperty("java.io.tmpdir"), "kqueue-ffm-max_user_watches.lock");
    private static final int NOBODY = 65534;
    private static final Duration STEP = Duration.ofSeconds(20);
    /** Runs of the child before the test gives up on another nobody process taking watches meanwhile. */
    private static final int ATTEMPTS = 3;

    @Test
    void failedRegistrationInOpenKeepsTheRelayForOtherKqueues() throws Exception {
        assumeTrue(ProcessSupport.uidOf(ProcessHandle.current().pid()) == 0,
                "needs root: the test lowers /proc/sys/fs/epoll/max_user_watches for a moment");
        assumeTrue(ProcessSupport.hasSetpriv(), "needs setpriv(1) to run the child JVM as user " + NOBODY);
        assumeTrue(Files.isWritable(MAX_USER_WATCHES), MAX_USER_WATCHES + " is not writable here");
        List<String> missed = new ArrayList<>();
        // The child runs as nobody, which may not enter the checkout: it gets a readable copy.
        try (ReadableClassPath classPath = ReadableClassPath.forOtherUsers()) {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                Result result = runChild(classPath);
                if (result.registrationFailedAfterNestedSet()) {
                    assertTrue(result.woken, "the virtual thread parked on the first kqueue was not woken by its "
                            + "triggered EVFILT_USER knote after the second kqueue's open failed with "
                            + result.second + "; child output:\n" + result.output);
                    return;
                }
                missed.add(result.second);
            }
        }
        assumeTrue(false, "the second open never failed on its wakeup registration (another process of user "
                + NOBODY + " took epoll watches meanwhile?): " + missed);
    }

    private record Result(String second, boolean woken, String output) {
        /** Whether the failing call was the one the defect needed (not the nested set's, nor none). */
        boolean registrationFailedAfterNestedSet() {
            return second.startsWith(Errno.ENOSPC.name() + ":") && !second.contains("nested");
        }
    }

    private static Result runChild(ReadableClassPath classPath) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", "--", ReadableClassPath.javaLauncher().toString(),
                "--enable-native-access=ALL-UNNAMED", "-ea", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-cp", classPath.classPath(), Child.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).directory(new File("/")).start();
        Lines lines = new Lines(p);
        try (OutputStream toChild = p.getOutputStream()) {
            lines.await("ready");
            String second;
            try (FileChannel lock = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = lock.lock()) {
                String saved = readSysctl();
                try {
                    long limit = watchesOfUser(NOBODY) + 1;
                    Files.writeString(MAX_USER_WATCHES, Long.toString(limit));
                    send(toChild, "open");
                    second = lines.await("second=");
                } finally {
                    Files.writeString(MAX_USER_WATCHES, saved);
                }
            }
            send(toChild, "trigger");
            String woken = lines.await("woken=");
            assertTrue(p.waitFor(STEP.toSeconds(), TimeUnit.SECONDS), "child did not exit");
            assertEquals(0, p.exitValue(), "child's exit status; output:\n" + lines.all());
            return new Result(second, Boolean.parseBoolean(woken), lines.all());
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * The limit as it is now. A sysctl file answers a read at a non-zero offset with end-of-file,
     * so it is read in one call (Files.readString reads its first byte alone: "5" of "5491645").
     */
    private static String readSysctl() throws IOException {
        try (BufferedReader in = Files.newBufferedReader(MAX_USER_WATCHES)) {
            String value = in.readLine();
            if (value == null || !value.trim().matches("[0-9]{3,}")) {
                throw new IllegalStateException(MAX_USER_WATCHES + " reads '" + value + "', not a plausible limit");
            }
            return value.trim();
        }
    }

    private static void send(OutputStream toChild, String line) throws IOException {
        toChild.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        toChild.flush();
    }

    /** The epoll watches every process of a user holds: the "tfd:" lines of its epoll descriptors' fdinfo. */
    private static long watchesOfUser(int uid) throws IOException {
        long watches = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : processes) {
                if (ProcessSupport.uidOf(Long.parseLong(proc.getFileName().toString())) != uid) {
                    continue;
                }
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        if (Files.readSymbolicLink(fd).toString().equals("anon_inode:[eventpoll]")) {
                            watches += Files.readAllLines(proc.resolve("fdinfo").resolve(fd.getFileName())).stream()
                                    .filter(line -> line.startsWith("tfd:")).count();
                        }
                    }
                } catch (IOException gone) {
                    // the process exited while it was looked at
                }
            }
        }
        return watches;
    }

    /** The child's output, line by line, read by a thread of its own so that every wait has a limit. */
    private static final class Lines {
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private final StringBuilder all = new StringBuilder();

        Lines(Process p) {
            Thread.ofPlatform().daemon().name("relay-test-child-output").start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        queue.add(line);
                    }
                } catch (IOException e) {
                    queue.add("(output: " + e + ")");
                }
            });
        }

        /** @return the rest of the first line starting with {@code prefix} */
        String await(String prefix) throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + STEP.toNanos();
            while (true) {
                String line = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new TimeoutException("no line '" + prefix + "' from the child; output:\n" + all());
                }
                synchronized (all) {
                    all.append(line).append('\n');
                }
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length());
                }
            }
        }

        String all() {
            synchronized (all) {
                return all.toString();
            }
        }
    }

    /**
     * The child JVM (run as user 65534, so it uses only kqueue-ffm and the JDK): a kqueue with a
     * virtual thread parked in {@code kevent}; on "open" a second kqueue; on "trigger" an
     * EVFILT_USER trigger of the first, then whether the parked thread returned within 5 s.
     */
    public static final class Child {
        private Child() {
        }

        /**
         * Runs the protocol on stdin/stdout.
         *
         * @param args none
         * @throws Exception on failure (the parent then sees the stack trace)
         */
        public static void main(String[] args) throws Exception {
            PrintStream out = System.out;
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            KQueue.open().close(); // loads the classes of open and close before the limit is lowered
            KQueue first = KQueue.open();
            KEventList change = KEventList.allocate(1);
            change.set(0, 1, KEvent.EVFILT_USER, KEvent.EV_ADD | KEvent.EV_CLEAR, 0, 0, 0);
            first.kevent(change, 1, null, 0, Duration.ZERO);
            CompletableFuture<Integer> returned = new CompletableFuture<>();
            Thread waiter = Thread.ofVirtual().name("parked-on-first").start(() -> {
                try (KEventList events = KEventList.allocate(1)) {
                    returned.complete(first.kevent(null, 0, events, 1, null));
                } catch (Throwable t) {
                    returned.completeExceptionally(t);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (waiter.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(100); // parked through the relay, whose epoll set now watches the first kqueue
            out.println("ready " + waiter.getState());
            expect(in, "open");
            String second;
            try {
                KQueue.open().close();
                second = "opened";
            } catch (KQueueException e) {
                second = e.errno().name() + ": " + e.getMessage();
            }
            out.println("second=" + second);
            expect(in, "trigger");
            change.set(0, 1, KEvent.EVFILT_USER, 0, KEvent.NOTE_TRIGGER, 0, 0);
            first.kevent(change, 1, null, 0, Duration.ZERO);
            boolean woken;
            try {
                woken = returned.get(5, TimeUnit.SECONDS) == 1;
            } catch (TimeoutException e) {
                woken = false;
            }
            out.println("woken=" + woken);
            out.flush();
            // Not first.close(): with the defect it would wait forever for the parked caller.
            Runtime.getRuntime().halt(0);
        }

        private static void expect(BufferedReader in, String word) throws IOException {
            String line = in.readLine();
            if (!word.equals(line)) {
                throw new IllegalStateException("expected '" + word + "' from the parent, got " + line);
            }
        }
    }
}
