package io.github.kqueueffm.bench;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxConstants;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * W8's files: a new temporary directory of {@code count} empty regular files, each with a descriptor
 * opened for appending, and the one-byte {@code write(2)} that changes one of them, the same for
 * every backend. The files only grow, one byte a change, and are left to: at 1 to 2 µs a change
 * the nine seconds of a full-mode fork append at most about 9 MB in all, 9 KB a file, and a
 * truncation would itself be a change the watchers report. Teardown removes them.
 */
final class WatchedFiles implements AutoCloseable {
    private final Path directory;
    private final Path[] paths;
    private final int[] writers;
    /** An automatic arena: a write given its memory skips the session's acquire and release. */
    private final MemorySegment buffer = Arena.ofAuto().allocate(1);

    /**
     * Creates the directory and the files and opens each for appending.
     *
     * @param count how many files
     * @throws IOException if the directory or a file cannot be created
     */
    WatchedFiles(int count) throws IOException {
        directory = Files.createTempDirectory("kqueue-bench-w8-");
        paths = new Path[count];
        writers = new int[count];
        try (Arena arena = Arena.ofConfined()) {
            for (int i = 0; i < count; i++) {
                paths[i] = Files.createFile(directory.resolve("f" + i));
                writers[i] = EpollPingEnd.check(LinuxCalls.open(arena.allocateFrom(paths[i].toString()),
                        LinuxConstants.O_WRONLY | LinuxConstants.O_APPEND | LinuxConstants.O_CLOEXEC, 0), "open");
            }
        }
    }

    /**
     * How many files there are.
     *
     * @return the count
     */
    int count() {
        return paths.length;
    }

    /**
     * The directory holding the files.
     *
     * @return its path
     */
    Path directory() {
        return directory;
    }

    /**
     * One file's path.
     *
     * @param index which file
     * @return its path
     */
    Path path(int index) {
        return paths[index];
    }

    /**
     * Appends one byte to a file.
     *
     * @param index which file
     * @throws IllegalStateException if the write fails
     */
    void append(int index) {
        long written = LinuxCalls.write(writers[index], buffer, 1);
        if (written != 1) {
            throw new IllegalStateException("write to " + paths[index] + ": " + written);
        }
    }

    /** Closes the descriptors and removes the files and the directory. */
    @Override
    public void close() {
        try {
            for (int i = 0; i < paths.length; i++) {
                if (paths[i] != null) {
                    LinuxCalls.close(writers[i]);
                    Files.deleteIfExists(paths[i]);
                }
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
