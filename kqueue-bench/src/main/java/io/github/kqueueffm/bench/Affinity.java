package io.github.kqueueffm.bench;

import io.github.kqueueffm.bindings.linux.LinuxCalls;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;

/**
 * Pins threads to CPUs with {@code sched_setaffinity(2)}, for the wake-up workload. kqueue-bindings
 * has no binding for it, so this class links glibc's function itself: the benchmark module's one
 * restricted call, which the forks allow with {@code --enable-native-access=ALL-UNNAMED}.
 */
final class Affinity {
    /** glibc's {@code cpu_set_t}: 1024 bits. */
    private static final long CPU_SET_BYTES = 128;
    private static final MethodHandle SET = link("sched_setaffinity");
    private static final MethodHandle GET = link("sched_getaffinity");

    private Affinity() {
    }

    /**
     * The CPUs this process may run on (its main thread's mask, which nothing here changes).
     *
     * @return CPU numbers, ascending
     */
    static int[] allowed() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(CPU_SET_BYTES);
            int r = (int) GET.invokeExact(LinuxCalls.getpid(), CPU_SET_BYTES, mask);
            if (r != 0) {
                throw new IllegalStateException("sched_getaffinity failed");
            }
            return java.util.stream.IntStream.range(0, (int) CPU_SET_BYTES * 8)
                    .filter(cpu -> (mask.get(ValueLayout.JAVA_BYTE, cpu / 8) & (1 << (cpu % 8))) != 0)
                    .toArray();
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /**
     * Pins the calling thread to one CPU.
     *
     * @param cpu the CPU number
     */
    static void pin(int cpu) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(CPU_SET_BYTES);
            mask.set(ValueLayout.JAVA_BYTE, cpu / 8, (byte) (1 << (cpu % 8)));
            int r = (int) SET.invokeExact(0, CPU_SET_BYTES, mask);
            if (r != 0) {
                throw new IllegalStateException("sched_setaffinity to CPU " + cpu + " failed; allowed: "
                        + Arrays.toString(allowed()));
            }
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** {@code int f(pid_t pid, size_t cpusetsize, cpu_set_t *mask)} from the C library. */
    @SuppressWarnings("restricted")
    private static MethodHandle link(String name) {
        Linker linker = Linker.nativeLinker();
        MemorySegment address = linker.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("no " + name + " in the C library"));
        return linker.downcallHandle(address, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    }

    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(e);
    }
}
