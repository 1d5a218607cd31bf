package io.github.kqueueffm.tests.support;

import io.github.kqueueffm.Descriptors;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Helpers for the EVFILT_VNODE conformance tests (rows VN, docs/conformance.md#vn): the file system
 * calls the rows name, each made as exactly one system call through its own downcall (so that no
 * hidden {@code open}/{@code close} of the JDK's file API adds NOTE_OPEN / NOTE_CLOSE activity), a
 * tracker that closes every descriptor a test opened, event collection with the timings of
 * docs/conformance.md#s1.2, and running child processes ({@code touch}, {@code mount}).
 *
 * <p>Every call here talks to the real kernel through {@link HostOs} and fails the test with the
 * errno name when it fails.
 */
public final class VnodeSupport {
    /** Wait for an event caused in-process through the kernel (the brief's "short wait"). */
    public static final Duration RECEIVE = Duration.ofSeconds(1);
    /** The wait of docs/conformance.md#s1.2 for "no event". */
    public static final Duration NO_EVENT_WAIT = Duration.ofMillis(100);

    /** Every EVFILT_VNODE note bit (NOTE_DELETE … NOTE_READ, docs/conformance.md#appendix-a.4). */
    public static final int ALL_NOTES = KEvent.NOTE_DELETE | KEvent.NOTE_WRITE | KEvent.NOTE_EXTEND
            | KEvent.NOTE_ATTRIB | KEvent.NOTE_LINK | KEvent.NOTE_RENAME | KEvent.NOTE_REVOKE
            | KEvent.NOTE_OPEN | KEvent.NOTE_CLOSE | KEvent.NOTE_CLOSE_WRITE | KEvent.NOTE_READ;

    private static final String[] NOTE_NAMES = {"NOTE_DELETE", "NOTE_WRITE", "NOTE_EXTEND", "NOTE_ATTRIB",
        "NOTE_LINK", "NOTE_RENAME", "NOTE_REVOKE", "NOTE_OPEN", "NOTE_CLOSE", "NOTE_CLOSE_WRITE", "NOTE_READ"};

    private VnodeSupport() {
    }

    // ---------------------------------------------------------------- file system calls

    /**
     * {@code futimens(fd, NULL)}: both times set to now (the VN standard activation,
     * docs/conformance.md#s1.4).
     */
    public static void futimens(int fd) {
        HostOs.current().futimens(fd);
    }

    /** {@code utimensat(AT_FDCWD, path, NULL, 0)}: {@code utimes} by path. */
    public static void utimes(Path path) {
        HostOs.current().utimes(path);
    }

    /** {@code ftruncate(fd, length)}. */
    public static void ftruncate(int fd, long length) {
        HostOs.current().ftruncate(fd, length);
    }

    /** {@code pwrite(fd, n bytes of 'p', offset)}; asserts that all {@code n} bytes were written. */
    public static void pwrite(int fd, int n, long offset) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(n);
            buf.fill((byte) 'p');
            long w = HostOs.current().pwrite(fd, buf, n, offset);
            if (w != n) {
                throw new IllegalStateException("pwrite wrote " + w + " of " + n + " bytes");
            }
        }
    }

    /** {@code write(fd, n bytes)} on a descriptor opened with O_APPEND; asserts a full write. */
    public static void append(int fd, int n) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, n));
            buf.fill((byte) 'x');
            long w = HostOs.current().write(fd, buf, n);
            if (w != n) {
                throw new IllegalStateException("write(" + fd + ") wrote " + w + " of " + n + " bytes");
            }
        }
    }

    /** {@code read(fd, n bytes)}; returns the count read. */
    public static long read(int fd, int n) {
        try (Arena arena = Arena.ofConfined()) {
            return HostOs.current().read(fd, arena.allocate(Math.max(1, n)), n);
        }
    }

    /** {@code fchmod(fd, mode)}. */
    public static void fchmod(int fd, int mode) {
        HostOs.current().fchmod(fd, mode);
    }

    /** {@code fchown(fd, uid, gid)}. */
    public static void fchown(int fd, int uid, int gid) {
        HostOs.current().fchown(fd, uid, gid);
    }

    /** {@code link(existing, newName)}. */
    public static void link(Path existing, Path newName) {
        HostOs.current().link(existing, newName);
    }

    /** {@code unlink(path)}. */
    public static void unlink(Path path) {
        HostOs.current().unlink(path);
    }

    /** {@code rename(from, to)}. */
    public static void rename(Path from, Path to) {
        HostOs.current().rename(from, to);
    }

    /** {@code mkdir(path, 0700)}. */
    public static void mkdir(Path path) {
        HostOs.current().mkdir(path);
    }

    /** {@code rmdir(path)}. */
    public static void rmdir(Path path) {
        HostOs.current().rmdir(path);
    }

    /** Creates a regular file holding {@code size} bytes (made before any watch exists). */
    public static Path newFile(Path dir, String name, int size) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, new byte[size]);
        return file;
    }

    /** The link count ({@code st_nlink}) of a path. */
    public static int nlink(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:nlink");
    }

    // ---------------------------------------------------------------- descriptors

    /** Descriptors opened by one test, all closed by {@link #close()} (errors ignored). */
    public static final class Fds implements AutoCloseable {
        private final List<Integer> open = new ArrayList<>();

        /** {@link Descriptors#open(Path)}: read-only, close-on-exec (the VN watch descriptor). */
        public int open(Path path) throws KQueueException {
            return track(Descriptors.open(path));
        }

        /** open(2) with {@code flags} (O_CLOEXEC added). */
        public int open(Path path, HostOs.OpenFlag... flags) {
            return track(HostOs.current().open(path, flags));
        }

        /** An O_WRONLY | O_APPEND descriptor. */
        public int openAppend(Path path) {
            return open(path, HostOs.OpenFlag.WRITE_ONLY, HostOs.OpenFlag.APPEND);
        }

        /** Records a descriptor opened elsewhere. */
        public int track(int fd) {
            open.add(fd);
            return fd;
        }

        /** Closes one tracked descriptor now, asserting success. */
        public void close(int fd) {
            open.remove((Integer) fd);
            Os.close(fd);
        }

        /** Forgets a descriptor that was closed by other means. */
        public void forget(int fd) {
            open.remove((Integer) fd);
        }

        @Override
        public void close() {
            for (int fd : open) {
                Os.closeQuietly(fd);
            }
            open.clear();
        }
    }

    // ---------------------------------------------------------------- events

    /** One wait of at most {@link #RECEIVE}: the events of the first call that returns any. */
    public static List<KEvent> receive(KQueue kq) throws KQueueException {
        return KeventCalls.waitEvents(kq, RECEIVE);
    }

    /** One wait of {@link #NO_EVENT_WAIT}: what a "no event" check returns (should be empty). */
    public static List<KEvent> noEventWait(KQueue kq) throws KQueueException {
        return KeventCalls.waitEvents(kq, NO_EVENT_WAIT);
    }

    /**
     * Collects events over several calls, for at most {@code within}, until an event has been seen
     * for every ident in {@code idents}; returns the first event seen per ident (every ident
     * returned, expected or not, is a key). Use EV_CLEAR knotes: a level-triggered knote is returned
     * again by every call.
     */
    public static Map<Long, KEvent> collect(KQueue kq, Set<Long> idents, Duration within) throws KQueueException {
        Map<Long, KEvent> seen = new LinkedHashMap<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (!seen.keySet().containsAll(idents)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            for (KEvent e : KeventCalls.waitEvents(kq, Duration.ofNanos(left))) {
                seen.putIfAbsent(e.ident(), e);
            }
        }
        return seen;
    }

    /** A note set by name, e.g. {@code NOTE_WRITE|NOTE_EXTEND (0x6)}. */
    public static String notes(int fflags) {
        StringBuilder sb = new StringBuilder();
        for (int bit = 0; bit < NOTE_NAMES.length; bit++) {
            if ((fflags & (1 << bit)) != 0) {
                sb.append(sb.isEmpty() ? "" : "|").append(NOTE_NAMES[bit]);
            }
        }
        int rest = fflags & ~ALL_NOTES;
        if (rest != 0) {
            sb.append(sb.isEmpty() ? "" : "|").append(KeventCalls.hex(rest));
        }
        return (sb.isEmpty() ? "0" : sb.toString()) + " (" + KeventCalls.hex(fflags) + ")";
    }

    // ---------------------------------------------------------------- child processes

    /** What a finished child process returned. */
    public record Run(int exitCode, String output) {
    }

    /** Runs a command to completion (at most 5 s), with stderr merged into the output. */
    public static Run run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within 5 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return new Run(p.exitValue(), out);
    }
}
