package io.github.kqueueffm.bench.report;

import io.github.kqueueffm.bench.Backend;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One bar chart per workload, drawn with XChart as {@code W1.png} and {@code W1.svg} ...: the
 * backends along the axis in the report's column order, one series per charted {@link Row} of the
 * workload, each bar the backend's median over raw epoll's (1 is the floor; the targets of the
 * issue are such ratios). The legend gives raw epoll's median in the row's unit, so that series of
 * very different sizes (W4 on one CPU and on two) share one axis. A chart of a smoke or quick run
 * says so in its title.
 */
final class Charts {
    private static final Map<String, String> TITLES = Map.of(
            "W1", "W1 ping-pong over a socketpair",
            "W2", "W2 ping-pong among 19 000 idle descriptors",
            "W3", "W3 100 000 one-shot timers",
            "W4", "W4 cross-thread wake-up, threads pinned",
            "W5", "W5 registration churn on one socket",
            "W7", "W7 exits of 1 000 children",
            "W8", "W8 file changes among 1 000 watched files");

    private Charts() {
    }

    /**
     * Draws every workload that has results.
     *
     * @param directory where the files go
     * @param results the medians
     * @param mode the run's mode, for the title
     * @return the names drawn, e.g. {@code W1}
     * @throws IOException if a file cannot be written
     */
    static List<String> draw(Path directory, JmhResults results, String mode) throws IOException {
        Map<String, List<Row>> byWorkload = new LinkedHashMap<>();
        Row.ALL.stream().filter(r -> r.series() != null)
                .forEach(r -> byWorkload.computeIfAbsent(r.workload(), w -> new ArrayList<>()).add(r));
        List<String> drawn = new ArrayList<>();
        for (Map.Entry<String, List<Row>> workload : byWorkload.entrySet()) {
            List<Row> rows = workload.getValue();
            // Only backends with a value in every series: XChart's series share one category axis.
            List<String> backends = BenchReport.BACKENDS.stream()
                    .filter(b -> rows.stream().allMatch(r -> results.median(r.key(b)).isPresent())).toList();
            if (!backends.contains(Backend.EPOLL)) {
                continue;
            }
            CategoryChart chart = chart(workload.getKey(), mode);
            for (Row row : rows) {
                double floor = results.median(row.key(Backend.EPOLL)).orElseThrow();
                List<Double> ratios = backends.stream()
                        .map(b -> results.median(row.key(b)).orElseThrow() / floor).toList();
                chart.addSeries(row.series() + " (raw epoll " + BenchReport.number(floor) + " " + row.unit() + ")",
                        backends, ratios);
            }
            String file = directory.resolve(workload.getKey()).toString();
            BitmapEncoder.saveBitmap(chart, file, BitmapEncoder.BitmapFormat.PNG);
            VectorGraphicsEncoder.saveVectorGraphic(chart, file, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            drawn.add(workload.getKey());
        }
        return drawn;
    }

    private static CategoryChart chart(String workload, String mode) {
        String suffix = switch (mode) {
            case "smoke" -> " (smoke run, not a measurement)";
            case "quick" -> " (quick run, indicative only)";
            default -> "";
        };
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title(Optional.ofNullable(TITLES.get(workload)).orElse(workload) + suffix)
                .xAxisTitle("backend (medians; lower is better)").yAxisTitle("time / raw epoll's time").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setDecimalPattern("0.00");
        return chart;
    }
}
