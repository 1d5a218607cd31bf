package io.github.kqueueffm.bench.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every measured value in a results directory: the JMH JSON files of all rounds, merged by
 * benchmark, parameters and metric. The primary metric is named {@value #SCORE}; secondary ones
 * keep JMH's names ({@code gc.alloc.rate.norm}, or a counter's field name).
 */
final class JmhResults {
    /** The name given to each benchmark's primary metric. */
    static final String SCORE = "score";

    /**
     * The key of one series of values.
     *
     * @param benchmark class and method, e.g. {@code PingPongBench.roundTrip}
     * @param params every parameter of the case, e.g. backend and idle
     * @param metric {@value #SCORE} or a secondary metric's name
     */
    record Key(String benchmark, Map<String, String> params, String metric) {
    }

    private final Map<Key, List<Double>> values = new LinkedHashMap<>();
    private final Map<Key, String> units = new LinkedHashMap<>();

    private JmhResults() {
    }

    /**
     * Reads every {@code *.json} file of a directory.
     *
     * @param directory the results directory
     * @return the merged values
     * @throws IOException if a file cannot be read
     */
    static JmhResults read(Path directory) throws IOException {
        JmhResults results = new JmhResults();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                try (Reader in = Files.newBufferedReader(file)) {
                    JsonElement root = JsonParser.parseReader(in);
                    if (root.isJsonArray()) {
                        root.getAsJsonArray().forEach(e -> results.add(e.getAsJsonObject()));
                    }
                }
            }
        }
        return results;
    }

    private void add(JsonObject run) {
        String[] name = run.get("benchmark").getAsString().split("\\.");
        String benchmark = name[name.length - 2] + "." + name[name.length - 1];
        Map<String, String> params = new TreeMap<>();
        if (run.has("params")) {
            run.getAsJsonObject("params").entrySet().forEach(e -> params.put(e.getKey(), e.getValue().getAsString()));
        }
        add(new Key(benchmark, params, SCORE), run.getAsJsonObject("primaryMetric"));
        if (run.has("secondaryMetrics")) {
            run.getAsJsonObject("secondaryMetrics").entrySet()
                    .forEach(e -> add(new Key(benchmark, params, e.getKey()), e.getValue().getAsJsonObject()));
        }
    }

    private void add(Key key, JsonObject metric) {
        units.put(key, metric.get("scoreUnit").getAsString());
        List<Double> list = values.computeIfAbsent(key, k -> new ArrayList<>());
        for (JsonElement fork : metric.getAsJsonArray("rawData")) {
            for (JsonElement value : (JsonArray) fork) {
                list.add(value.getAsDouble());
            }
        }
    }

    /**
     * The median of every measured iteration of every round.
     *
     * @param key what to look up
     * @return the median, or empty if that case has no result
     */
    Optional<Double> median(Key key) {
        List<Double> list = values.get(key);
        if (list == null || list.isEmpty()) {
            return Optional.empty();
        }
        double[] sorted = list.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return Optional.of(sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2);
    }

    /**
     * How many measured values a key has.
     *
     * @param key what to look up
     * @return 0 if none
     */
    int count(Key key) {
        return values.getOrDefault(key, List.of()).size();
    }

    /**
     * JMH's unit of a key.
     *
     * @param key what to look up
     * @return e.g. {@code ns/op}, or empty
     */
    Optional<String> unit(Key key) {
        return Optional.ofNullable(units.get(key));
    }
}
