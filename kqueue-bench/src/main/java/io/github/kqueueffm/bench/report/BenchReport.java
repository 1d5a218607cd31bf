package io.github.kqueueffm.bench.report;

import io.github.kqueueffm.bench.Backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * Turns a results directory's JMH JSON into {@value #REPORT}: a markdown table of medians with
 * each time's ratio to raw epoll, a table of bytes allocated per operation, the machine, and one bar
 * chart per workload as PNG and SVG ({@link Charts}).
 *
 * <p>Usage: {@code BenchReport <results directory>} (run again to redraw from the same JSON).
 */
public final class BenchReport {
    /** The markdown file written into the results directory. */
    static final String REPORT = "report.md";
    /** The report's columns: the floor first, kqueue-ffm last. */
    static final List<String> BACKENDS = List.of(Backend.EPOLL, Backend.EPOLL_FIONREAD, Backend.NATIVE,
            Backend.NIO, Backend.NETTY, Backend.KQUEUE_FFM);

    private BenchReport() {
    }

    /**
     * Writes the report of a results directory.
     *
     * @param args the results directory
     * @throws IOException if it cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: BenchReport <results directory>");
            System.exit(2);
        }
        System.out.println(String.join(System.lineSeparator(), write(Path.of(args[0]))));
    }

    /**
     * Writes {@value #REPORT} and the charts into a results directory.
     *
     * @param directory the results directory
     * @return the report's lines
     * @throws IOException if it cannot be read or written
     */
    static List<String> write(Path directory) throws IOException {
        System.setProperty("java.awt.headless", "true");
        JmhResults results = JmhResults.read(directory);
        Properties machine = Machine.read(directory);
        String mode = machine.getProperty("mode", "unknown");
        List<String> charts = Charts.draw(directory, results, mode);
        List<String> md = new ArrayList<>();
        md.add("# kqueue-bench: " + mode + " run of " + machine.getProperty("date", "an unknown date"));
        md.add("");
        md.add(caveat(mode));
        md.add("");
        md.add("Machine: " + machine.getProperty("cpu", "?") + ", " + machine.getProperty("cpus", "?") + " CPUs; "
                + machine.getProperty("os", "?") + "; " + machine.getProperty("jdk", "?") + ". Load average (1, 5,"
                + " 15 min) " + machine.getProperty("loadBefore", "?") + " before, "
                + machine.getProperty("loadAfter", "?") + " after. native: "
                + machine.getProperty("native", "?") + ".");
        md.add("");
        md.add("Each cell is the median of every measured iteration of every round; in brackets, for times,"
                + " the ratio to raw epoll. `epoll+fionread` is the floor for the information kevent returns"
                + " (one FIONREAD per event); `native` is kqueue-ffm's passthrough to the library above. — means"
                + " the backend has no such case or it did not run.");
        md.add("");
        table(md, results, false);
        md.add("");
        md.add("Bytes allocated per operation (JMH `-prof gc`, `gc.alloc.rate.norm`):");
        md.add("");
        table(md, results, true);
        md.add("");
        charts.forEach(c -> md.add("![" + c + "](" + c + ".png) "));
        list(md, "Not run here:", lines(directory, BenchSuite.SKIPPED));
        list(md, "Cases that gave no result (see the run's output):", lines(directory, BenchSuite.FAILURES));
        Files.write(directory.resolve(REPORT), md);
        return md;
    }

    private static String caveat(String mode) {
        return switch (mode) {
            case "smoke" -> "**Smoke run, not a measurement**: one very short iteration per case, to show that"
                    + " every case runs; the numbers mean nothing.";
            case "quick" -> "**Quick run**: one round of short iterations; indicative only.";
            default -> "Full run: " + SuiteMode.FULL.rounds() + " interleaved rounds.";
        };
    }

    private static void table(List<String> md, JmhResults results, boolean allocation) {
        StringBuilder header = new StringBuilder("| workload |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String backend : BACKENDS) {
            header.append(backend.equals(Backend.KQUEUE_FFM) ? " **kqueue-ffm** |" : " " + backend + " |");
            rule.append("---|");
        }
        md.add(header.toString());
        md.add(rule.toString());
        for (Row row : Row.ALL) {
            if (row.isAllocation() != allocation
                    || BACKENDS.stream().noneMatch(b -> results.median(row.key(b)).isPresent())) {
                continue; // a run of some workloads only (BENCH_WORKLOADS) leaves out the others' rows
            }
            Optional<Double> floor = results.median(row.key(Backend.EPOLL));
            StringBuilder line = new StringBuilder("| " + row.label() + " |");
            for (String backend : BACKENDS) {
                Optional<Double> value = results.median(row.key(backend));
                String cell = value.map(BenchReport::number).orElse("—");
                if (value.isPresent() && row.ratio() && floor.isPresent() && floor.get() > 0) {
                    cell += String.format(Locale.ROOT, " (%.2f)", value.get() / floor.get());
                }
                line.append(' ').append(backend.equals(Backend.KQUEUE_FFM) && value.isPresent()
                        ? "**" + cell + "**" : cell).append(" |");
            }
            md.add(line.toString());
        }
    }

    /**
     * A value with three significant digits or more, thousands separated by a space.
     *
     * @param value the value
     * @return e.g. {@code 5 417}, {@code 72.3}, {@code 0.94}
     */
    static String number(double value) {
        double magnitude = Math.abs(value);
        String text = magnitude >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
                : magnitude >= 10 ? String.format(Locale.ROOT, "%.1f", value)
                : String.format(Locale.ROOT, "%.2f", value);
        return text.replace(',', ' ');
    }

    private static void list(List<String> md, String title, List<String> items) {
        if (!items.isEmpty()) {
            md.add("");
            md.add(title);
            md.add("");
            items.forEach(i -> md.add("- " + i));
        }
    }

    private static List<String> lines(Path directory, String name) throws IOException {
        Path file = directory.resolve(name);
        return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList() : List.of();
    }
}
