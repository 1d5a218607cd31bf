package io.github.kqueueffm.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report from JMH JSON written as JMH writes it: medians, ratios to raw epoll, charts. */
class BenchReportTest {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path directory;

    /** One JMH result: W5 for a backend, with rawData of two forks and a gc secondary metric. */
    private static String churn(String backend, String iterations, String allocation) {
        return """
                {"benchmark": "io.github.kqueueffm.bench.ChurnBench.addThenDelete", "mode": "avgt",
                 "params": {"backend": "%s"},
                 "primaryMetric": {"score": 0, "scoreUnit": "ns/op", "rawData": %s},
                 "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 0, "scoreUnit": "B/op",
                                      "rawData": [[%s]]}}}
                """.formatted(backend, iterations, allocation);
    }

    @Test
    void mediansOfEveryIterationWithRatiosToRawEpoll() throws IOException {
        Files.writeString(directory.resolve("round1-ChurnBench-jvm.json"), "[" + churn("epoll", "[[700, 800], [900]]", "0")
                + "," + churn("kqueue-ffm", "[[1500, 1700], [1600, 9000]]", "312") + "]");
        Files.writeString(directory.resolve("machine.properties"), "mode=quick\n");

        BenchReport.write(directory);

        String report = Files.readString(directory.resolve("report.md"));
        assertTrue(report.contains("**Quick run**"), report);
        // epoll: median of 700, 800, 900; kqueue-ffm: of 1500, 1600, 1700, 9000 = 1650, 1650 / 800.
        assertTrue(report.contains("| W5 registration churn, EV_ADD then EV_DELETE of EVFILT_READ on one socket,"
                + " ns per pair | 800 (1.00) | — | — | — | — | **1 650 (2.06)** |"), report);
        assertTrue(report.contains("| W5 B per add + delete | 0.00 | — | — | — | — | **312** |"), report);
        assertTrue(report.contains("![W5](W5.png)"), report);
        assertTrue(!report.contains("![W1]"), "no chart without results: " + report);
        assertTrue(!report.contains("| W1 ping-pong"), "no row without results: " + report);
        byte[] png = Files.readAllBytes(directory.resolve("W5.png"));
        assertArrayEquals(PNG, java.util.Arrays.copyOf(png, 4));
        assertTrue(Files.readString(directory.resolve("W5.svg")).contains("<svg"));
    }

    @Test
    void numbersKeepThreeSignificantDigits() {
        assertEquals("5 417", BenchReport.number(5417.4));
        assertEquals("72.3", BenchReport.number(72.34));
        assertEquals("0.94", BenchReport.number(0.9449));
    }
}
