/**
 * Robustness properties of issue 6 (items 3 – 5): bad input ({@code BadInputPropertyTest},
 * QuickTheories), leaks ({@code LeakPropertyTest}, 1 000 open–register–close cycles of every
 * filter) and threads ({@code ThreadPropertyTest}), plus row-style regression tests for the library
 * bugs they found ({@code RobustnessRegressionTest}).
 *
 * <p>Run: {@code mvn -pl kqueue-tests -am test -Dtest='**}{@code /robustness/*Test'
 * -Dsurefire.failIfNoSpecifiedTests=false} (a {@code -Dtest} pattern ending in {@code .*} matches
 * nothing: surefire reads it as a file extension). Each property prints one line
 * {@code property <name>: N sequences, D divergences, seed S}. Options:
 * <ul>
 *   <li>{@code -Dkqueue.seed=S} — the seed (default {@link Robust#DEFAULT_SEED}); a bad-input
 *       failure replays with the same seed and prints its shrunk sequence; thread schedules are
 *       real interleavings and do not replay exactly;</li>
 *   <li>{@code -Pstress} ({@code kqueue.stress=true}) — 30 000 bad-input sequences, 20 000 leak
 *       cycles, the thread property for 60 s with 8 waiters, 60 s per racing regression test.</li>
 * </ul>
 * Every call that could hang runs on its own thread with a time limit; every property checks that
 * descriptors, threads and {@code KQueue.nativeMemoryInUse()} are back to their starting values.
 */
package io.github.kqueueffm.properties.robustness;
