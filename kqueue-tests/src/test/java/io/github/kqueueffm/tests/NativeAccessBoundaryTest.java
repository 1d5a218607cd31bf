package io.github.kqueueffm.tests;

import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.bindings.Target;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's promise "grant native access to one module" holds on the module path: an
 * application module {@code evil} with no grant of its own, run with
 * {@code --illegal-native-access=deny} and native access granted to
 * {@code io.github.kqueueffm.bindings} only, cannot reach a downcall through kqueue-ffm's modules,
 * and the same JVM setup still runs a kqueue.
 *
 * <p>{@code evil}'s sources are test resources ({@code modulepath/}); this test compiles them with
 * {@code javax.tools} against the built modules (the jars of {@code mvn verify}, or the
 * {@code target/classes} directories of a reactor run that stops before {@code package}), found
 * where this JVM loaded {@link KQueue} and {@link Target} from. This JVM runs on the class path,
 * where module exports do not apply; the child JVM runs on the module path, where they do.
 */
class NativeAccessBoundaryTest {
    private static final String BINDINGS_LINUX = "io.github.kqueueffm.bindings.linux";
    private static String modulePath;

    @TempDir
    Path dir;

    @BeforeAll
    static void locateModules() {
        Path library = codeSource(KQueue.class);
        Path bindings = codeSource(Target.class);
        for (Path module : List.of(library, bindings)) {
            assumeTrue(module != null && isModule(module), "the built module holding " + (module == library
                    ? KQueue.class : Target.class) + " was not found as a jar or directory with module-info.class"
                    + " (loaded from " + module + "); this test needs kqueue-ffm and kqueue-bindings built");
        }
        modulePath = library + File.pathSeparator + bindings;
    }

    @Test
    void namingTheBindingsDoesNotCompile() throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assumeTrue(javac != null, "this JVM has no system Java compiler (javax.tools)");
        Compilation result = compile(javac, "evil-direct");
        assertFalse(result.succeeded(), "evil compiled against the bindings:\n" + result.messages());
        // Both imports are refused for the same reason: the package is not exported to evil.
        assertTrue(result.messages().contains("package " + BINDINGS_LINUX + " is declared in module "
                + "io.github.kqueueffm.bindings, which does not export it to module evil"), result.messages());
    }

    @Test
    void reflectionCannotReachADowncallAndKqueueStillWorks() throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assumeTrue(javac != null, "this JVM has no system Java compiler (javax.tools)");
        assumeTrue(Runtime.version().feature() >= 24, "--illegal-native-access=deny needs JDK 24 or newer");
        Compilation compiled = compile(javac, "evil");
        assertTrue(compiled.succeeded(), compiled.messages());

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--illegal-native-access=deny",
                "--enable-native-access=io.github.kqueueffm.bindings",
                "--module-path", compiled.output() + File.pathSeparator + modulePath,
                "--module", "evil/evil.Main")
                .redirectErrorStream(true).start();
        child.getOutputStream().close();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish:\n" + output);
        assertEquals(0, child.exitValue(), output);
        Map<String, String> outcome = outcomes(output);

        assertEquals("IllegalCallerException", outcome.get("own-downcall"),
                "the control: evil's own downcall must be denied, or the setup proves nothing\n" + output);
        for (String attempt : List.of("reflect-downcall", "reflect-getpid", "reflect-read", "public-lookup",
                "private-lookup")) {
            assertEquals("IllegalAccessException", outcome.get(attempt), attempt + "\n" + output);
        }
        assertEquals("InaccessibleObjectException", outcome.get("set-accessible"), output);
        assertEquals("IllegalCallerException", outcome.get("add-exports"), output);
        assertEquals("OK", outcome.get("kqueue"), output);
        assertFalse(output.contains("WARNING"), "no native-access warning either:\n" + output);
    }

    private record Compilation(boolean succeeded, Path output, String messages) {
    }

    /** Compiles one module from {@code modulepath/<name>} against the built modules. */
    private Compilation compile(JavaCompiler javac, String name) throws IOException {
        Path sources = copySources(name);
        Path out = Files.createDirectories(dir.resolve(name + "-classes"));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(null, fileManager, diagnostics,
                    // An empty class path: javac would otherwise search this JVM's, where the
                    // bindings sit in the unnamed module, exported to everyone.
                    List.of("-d", out.toString(), "--module-path", modulePath, "--class-path",
                            Files.createDirectories(dir.resolve("empty")).toString(), "-proc:none"), null,
                    fileManager.getJavaFileObjectsFromPaths(files)).call();
            String messages = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> d.getMessage(null)).collect(Collectors.joining("\n"));
            return new Compilation(ok, out, messages);
        }
    }

    /** Copies the resources {@code modulepath/<name>/...} that exist into a source tree. */
    private Path copySources(String name) throws IOException {
        Path target = Files.createDirectories(dir.resolve(name + "-src"));
        for (String file : List.of("module-info.java", "evil/Main.java", "evil/Direct.java")) {
            try (InputStream in = NativeAccessBoundaryTest.class.getResourceAsStream(
                    "/modulepath/" + name + "/" + file)) {
                if (in != null) {
                    Path copy = target.resolve(file);
                    Files.createDirectories(copy.getParent());
                    Files.copy(in, copy);
                }
            }
        }
        return target;
    }

    private static Map<String, String> outcomes(String output) {
        Map<String, String> outcome = new LinkedHashMap<>();
        for (String line : output.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.contains(" ")) {
                outcome.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return outcome;
    }

    private static Path codeSource(Class<?> type) {
        try {
            var source = type.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static boolean isModule(Path location) {
        if (Files.isDirectory(location)) {
            return Files.isRegularFile(location.resolve("module-info.class"));
        }
        try (var jar = new java.util.jar.JarFile(location.toFile())) {
            return jar.getEntry("module-info.class") != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
