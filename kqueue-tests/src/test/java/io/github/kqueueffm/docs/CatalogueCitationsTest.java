package io.github.kqueueffm.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every citation of the conformance catalogue in the repository's sources and documents resolves
 * inside the repository: a section is cited as a link into docs/conformance.md (in Markdown
 * {@code [§3.3](docs/conformance.md#s3.3)}, in Java comments {@code docs/conformance.md#s3.3}),
 * never as a bare "§3.3" or by the catalogue's file name; every such link names an anchor the index
 * has; every row ID mentioned is a row the index lists.
 */
class CatalogueCitationsTest {

    /** The index's own sources: they have to name the catalogue and its section sign. */
    private static final String INDEX_SOURCES = "kqueue-tests/src/test/java/io/github/kqueueffm/docs/";

    private static final Set<String> SCANNED = Set.of(".java", ".md", ".xml", ".sh", ".properties", ".txt");

    /** A Markdown link whose text is a section citation and whose target is the index. */
    private static final Pattern LINKED_CITATION =
            Pattern.compile("\\[§[^\\]]*\\]\\((?:[^)\\s]*/)?conformance\\.md#[^)\\s]+\\)");

    /** A section sign, or the catalogue's file name other than where its checkout is described. */
    private static final Pattern BARE = Pattern.compile("§|(?<!\\.\\./shared/)CONFORMANCE\\.md");

    private static final Pattern INDEX_LINK = Pattern.compile("conformance\\.md#([A-Za-z0-9_.-]+)");

    private static final Pattern ANCHOR = Pattern.compile("<a id=\"([^\"]+)\"></a>");

    private static final Pattern LOCAL_LINK = Pattern.compile("\\]\\(#([^)]+)\\)");

    private static final RepoFiles FILES = RepoFiles.locate();

    @Test
    void noBareCitations() {
        List<String> bare = new ArrayList<>();
        for (Path file : scanned()) {
            String path = relative(file);
            if (path.startsWith(INDEX_SOURCES)) {
                continue;
            }
            List<String> lines = RepoFiles.read(file).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                String rest = LINKED_CITATION.matcher(lines.get(i)).replaceAll("");
                if (BARE.matcher(rest).find()) {
                    bare.add(path + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertEquals("", String.join("\n", bare),
                "catalogue citations that do not resolve in the repository: link docs/conformance.md#<anchor> instead");
    }

    @Test
    void everyIndexLinkNamesAnAnchorOfTheIndex() {
        String index = RepoFiles.read(FILES.index());
        Set<String> anchors = matches(ANCHOR, index).collect(Collectors.toSet());
        List<String> broken = new ArrayList<>();
        matches(LOCAL_LINK, index).filter(a -> !anchors.contains(a))
                .forEach(a -> broken.add("docs/conformance.md: #" + a));
        for (Path file : scanned()) {
            matches(INDEX_LINK, RepoFiles.read(file))
                    .map(a -> a.endsWith(".") ? a.substring(0, a.length() - 1) : a)
                    .filter(a -> !anchors.contains(a))
                    .forEach(a -> broken.add(relative(file) + ": #" + a));
        }
        assertEquals(List.of(), broken, "links into docs/conformance.md whose anchor it does not have");
        assertTrue(anchors.size() > 300, "anchors in docs/conformance.md: " + anchors.size());
    }

    @Test
    void everyRowMentionedIsListedInTheIndex() {
        Set<String> rows = Set.copyOf(Rows.fromIndex(RepoFiles.read(FILES.index())));
        List<String> unknown = new ArrayList<>();
        for (Path file : scanned()) {
            String name = file.getFileName().toString();
            if (name.endsWith(".java") || name.endsWith(".md")) {
                Rows.mentioned(RepoFiles.read(file)).stream().filter(r -> !rows.contains(r))
                        .forEach(r -> unknown.add(relative(file) + ": " + r));
            }
        }
        assertEquals(List.of(), unknown, "row IDs that docs/conformance.md does not list");
    }

    /** The repository's text files, but not build output, version control or the generated index. */
    private static List<Path> scanned() {
        try (Stream<Path> files = Files.walk(FILES.root())) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> SCANNED.stream().anyMatch(f.getFileName().toString()::endsWith))
                    .filter(f -> !f.equals(FILES.index()))
                    .filter(f -> {
                        String path = relative(f);
                        return !path.startsWith(".") && !path.contains("/.") && !path.matches("(.*/)?target/.*");
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String relative(Path file) {
        return FILES.root().relativize(file).toString().replace('\\', '/');
    }

    private static Stream<String> matches(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found.stream();
    }
}
