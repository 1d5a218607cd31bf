package io.github.kqueueffm.docs;

import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The test methods named after catalogue rows ({@code PR_15_pidOneOfAnotherUserCanBeWatched} is
 * row PR-15), found in the test sources of this module. Each source file names a class that is
 * loaded without being initialised; a method counts as a row's test if JUnit would run it (it
 * carries {@code @Test}, {@code @ParameterizedTest} or another {@link Testable} annotation), so a
 * row-like name in a comment or a helper does not.
 *
 * @param byRow     the tests of each row, in catalogue order of the rows
 * @param notTests  methods named after a row that JUnit would not run (a forgotten {@code @Test})
 */
record RowTests(Map<String, List<TestMethod>> byRow, List<TestMethod> notTests) {

    /**
     * One test method.
     *
     * @param source    the source file, relative to the repository root, with '/' separators
     * @param className the class name as written in Java ({@code Outer.Inner} for a nested class)
     * @param method    the method name
     */
    record TestMethod(String source, String className, String method) {
    }

    /** Finds the row tests of every class whose source is under {@code sourceRoot}. */
    static RowTests scan(Path repoRoot, Path sourceRoot) {
        Map<String, List<TestMethod>> byRow = new TreeMap<>(Rows.ORDER);
        List<TestMethod> notTests = new ArrayList<>();
        for (Path file : javaSources(sourceRoot)) {
            String relative = sourceRoot.relativize(file).toString().replace('\\', '/');
            String source = repoRoot.relativize(file).toString().replace('\\', '/');
            String name = relative.substring(0, relative.length() - ".java".length()).replace('/', '.');
            for (Class<?> c : withNested(load(name))) {
                String className = c.getName().substring(c.getPackageName().length() + 1).replace('$', '.');
                for (Method m : c.getDeclaredMethods()) {
                    String row = Rows.ofMethod(m.getName());
                    if (row == null) {
                        continue;
                    }
                    TestMethod t = new TestMethod(source, className, m.getName());
                    if (AnnotationSupport.isAnnotated(m, Testable.class)) {
                        byRow.computeIfAbsent(row, r -> new ArrayList<>()).add(t);
                    } else {
                        notTests.add(t);
                    }
                }
            }
        }
        Comparator<TestMethod> order = Comparator.comparing(TestMethod::source).thenComparing(TestMethod::method);
        byRow.values().forEach(list -> list.sort(order));
        notTests.sort(order);
        return new RowTests(byRow, notTests);
    }

    private static List<Path> javaSources(Path sourceRoot) {
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.getFileName().toString().equals("package-info.java"))
                    .filter(f -> !f.getFileName().toString().equals("module-info.java"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Class<?> load(String name) {
        try {
            // Not initialised: indexing must not run any test class's static set-up.
            return Class.forName(name, false, RowTests.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no compiled class for the source of " + name, e);
        }
    }

    private static List<Class<?>> withNested(Class<?> c) {
        List<Class<?>> all = new ArrayList<>();
        all.add(c);
        for (Class<?> nested : c.getDeclaredClasses()) {
            all.addAll(withNested(nested));
        }
        return all;
    }
}
