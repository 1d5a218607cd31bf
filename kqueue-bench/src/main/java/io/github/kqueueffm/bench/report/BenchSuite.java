package io.github.kqueueffm.bench.report;

import io.github.kqueueffm.bench.Backend;
import io.github.kqueueffm.bench.ChurnBench;
import io.github.kqueueffm.bench.FileChangeBench;
import io.github.kqueueffm.bench.PingPongBench;
import io.github.kqueueffm.bench.ProcExitBench;
import io.github.kqueueffm.bench.TimersBench;
import io.github.kqueueffm.bench.WakeupBench;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs workloads W1 to W5, W7 and W8 against every backend, in rounds ({@link SuiteMode}), writing JMH's JSON
 * into a results directory, then {@link BenchReport} on it. Each case gets one fork per round; the
 * {@code native} backend gets forks of its own with {@code -Dkqueue.native.library}, which would
 * turn {@code kqueue-ffm} into the passthrough. W1 (and W2), W4, W5 and W8 run under JMH's GC profiler
 * for bytes per operation.
 *
 * <p>W8 (file changes) also runs under the GC profiler; its native case is skipped where libkqueue's
 * inotify instance per watched file would exceed {@code fs.inotify.max_user_instances}.
 *
 * <p>A case that fails is listed in {@value #FAILURES} and the report, the other cases go on, and
 * the exit status is 1: the suite checks that every case runs, never how fast.
 *
 * <p>Usage: {@code BenchSuite smoke|quick|full <results directory> [/absolute/path/to/libkqueue.so]}.
 */
public final class BenchSuite {
    /** The file listing the cases that produced no result. */
    static final String FAILURES = "failures.txt";
    /** The file listing the cases not run here, and why. */
    static final String SKIPPED = "skipped.txt";
    /** libkqueue opens a timerfd per EVFILT_TIMER knote: W3 needs this many descriptors. */
    private static final long NATIVE_TIMER_DESCRIPTORS = 100_256;

    private static final List<String> ALL = List.of(Backend.KQUEUE_FFM, Backend.EPOLL, Backend.NIO, Backend.NETTY);
    private static final List<String> PROC = List.of(Backend.KQUEUE_FFM, Backend.EPOLL, Backend.NIO);
    private static final List<String> FILES = List.of(Backend.KQUEUE_FFM, Backend.EPOLL, Backend.NIO);
    private static final List<String> READ = List.of(Backend.KQUEUE_FFM, Backend.EPOLL, Backend.EPOLL_FIONREAD,
            Backend.NIO, Backend.NETTY);

    /**
     * One benchmark class of the suite.
     *
     * @param bench the class
     * @param backends its backends besides {@code native}
     * @param variants combinations of its other parameters (each backend runs that many cases)
     * @param gc whether it runs under the GC profiler
     * @param singleShot whether it is a single-shot workload (W3, W7), run for {@link SuiteMode#timerIterations}
     * @param workloads the workloads it measures, as {@code BENCH_WORKLOADS} names them
     */
    private record Case(Class<?> bench, List<String> backends, int variants, boolean gc, boolean singleShot,
            List<String> workloads) {
    }

    private static final List<Case> CASES = List.of(
            new Case(PingPongBench.class, READ, 2, true, false, List.of("W1", "W2")), // idle 0, idle 19000
            new Case(TimersBench.class, ALL, 1, false, true, List.of("W3")),
            new Case(WakeupBench.class, ALL, 2, true, false, List.of("W4")),          // 1 CPU, 2 CPUs
            new Case(ChurnBench.class, ALL, 1, true, false, List.of("W5")),
            new Case(ProcExitBench.class, PROC, 1, false, true, List.of("W7")),       // no native (refused)
            new Case(FileChangeBench.class, FILES, 1, true, false, List.of("W8")));

    private final SuiteMode mode;
    private final Path directory;
    private final String library;
    private final List<String> failures = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();

    private BenchSuite(SuiteMode mode, Path directory, String library) {
        this.mode = mode;
        this.directory = directory;
        this.library = library;
    }

    /**
     * Runs the suite and writes the report.
     *
     * @param args the mode, the results directory, and optionally the native library's absolute path
     * @throws Exception if JMH cannot start or the results cannot be written
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: BenchSuite smoke|quick|full <results directory> [/abs/path/libkqueue.so]");
            System.exit(2);
        }
        String library = args.length > 2 && !args[2].isBlank() ? args[2] : null;
        Path directory = Path.of(args[1]);
        Files.createDirectories(directory);
        BenchSuite suite = new BenchSuite(SuiteMode.of(args[0]), directory, library);
        Machine.record(directory, args[0], library);
        suite.run();
        Machine.finish(directory);
        Files.write(directory.resolve(FAILURES), suite.failures);
        Files.write(directory.resolve(SKIPPED), suite.skipped);
        System.out.println(String.join(System.lineSeparator(), BenchReport.write(directory)));
        if (!suite.failures.isEmpty()) {
            System.err.println("BenchSuite: " + suite.failures.size() + " case(s) failed:");
            suite.failures.forEach(f -> System.err.println("  " + f));
            System.exit(1);
        }
    }

    private void run() throws RunnerException, IOException {
        if (library == null) {
            skip("native: no library given (scripts/bench.sh passes KQUEUE_NATIVE_LIBRARY=/absolute/path/to/libkqueue.so)");
        }
        boolean nativeTimers = library != null && hardDescriptorLimit() >= NATIVE_TIMER_DESCRIPTORS;
        if (library != null && !nativeTimers) {
            skip("native W3: libkqueue opens a timerfd per timer and the hard RLIMIT_NOFILE (" + hardDescriptorLimit()
                    + ") is below " + NATIVE_TIMER_DESCRIPTORS);
        }
        if (library != null) {
            skip(ProcExitBench.NATIVE_REFUSED);
        }
        String nativeVnodes = library == null ? null : FileChangeBench.nativeRefusal(Integer.parseInt(FileChangeBench.FILES));
        if (nativeVnodes != null) {
            skip(nativeVnodes);
        }
        for (int round = 1; round <= mode.rounds(); round++) {
            for (Case c : selected()) {
                run(c, round, c.backends(), "jvm");
                if (library == null || c.bench() == FileChangeBench.class && nativeVnodes != null) {
                    continue;
                }
                if (c.bench() == ProcExitBench.class) {
                    continue;
                }
                if (!c.singleShot() || nativeTimers) {
                    run(c, round, List.of(Backend.NATIVE), "native");
                }
            }
        }
    }

    private void run(Case c, int round, List<String> backends, String group) throws RunnerException {
        String name = c.bench().getSimpleName();
        Path result = directory.resolve("round" + round + "-" + name + "-" + group + ".json");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(Pattern.quote(c.bench().getName()) + "\\.")
                .param("backend", backends.toArray(String[]::new))
                .forks(1)
                .shouldFailOnError(false)
                .resultFormat(ResultFormatType.JSON)
                .result(result.toString());
        if (c.singleShot()) {
            options.warmupIterations(mode.timerWarmups()).measurementIterations(mode.timerIterations());
        } else {
            options.warmupIterations(mode.warmups()).warmupTime(TimeValue.milliseconds(mode.warmupMillis()))
                    .measurementIterations(mode.iterations())
                    .measurementTime(TimeValue.milliseconds(mode.iterationMillis()));
        }
        if (c.gc()) {
            options.addProfiler(GCProfiler.class);
        }
        if (group.equals("native")) {
            options.jvmArgsPrepend("-D" + Backend.LIBRARY_PROPERTY + "=" + library);
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        int expected = backends.size() * c.variants();
        if (results.size() < expected) {
            failures.add("round " + round + ": " + name + " " + backends + ": " + results.size() + " of " + expected
                    + " cases gave a result (JMH's output above says why)");
        }
    }

    /**
     * The cases of the workloads the environment variable {@code BENCH_WORKLOADS} names (e.g.
     * {@code W7,W8}), or every case when it is unset.
     */
    private static List<Case> selected() {
        String names = System.getenv("BENCH_WORKLOADS");
        if (names == null || names.isBlank()) {
            return CASES;
        }
        List<String> wanted = List.of(names.toUpperCase(Locale.ROOT).split("[,\\s]+"));
        List<Case> cases = CASES.stream().filter(c -> c.workloads().stream().anyMatch(wanted::contains)).toList();
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("BENCH_WORKLOADS=" + names + " names no workload (W1 ... W5, W7, W8)");
        }
        return cases;
    }

    private void skip(String why) {
        skipped.add(why);
        System.out.println("BenchSuite: skipped " + why);
    }

    /** The hard RLIMIT_NOFILE, from /proc/self/limits ("Max open files  soft  hard  files"). */
    private static long hardDescriptorLimit() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/limits"))) {
            String line = lines.filter(l -> l.startsWith("Max open files")).findFirst().orElse("");
            String[] words = line.substring("Max open files".length()).trim().split("\\s+");
            return words[1].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(words[1]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
