package io.github.kqueueffm.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * W8 file changes: {@code files} regular files in a new temporary directory, all watched by the
 * backend. One operation appends one byte to the next file (round-robin, {@code write(2)} on a
 * descriptor opened at setup, the same for every backend) and waits until the backend reports a
 * change of that file, checking that it is that file: the latency of one change notification with
 * 1 000 files watched. The files grow by a byte a change ({@link WatchedFiles}); teardown removes
 * them.
 *
 * <p>Backends ({@link Backend}): {@code kqueue-ffm} and {@code native} (each file opened read-only
 * and registered with EVFILT_VNODE, EV_ADD|EV_CLEAR, NOTE_WRITE|NOTE_EXTEND; {@code kevent}
 * collecting one event), {@code epoll} (raw inotify: an IN_MODIFY watch per file on one inotify
 * instance in an epoll set, {@code epoll_wait} and one {@code read}: the floor), {@code nio} (the
 * JDK's {@code WatchService} on the directory, ENTRY_MODIFY, {@code take}; on Linux its background
 * thread polls inotify and hands each key over, so every change includes a cross-thread wake-up:
 * the JDK's design, measured as a user gets it). Netty has no file-watching API. libkqueue opens an
 * inotify instance per EVFILT_VNODE knote, so {@code native} needs {@code files} of them under
 * {@code fs.inotify.max_user_instances} (128 by default) and is refused otherwise
 * ({@link #nativeRefusal}). Run under {@code -prof gc} for bytes per change.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class FileChangeBench {
    /** The suite's number of watched files (W8). */
    public static final String FILES = "1000";
    /** Descriptors the JVM itself holds, beyond the workload's. */
    private static final int JVM_DESCRIPTORS = 256;
    /** Inotify instances the rest of the system may hold under the same user's limit. */
    private static final int OTHER_INSTANCES = 16;
    private static final Path MAX_USER_INSTANCES = Path.of("/proc/sys/fs/inotify/max_user_instances");

    /** The backend ({@link Backend}). */
    @Param({Backend.KQUEUE_FFM, Backend.EPOLL, Backend.NIO, Backend.NATIVE})
    public String backend;

    /** Watched files. */
    @Param({FILES})
    public int files;

    private WatchedFiles watched;
    private FileWatcher watcher;
    private int next;

    /**
     * Creates the files and the backend's watches.
     *
     * @throws Exception if any of it fails
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Backend.check(backend);
        String refusal = backend.equals(Backend.NATIVE) ? nativeRefusal(files) : null;
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
        // Writers and read-only descriptors, and libkqueue's inotify instance per file.
        FdLimit.ensure(3L * files + JVM_DESCRIPTORS);
        watched = new WatchedFiles(files);
        watcher = switch (backend) {
            case Backend.KQUEUE_FFM, Backend.NATIVE -> new KQueueFileWatcher(watched);
            case Backend.EPOLL -> new InotifyFileWatcher(watched);
            case Backend.NIO -> new NioFileWatcher(watched);
            default -> throw new IllegalArgumentException("backend " + backend);
        };
    }

    /**
     * Why the {@code native} backend (libkqueue) cannot watch {@code files} files here, or null when
     * it can: libkqueue opens an inotify instance for each EVFILT_VNODE knote, and a user may hold
     * at most {@code fs.inotify.max_user_instances}.
     *
     * @param files watched files
     * @return the reason, or null
     */
    public static String nativeRefusal(int files) {
        long limit;
        try {
            // readAllLines, not readString: on this procfs file JDK 25's readString returned "1".
            limit = Long.parseLong(Files.readAllLines(MAX_USER_INSTANCES).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return null; // no such limit to check: let libkqueue try
        }
        if (limit >= files + OTHER_INSTANCES) {
            return null;
        }
        return "native W8: skipped, libkqueue opens an inotify instance per EVFILT_VNODE knote and "
                + "fs.inotify.max_user_instances (" + limit + ") is below the " + files + " files (+" + OTHER_INSTANCES
                + " for the rest of the system); raise it (sysctl fs.inotify.max_user_instances=" + (files + 1024)
                + ") or run fewer: -p files=100";
    }

    /**
     * One change: a byte appended to the next file, and the backend's report of it.
     *
     * @throws Exception if the write or the wait fails, or another file is reported
     */
    @Benchmark
    public void appendAndWait() throws Exception {
        int file = next;
        next = file + 1 == files ? 0 : file + 1;
        watched.append(file);
        watcher.awaitChange(file);
    }

    /** Stops watching and removes the files. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (watcher != null) {
            watcher.close();
        }
        if (watched != null) {
            watched.close();
        }
    }
}
