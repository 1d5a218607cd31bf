package io.github.kqueueffm.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the index and its inputs are. Tests run in the kqueue-tests module directory, so the
 * repository root is the nearest directory above it that holds BEHAVIOUR.md. The catalogue is not
 * in the repository: by convention it is checked out beside the clone ({@code ../shared}); the
 * system property {@code conformance.catalogue} names another path.
 *
 * @param root the repository root
 */
record RepoFiles(Path root) {

    /** The files of the repository the tests run in. */
    static RepoFiles locate() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("BEHAVIOUR.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no BEHAVIOUR.md above " + Path.of("").toAbsolutePath());
        }
        return new RepoFiles(dir);
    }

    /** The generated index, docs/conformance.md. */
    Path index() {
        return root.resolve("docs").resolve("conformance.md");
    }

    /** BEHAVIOUR.md. */
    Path behaviour() {
        return root.resolve("BEHAVIOUR.md");
    }

    /** The test sources of kqueue-tests, where the row tests are. */
    Path testSources() {
        return root.resolve("kqueue-tests").resolve("src").resolve("test").resolve("java");
    }

    /** The catalogue outside the repository; it may not exist. */
    Path catalogue() {
        String override = System.getProperty("conformance.catalogue");
        return override != null ? Path.of(override) : root.resolveSibling("shared").resolve("CONFORMANCE.md");
    }

    /** The text of {@code file}. */
    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
