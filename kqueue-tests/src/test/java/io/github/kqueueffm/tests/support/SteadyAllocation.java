package io.github.kqueueffm.tests.support;

import org.junit.jupiter.api.Assumptions;

import java.lang.management.ManagementFactory;

/**
 * Java heap a piece of work allocates once the JIT has compiled its path (interpreted
 * method-handle code allocates): warm-up rounds run until one allocates nothing, at least 5 and
 * at most 60 of them, then the measured work runs once. Counted by the JVM's per-thread allocation
 * counter; a JVM without one skips the test, naming that.
 */
public final class SteadyAllocation {
    /** A round of work that may throw what its test may. */
    @FunctionalInterface
    public interface Work {
        /**
         * Runs the work.
         *
         * @throws Exception as the test's own code may
         */
        void run() throws Exception;
    }

    private SteadyAllocation() {
    }

    /**
     * Bytes the calling thread allocates running {@code measured} after the warm-up rounds.
     *
     * @param warmUpRound one warm-up round (may assert what every round must give)
     * @param measured the measured work
     * @return bytes allocated by {@code measured}
     * @throws Exception as the work throws
     */
    public static long bytes(Work warmUpRound, Work measured) throws Exception {
        java.lang.management.ThreadMXBean plain = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(plain instanceof com.sun.management.ThreadMXBean,
                "this JVM has no com.sun.management.ThreadMXBean (per-thread allocation counter)");
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) plain;
        Assumptions.assumeTrue(bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count per-thread allocation");
        for (int round = 0; round < 60; round++) {
            long before = bean.getCurrentThreadAllocatedBytes();
            warmUpRound.run();
            if (round >= 4 && bean.getCurrentThreadAllocatedBytes() == before) {
                break;
            }
        }
        long before = bean.getCurrentThreadAllocatedBytes();
        measured.run();
        return bean.getCurrentThreadAllocatedBytes() - before;
    }
}
