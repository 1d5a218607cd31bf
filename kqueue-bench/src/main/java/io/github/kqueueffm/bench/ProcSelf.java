package io.github.kqueueffm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What the timer and process-exit workloads read about their own process from {@code /proc/self}. */
final class ProcSelf {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcSelf() {
    }

    /**
     * A memory field of {@code /proc/self/status}.
     *
     * @param field e.g. {@code VmRSS} or {@code VmHWM}
     * @return its value in bytes
     */
    static long statusBytes(String field) {
        try (Stream<String> lines = Files.lines(STATUS)) {
            String line = lines.filter(l -> l.startsWith(field + ":")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + field + " in " + STATUS));
            String[] words = line.substring(field.length() + 1).trim().split("\\s+");
            return Long.parseLong(words[0]) * 1024; // always "kB"
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The threads of this process, the JVM's own included.
     *
     * @return the {@code Threads} field of {@code /proc/self/status}
     */
    static int threads() {
        try (Stream<String> lines = Files.lines(STATUS)) {
            String line = lines.filter(l -> l.startsWith("Threads:")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no Threads in " + STATUS));
            return Integer.parseInt(line.substring("Threads:".length()).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Resets the peak resident size ({@code VmHWM}) to the current one: writes 5 to
     * {@code /proc/self/clear_refs} (Linux 4.0+), so that every measured operation has its own peak.
     *
     * @return false if the kernel refused, when the peak is that of the whole process so far
     */
    static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Descriptors this process has open.
     *
     * @return the entries of {@code /proc/self/fd}, less the one the listing itself opens
     */
    static int descriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count() - 1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
