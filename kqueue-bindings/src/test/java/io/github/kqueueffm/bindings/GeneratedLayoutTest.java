package io.github.kqueueffm.bindings;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every struct layout jextract generated, for every architecture, against what gcc (and its
 * aarch64 cross compiler) reported for the same headers: the table regenerate.sh committed in
 * src/test/resources/layouts. Needs neither jextract nor a compiler.
 */
class GeneratedLayoutTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void everyMeasuredSizeAndOffsetMatchesTheGeneratedLayout(Arch arch) throws Exception {
        List<String> mismatches = new ArrayList<>();
        List<String[]> rows = table(arch);
        assertTrue(rows.size() > 100, "layout table too small: " + rows.size());
        for (String[] row : rows) {
            String type = row[0];
            String field = row[1];
            long expected = Long.parseLong(row[2]);
            GroupLayout layout = generatedLayout(arch, type);
            long actual = field.equals("sizeof")
                    ? layout.byteSize()
                    : layout.byteOffset(Arrays.stream(field.split("\\.")).map(PathElement::groupElement)
                            .toArray(PathElement[]::new));
            if (actual != expected) {
                mismatches.add(type + " " + field + ": gcc " + expected + ", jextract " + actual);
            }
        }
        assertEquals(List.of(), mismatches, "linux-" + arch.packageName() + " layouts differ");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void epollEventIsPackedOnlyOnX86_64(Arch arch) throws Exception {
        long expected = arch == Arch.X86_64 ? 12 : 16;
        assertEquals(expected, generatedLayout(arch, "epoll_event").byteSize());
    }

    static GroupLayout generatedLayout(Arch arch, String type) throws ReflectiveOperationException {
        Class<?> generated = Class.forName("io.github.kqueueffm.bindings.linux." + arch.packageName() + "." + type);
        return (GroupLayout) generated.getMethod("layout").invoke(null);
    }

    static List<String[]> table(Arch arch) throws IOException {
        String name = "/layouts/linux-" + arch.packageName() + ".txt";
        try (InputStream in = GeneratedLayoutTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            List<String[]> rows = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] row = line.trim().split("\\s+");
                    assertEquals(3, row.length, line);
                    rows.add(row);
                }
            }
            return rows;
        }
    }
}
