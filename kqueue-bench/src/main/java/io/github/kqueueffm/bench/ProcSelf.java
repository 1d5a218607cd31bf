package io.github.kqueueffm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What the timer and process-exit workloads read about their own process from {@code /proc/self}. */
final class ProcSelf {
    private static final Path STATUS = Path.of("/proc/self/status");
    /** glibc's {@code int malloc_trim(size_t pad)}, or null where the C library has none (musl). */
    private static final MethodHandle MALLOC_TRIM = Linker.nativeLinker().defaultLookup().find("malloc_trim")
            .map(address -> Linker.nativeLinker().downcallHandle(address,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG)))
            .orElse(null);

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
     * Gives the C heap's free memory back to the OS ({@code malloc_trim(0)}), as the bench's heap
     * flags make the JVM give its free heap back: native memory freed by the last operation (a
     * closed kqueue's) then counts again in the next operation's growth, instead of being reused
     * unseen. Does nothing where the C library has no {@code malloc_trim}.
     */
    static void trimNativeHeap() {
        if (MALLOC_TRIM == null) {
            return;
        }
        try {
            int released = (int) MALLOC_TRIM.invokeExact(0L);
            assert released == 0 || released == 1;
        } catch (Throwable e) {
            throw new IllegalStateException("malloc_trim", e);
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
