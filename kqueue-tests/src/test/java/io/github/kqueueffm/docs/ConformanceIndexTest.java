package io.github.kqueueffm.docs;

import io.github.kqueueffm.docs.BehaviourEntries.Entry;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Keeps docs/conformance.md, the index the catalogue citations resolve to, in step with the row
 * tests and BEHAVIOUR.md, and checks the three against each other: every row has a test, every
 * test names a row, every row BEHAVIOUR.md names exists. With {@code -Dconformance.index.write=true}
 * it rewrites the index instead of failing when it is stale (the command is
 * {@link ConformanceIndex#REGENERATE}).
 *
 * <p>The catalogue is not in the repository, so the committed index carries the row list the
 * checks need; where the catalogue is present (beside the clone, see {@link RepoFiles#catalogue()})
 * its rows and sections must be the index's, and a regeneration takes the rows from it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConformanceIndexTest {

    /**
     * Rows of the catalogue that have no test yet, with the issue that will write it. Any other row
     * without a test fails {@link #everyRowHasATest()}; a row here that got its test must leave.
     */
    static final Map<String, String> NO_TEST_YET = Map.of();

    private static final RepoFiles FILES = RepoFiles.locate();

    private static final boolean WRITE = Boolean.getBoolean("conformance.index.write");

    /** Runs first, so that the other checks read the index this run wrote. */
    @Test
    @Order(1)
    void indexIsUpToDate() throws IOException {
        String generated = new ConformanceIndex(rows(), tests(), entries(), NO_TEST_YET).render();
        Path file = FILES.index();
        if (WRITE) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, generated);
            System.out.println("wrote " + file);
            return;
        }
        String committed = RepoFiles.read(file);
        if (!committed.equals(generated)) {
            fail("docs/conformance.md is stale. Regenerate it with\n    " + ConformanceIndex.REGENERATE
                    + "\nand commit it. Changes (line numbers of the committed file):\n"
                    + LineDiff.of(committed, generated, 40));
        }
    }

    @Test
    void everyRowHasATest() {
        Set<String> tested = tests().byRow().keySet();
        List<String> rows = rows();
        List<String> missing = rows.stream()
                .filter(r -> !tested.contains(r) && !NO_TEST_YET.containsKey(r)).toList();
        assertEquals(List.of(), missing, "rows without a test (a method named after the row ID, e.g. RD_07_...)");
        List<String> stale = NO_TEST_YET.keySet().stream().sorted(Rows.ORDER)
                .filter(r -> tested.contains(r) || !rows.contains(r)).toList();
        assertEquals(List.of(), stale, "NO_TEST_YET lists rows that have a test now or are not in the catalogue");
    }

    @Test
    void everyRowTestNamesACatalogueRow() {
        RowTests tests = tests();
        List<String> rows = rows();
        List<String> unknown = new ArrayList<>();
        tests.byRow().forEach((row, methods) -> {
            if (!rows.contains(row)) {
                methods.forEach(m -> unknown.add(m.className() + "." + m.method()));
            }
        });
        assertEquals(List.of(), unknown, "tests named after a row the catalogue does not have");
        assertEquals(List.of(), tests.notTests().stream().map(m -> m.className() + "." + m.method()).toList(),
                "methods named after a row that JUnit does not run (no @Test?)");
    }

    @Test
    void behaviourNamesOnlyCatalogueRows() {
        List<String> rows = rows();
        List<String> unknown = new ArrayList<>();
        for (Entry e : entries()) {
            e.rows().stream().filter(r -> !rows.contains(r)).sorted(Rows.ORDER)
                    .forEach(r -> unknown.add(r + " in " + e.label()));
        }
        assertEquals(List.of(), unknown, "BEHAVIOUR.md names rows the catalogue does not have");
        assertTrue(entries().size() > 20, "BEHAVIOUR.md entries found: " + entries().size());
    }

    @Test
    void indexAgreesWithTheCatalogue() {
        Path catalogue = FILES.catalogue();
        assumeTrue(Files.isRegularFile(catalogue), "the catalogue is not at " + catalogue + "; checked where it is");
        String text = RepoFiles.read(catalogue);
        assertEquals(Rows.fromCatalogue(text), Rows.fromIndex(RepoFiles.read(FILES.index())),
                "the catalogue's rows differ from docs/conformance.md's; regenerate it with\n    "
                        + ConformanceIndex.REGENERATE);
        assertEquals(new TreeSet<>(CatalogueSections.keysOf(text)), new TreeSet<>(CatalogueSections.keys()),
                "the catalogue's sections differ from CatalogueSections: summarise each new section there");
    }

    /** The catalogue's rows: from the catalogue when a regeneration can read it, else from the index. */
    private static List<String> rows() {
        if (WRITE && Files.isRegularFile(FILES.catalogue())) {
            return Rows.fromCatalogue(RepoFiles.read(FILES.catalogue()));
        }
        if (!Files.isRegularFile(FILES.index())) {
            fail(FILES.index() + " is missing; generate it, with the catalogue at " + FILES.catalogue()
                    + ", by\n    " + ConformanceIndex.REGENERATE);
        }
        List<String> rows = Rows.fromIndex(RepoFiles.read(FILES.index()));
        assertTrue(rows.size() > 300, "rows listed in docs/conformance.md: " + rows.size());
        return rows;
    }

    private static RowTests tests() {
        return RowTests.scan(FILES.root(), FILES.testSources());
    }

    private static List<Entry> entries() {
        return BehaviourEntries.parse(RepoFiles.read(FILES.behaviour()));
    }
}
