package io.github.kqueueffm.bench.report;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of the report: a workload's metric, looked up for each backend.
 *
 * @param workload {@code W1}, {@code W2} ..., which names its chart
 * @param label the row's text, unit included
 * @param benchmark class and method of the benchmark
 * @param params its parameters other than the backend
 * @param metric {@link JmhResults#SCORE} or a secondary metric
 * @param ratio whether the row shows each value's ratio to raw epoll (times); memory, descriptors
 *              and allocation, where raw epoll's value is near zero, do not
 * @param series the chart series this row is, or null for a row that is only in the tables
 * @param unit the unit of raw epoll's value in the chart's legend
 */
record Row(String workload, String label, String benchmark, Map<String, String> params, String metric,
        boolean ratio, String series, String unit) {
    /** JMH -prof gc's bytes per operation. */
    static final String ALLOCATION = "gc.alloc.rate.norm";

    /** Every row, in the report's order. */
    static final List<Row> ALL = List.of(
            time("W1", "W1 ping-pong, 1 byte each way over a socketpair, ns per round trip", "PingPongBench.roundTrip",
                    Map.of("idle", "0"), "round trip", "ns"),
            time("W2", "W2 the same with 19 000 idle registered descriptors, ns per round trip",
                    "PingPongBench.roundTrip", Map.of("idle", "19000"), "round trip", "ns"),
            new Row("W3", "W3 100 000 one-shot timers, one call each: registration, ms", "TimersBench.armAndExpire",
                    Map.of(), "registrationMs", true, "registration", "ms"),
            new Row("W3", "W3 same: wall time to the last expiry, ms", "TimersBench.armAndExpire", Map.of(),
                    JmhResults.SCORE, true, "wall time to the last expiry", "ms"),
            new Row("W3", "W3 same: memory growth (VmHWM − RSS before), MB", "TimersBench.armAndExpire", Map.of(),
                    "memoryGrowthMB", false, null, null),
            new Row("W3", "W3 same: descriptors used", "TimersBench.armAndExpire", Map.of(), "descriptors", false,
                    null, null),
            time("W4", "W4 cross-thread wake-up, both threads on one CPU, ns per round trip", "WakeupBench.roundTrip",
                    Map.of("cpus", "1"), "1 CPU", "ns"),
            time("W4", "W4 the same on two CPUs, ns per round trip", "WakeupBench.roundTrip", Map.of("cpus", "2"),
                    "2 CPUs", "ns"),
            time("W5", "W5 registration churn, EV_ADD then EV_DELETE of EVFILT_READ on one socket, ns per pair",
                    "ChurnBench.addThenDelete", Map.of(), "add + delete", "ns"),
            new Row("W7", "W7 1 000 children: an exit watch each, then SIGKILL to all: registration, ms",
                    "ProcExitBench.watchKillAndAwait", Map.of(), "registrationMs", true, "registration", "ms"),
            new Row("W7", "W7 same: wall time from the first watch to the last exit reported, ms",
                    "ProcExitBench.watchKillAndAwait", Map.of(), JmhResults.SCORE, true,
                    "wall time to the last exit", "ms"),
            new Row("W7", "W7 same: descriptors used", "ProcExitBench.watchKillAndAwait", Map.of(), "descriptors",
                    false, null, null),
            new Row("W7", "W7 same: threads the backend added", "ProcExitBench.watchKillAndAwait", Map.of(),
                    "threadsAdded", false, null, null),
            new Row("W7", "W7 same: threads of the process (the JDK's reaper per child included)",
                    "ProcExitBench.watchKillAndAwait", Map.of(), "threads", false, null, null),
            time("W8", "W8 file changes, 1 byte appended to one of 1 000 watched files until its report, ns per change",
                    "FileChangeBench.appendAndWait", Map.of("files", "1000"), "change", "ns"),
            allocation("W1", "W1 B per round trip", "PingPongBench.roundTrip", Map.of("idle", "0")),
            allocation("W2", "W2 B per round trip", "PingPongBench.roundTrip", Map.of("idle", "19000")),
            allocation("W4", "W4 B per round trip, one CPU", "WakeupBench.roundTrip", Map.of("cpus", "1")),
            allocation("W4", "W4 B per round trip, two CPUs", "WakeupBench.roundTrip", Map.of("cpus", "2")),
            allocation("W5", "W5 B per add + delete", "ChurnBench.addThenDelete", Map.of()),
            allocation("W8", "W8 B per change", "FileChangeBench.appendAndWait", Map.of("files", "1000")));

    private static Row time(String workload, String label, String benchmark, Map<String, String> params,
            String series, String unit) {
        return new Row(workload, label, benchmark, params, JmhResults.SCORE, true, series, unit);
    }

    private static Row allocation(String workload, String label, String benchmark, Map<String, String> params) {
        return new Row(workload, label, benchmark, params, ALLOCATION, false, null, null);
    }

    /**
     * Whether this row is an allocation row (the report's second table).
     *
     * @return true for JMH's bytes per operation
     */
    boolean isAllocation() {
        return metric.equals(ALLOCATION);
    }

    /**
     * The key of this row for one backend.
     *
     * @param backend the backend
     * @return the key into {@link JmhResults}
     */
    JmhResults.Key key(String backend) {
        Map<String, String> all = new TreeMap<>(params);
        all.put("backend", backend);
        return new JmhResults.Key(benchmark, all, metric);
    }
}
