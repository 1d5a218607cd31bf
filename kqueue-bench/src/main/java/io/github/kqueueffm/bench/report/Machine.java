package io.github.kqueueffm.bench.report;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * What the results were measured on, kept beside them in {@value #FILE}: the report states it. The
 * load averages before and after say whether others were using the machine meanwhile.
 */
final class Machine {
    /** The file in a results directory. */
    static final String FILE = "machine.properties";

    private Machine() {
    }

    /**
     * Describes this machine and the run's mode into {@code directory}.
     *
     * @param directory the results directory
     * @param mode the mode's name
     * @param library the native library given, or null
     * @throws IOException if the file cannot be written
     */
    static void record(Path directory, String mode, String library) throws IOException {
        Properties p = new Properties();
        p.setProperty("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        p.setProperty("mode", mode);
        p.setProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        p.setProperty("cpu", cpuModel().orElse("unknown CPU"));
        p.setProperty("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        p.setProperty("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        p.setProperty("native", library == null ? "not run (no library given)" : library);
        p.setProperty("loadBefore", loadAverage());
        write(directory, p);
    }

    /**
     * Adds the load average at the end of the run.
     *
     * @param directory the results directory
     * @throws IOException if the file cannot be read or written
     */
    static void finish(Path directory) throws IOException {
        Properties p = read(directory);
        p.setProperty("loadAfter", loadAverage());
        write(directory, p);
    }

    /**
     * The description of a results directory.
     *
     * @param directory the results directory
     * @return its properties, empty if it has none
     * @throws IOException if the file cannot be read
     */
    static Properties read(Path directory) throws IOException {
        Properties p = new Properties();
        Path file = directory.resolve(FILE);
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                p.load(in);
            }
        }
        return p;
    }

    private static void write(Path directory, Properties p) throws IOException {
        try (Writer out = Files.newBufferedWriter(directory.resolve(FILE))) {
            p.store(out, "kqueue-bench run");
        }
    }

    private static Optional<String> cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String loadAverage() {
        try {
            String[] words = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return words[0] + " " + words[1] + " " + words[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
