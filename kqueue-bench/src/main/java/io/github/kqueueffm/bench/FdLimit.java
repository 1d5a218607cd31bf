package io.github.kqueueffm.bench;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxConstants;
import io.github.kqueueffm.bindings.linux.LinuxStructs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Raises this process's {@code RLIMIT_NOFILE} for the workloads that hold many descriptors. */
final class FdLimit {
    private FdLimit() {
    }

    /**
     * Makes room for at least {@code needed} open descriptors: the soft limit up to the hard one, and
     * the hard one too where the process may (root, or CAP_SYS_RESOURCE).
     *
     * @param needed descriptors the workload opens, plus what the JVM holds
     * @throws IllegalStateException naming the {@code ulimit -n} to run when the limit cannot be raised
     */
    static void ensure(long needed) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment limit = arena.allocate(LinuxStructs.RLIMIT_SIZE, 8);
            check(LinuxCalls.getrlimit(LinuxConstants.RLIMIT_NOFILE, limit), needed);
            long soft = limit.get(ValueLayout.JAVA_LONG, LinuxStructs.RLIMIT_CUR);
            long hard = limit.get(ValueLayout.JAVA_LONG, LinuxStructs.RLIMIT_MAX);
            if (Long.compareUnsigned(soft, needed) >= 0) {
                return;
            }
            limit.set(ValueLayout.JAVA_LONG, LinuxStructs.RLIMIT_CUR, needed);
            if (Long.compareUnsigned(hard, needed) < 0) {
                limit.set(ValueLayout.JAVA_LONG, LinuxStructs.RLIMIT_MAX, needed);
            }
            check(LinuxCalls.setrlimit(LinuxConstants.RLIMIT_NOFILE, limit), needed);
        }
    }

    private static void check(int result, long needed) {
        if (result < 0) {
            throw new IllegalStateException("cannot raise RLIMIT_NOFILE to " + needed + " (errno " + -result
                    + "): run with ulimit -n " + needed + " or more");
        }
    }
}
