package io.github.kqueueffm.bindings.linux;

import io.github.kqueueffm.bindings.Arch;
import io.github.kqueueffm.bindings.ErrnoNames;
import io.github.kqueueffm.bindings.Os;
import io.github.kqueueffm.bindings.Target;
import io.github.kqueueffm.bindings.linux.GeneratedName.Kind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every name the hand-written layer asks the generated code for resolves in every architecture's
 * generated package, not only in the running one's: a name missing on aarch64 would otherwise be
 * found only on an aarch64 machine, as an initialisation failure.
 *
 * <p>The names come from the layer itself: {@link LinuxBindings} records each name it resolves,
 * and the layer resolves all of its names into static finals, so initialising its classes makes
 * them ask for every one. Two checks keep a name from getting past that record: each name written
 * as a literal in the hand-written sources must have been asked for during initialisation (a name
 * asked later, inside a method, would not be), and no hand-written class may reference a generated
 * class directly instead of by name.
 */
class GeneratedNamesTest {
    /** The hand-written classes that ask for generated names while they initialise. */
    private static final List<Class<?>> LAYER =
            List.of(LinuxCalls.class, LinuxConstants.class, LinuxStructs.class, ErrnoNames.class);
    /** Calls in hand-written sources whose first argument names generated code, by the kind they record. */
    private static final Map<String, Kind> ASKING_CALLS = Map.of(
            "constant", Kind.CONSTANT, "intConstant", Kind.INT_CONSTANT, "layout", Kind.LAYOUT, "size", Kind.LAYOUT,
            "offset", Kind.OFFSET, "downcall", Kind.FUNCTION, "variadicDowncall", Kind.VARIADIC_FUNCTION,
            "generated", Kind.TYPE);
    private static final Pattern ASKING_CALL =
            Pattern.compile("\\b(" + String.join("|", ASKING_CALLS.keySet()) + ")\\(\\s*\"([^\"]+)\"");
    private static final Path HAND_WRITTEN = Path.of("src/main/java/io/github/kqueueffm/bindings");

    private static Set<GeneratedName> asked;

    @BeforeAll
    static void initialiseTheLayer() throws ClassNotFoundException {
        assumeTrue(LinuxBindings.isAvailable(), "the layer initialises only where it has bindings");
        for (Class<?> c : LAYER) {
            Class.forName(c.getName(), true, c.getClassLoader());
        }
        asked = LinuxBindings.asked();
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void everyNameTheLayerAsksForResolvesInBothArchitectures(Arch arch) {
        GeneratedPackage generated = new GeneratedPackage(new Target(Os.LINUX, arch));
        assertTrue(asked.contains(GeneratedName.of(Kind.FUNCTION, "epoll_create1"))
                && asked.contains(GeneratedName.of(Kind.INT_CONSTANT, "EPOLLIN")), "nothing recorded: " + asked);
        List<String> unresolved = new ArrayList<>();
        for (GeneratedName name : sorted(asked)) {
            try {
                resolve(generated, name);
            } catch (RuntimeException | ReflectiveOperationException | LinkageError e) {
                unresolved.add(name + ": " + e);
            }
        }
        assertEquals(List.of(), unresolved, asked.size() + " names asked for; these do not resolve in "
                + generated.target().packageName());
    }

    @Test
    void everyLiteralNameInTheLayerIsAskedForWhileItInitialises() throws IOException {
        List<GeneratedName> written = new ArrayList<>();
        for (Path source : handWrittenSources()) {
            Matcher call = ASKING_CALL.matcher(Files.readString(source));
            while (call.find()) {
                written.add(GeneratedName.of(ASKING_CALLS.get(call.group(1)), call.group(2)));
            }
        }
        // Guards the scan itself: LinuxConstants alone names some 250 constants.
        assertTrue(written.size() > 300, "the source scan found only " + written.size() + " names");
        Set<GeneratedName> askedWithoutPaths = asked.stream()
                .map(n -> GeneratedName.of(n.kind(), n.name())).collect(Collectors.toSet());
        List<GeneratedName> notAsked = written.stream().filter(n -> !askedWithoutPaths.contains(n)).toList();
        assertEquals(List.of(), notAsked, "named in the hand-written sources but not asked for while the layer"
                + " initialises, so never checked against both architectures: resolve them into static finals");
    }

    @Test
    void noHandWrittenClassReferencesAGeneratedClassDirectly() throws Exception {
        Path classes = Path.of(LinuxBindings.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> handWritten = new ArrayList<>();
        for (String pkg : List.of("io/github/kqueueffm/bindings", "io/github/kqueueffm/bindings/linux")) {
            try (Stream<Path> files = Files.list(classes.resolve(pkg))) {
                files.filter(f -> f.toString().endsWith(".class")).forEach(handWritten::add);
            }
        }
        assertTrue(handWritten.size() >= LAYER.size(), "hand-written classes not found in " + classes);
        List<String> references = new ArrayList<>();
        for (Path file : handWritten) {
            // A class reference is stored in the constant pool as its internal name.
            String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (Arch arch : Arch.values()) {
                if (bytes.contains("io/github/kqueueffm/bindings/" + generatedDirectory(arch) + "/")) {
                    references.add(file.getFileName() + " -> " + arch);
                }
            }
        }
        assertEquals(List.of(), references, "hand-written classes must reach generated code by name only");
    }

    private static void resolve(GeneratedPackage generated, GeneratedName name) throws ReflectiveOperationException {
        String n = name.name();
        // A switch expression, so that a new kind of name does not compile until it is checked here.
        Object resolved = switch (name.kind()) {
            case CONSTANT -> value(generated.constant(n));
            case INT_CONSTANT -> Math.toIntExact(value(generated.constant(n)));
            case LAYOUT -> layout(generated, n).byteSize();
            case OFFSET -> layout(generated, n).byteOffset(
                    name.path().stream().map(PathElement::groupElement).toArray(PathElement[]::new));
            case FUNCTION -> List.of(generated.address(n), generated.descriptor(n));
            case VARIADIC_FUNCTION -> List.of(generated.variadicAddress(n), generated.variadicInvoker(n),
                    generated.variadicDescriptor(n));
            case TYPE -> generated.type(n);
        };
        assertTrue(resolved != null, name.toString());
    }

    /** Constants and layouts are plain Java values in the generated code: safe to read for any architecture. */
    private static long value(Method constant) throws ReflectiveOperationException {
        return ((Number) constant.invoke(null)).longValue();
    }

    private static GroupLayout layout(GeneratedPackage generated, String type) throws ReflectiveOperationException {
        return (GroupLayout) generated.layout(type).invoke(null);
    }

    private static List<GeneratedName> sorted(Set<GeneratedName> names) {
        return names.stream().sorted(Comparator.comparing(GeneratedName::toString)).toList();
    }

    /** @return e.g. {@code linux/x86_64} */
    private static String generatedDirectory(Arch arch) {
        return new Target(Os.LINUX, arch).packageName().replace('.', '/');
    }

    private static List<Path> handWrittenSources() throws IOException {
        try (Stream<Path> files = Files.walk(HAND_WRITTEN)) {
            List<Path> sources = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> Stream.of(Arch.values())
                            .noneMatch(arch -> f.getParent().endsWith(Path.of(generatedDirectory(arch)))))
                    .toList();
            assertTrue(sources.size() >= LAYER.size(), "hand-written sources not found under " + HAND_WRITTEN);
            return sources;
        }
    }
}
