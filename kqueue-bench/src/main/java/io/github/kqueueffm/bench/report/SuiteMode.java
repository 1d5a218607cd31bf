package io.github.kqueueffm.bench.report;

import java.util.Locale;

/**
 * How long {@link BenchSuite} measures. Every mode runs every case in one fork per round; the rounds
 * interleave the cases (round 1 runs each case once, then round 2 ...), so a slow spell of a shared
 * machine falls on all backends alike, and the report takes medians over all rounds.
 *
 * @param rounds rounds of the whole suite
 * @param warmups warm-up iterations per fork (timed workloads)
 * @param warmupMillis length of one warm-up iteration
 * @param iterations measured iterations per fork (timed workloads)
 * @param iterationMillis length of one measured iteration
 * @param timerWarmups warm-up operations per fork of the single-shot workloads (W3 timers, W7 process exits)
 * @param timerIterations measured operations per fork of the single-shot workloads
 */
public record SuiteMode(int rounds, int warmups, int warmupMillis, int iterations, int iterationMillis,
        int timerWarmups, int timerIterations) {
    /** CI: one very short iteration of each case, to see that every one runs (about a minute). */
    public static final SuiteMode SMOKE = new SuiteMode(1, 1, 100, 1, 200, 0, 1);
    /** A laptop: one round, a few seconds per case (under 5 minutes). */
    public static final SuiteMode QUICK = new SuiteMode(1, 1, 1000, 3, 1000, 2, 3);
    /** The measurement: five rounds (about 25 minutes on two cores, 30 with native). */
    public static final SuiteMode FULL = new SuiteMode(5, 2, 2000, 5, 1000, 3, 5);

    /**
     * The mode of a name.
     *
     * @param name {@code smoke}, {@code quick} or {@code full}
     * @return the mode
     * @throws IllegalArgumentException for another name
     */
    public static SuiteMode of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "smoke" -> SMOKE;
            case "quick" -> QUICK;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException("mode " + name + ": smoke, quick or full");
        };
    }
}
