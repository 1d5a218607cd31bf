package io.github.kqueueffm.bindings.linux;

import io.github.kqueueffm.bindings.Arch;
import io.github.kqueueffm.bindings.ErrnoCapture;
import io.github.kqueueffm.bindings.Os;
import io.github.kqueueffm.bindings.Target;
import io.github.kqueueffm.bindings.linux.GeneratedName.Kind;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Resolves the jextract-generated Linux bindings of the running target (OS and architecture) by
 * name: constants, struct layouts and functions. This is the one place that picks between
 * {@code io.github.kqueueffm.bindings.linux.x86_64} and {@code ...linux.aarch64}; everything else
 * takes its values from here once, into {@code static final} fields the JIT folds. The hand-written
 * classes of this module ask for their names while those fields initialise, never later inside a
 * method: this class records every name it resolves, and the name-resolution test
 * ({@code GeneratedNamesTest}) checks each recorded name against both architectures' packages.
 *
 * <p>On another OS or architecture this class still initialises, {@link #isAvailable()} answers
 * {@code false}, and every method that needs the generated code throws
 * {@link UnsupportedOperationException} naming {@code os.name} and {@code os.arch}. (The classes
 * that read their constants from here in their initialisers, {@link LinuxCalls},
 * {@link LinuxConstants} and {@link LinuxStructs}, fail there with that exception as the cause.)
 *
 * <p>Functions are re-linked with errno capture: jextract's own handles do not capture errno, so
 * this class builds handles from the generated address and descriptor plus
 * {@link ErrnoCapture#option()}. Such a handle takes the capture segment
 * ({@link ErrnoCapture#state()}) as its first argument.
 */
public final class LinuxBindings {
    /** This JVM's target if it has generated Linux bindings; decided without throwing. */
    private static final Optional<Target> TARGET = Target.current().filter(t -> t.os() == Os.LINUX);
    /** The generated package of {@link #TARGET}, or null; constructing one touches no generated class. */
    private static final GeneratedPackage PACKAGE = TARGET.map(GeneratedPackage::new).orElse(null);
    /** Every name resolved so far, for the name-resolution test; bounded by the generated names. */
    private static final Set<GeneratedName> ASKED = ConcurrentHashMap.newKeySet();

    private LinuxBindings() {
    }

    /**
     * Whether this JVM runs on a target with generated Linux bindings, asked without throwing.
     *
     * @return true on Linux x86_64 and Linux aarch64
     */
    public static boolean isAvailable() {
        return PACKAGE != null;
    }

    /**
     * The target whose generated bindings are in use.
     *
     * @return Linux and the running JVM's architecture
     * @throws UnsupportedOperationException naming {@code os.name} and {@code os.arch} when
     *         {@link #isAvailable()} is false
     */
    public static Target target() {
        return running().target();
    }

    /**
     * The architecture whose generated bindings are in use.
     *
     * @return the running JVM's architecture
     * @throws UnsupportedOperationException naming {@code os.name} and {@code os.arch} when
     *         {@link #isAvailable()} is false
     */
    public static Arch arch() {
        return target().arch();
    }

    /**
     * A generated class of the running target.
     *
     * @param simpleName the class name as jextract wrote it, e.g. {@code epoll_event}
     * @return the class (initialised on first use, as any class)
     * @throws IllegalStateException if jextract generated no such class
     * @throws UnsupportedOperationException when {@link #isAvailable()} is false
     */
    public static Class<?> generated(String simpleName) {
        return asked(Kind.TYPE, simpleName, running().type(simpleName));
    }

    /**
     * A generated integer constant (a macro or enum constant of the Linux headers).
     *
     * @param name the C name, e.g. {@code EPOLLIN}
     * @return its value on the running target
     * @throws IllegalStateException if jextract generated no such constant
     * @throws UnsupportedOperationException when {@link #isAvailable()} is false
     */
    public static long constant(String name) {
        return asked(Kind.CONSTANT, name, constantValue(name));
    }

    /**
     * A generated integer constant that fits an {@code int}.
     *
     * @param name the C name
     * @return its value on the running target
     * @throws IllegalStateException if jextract generated no such constant
     * @throws UnsupportedOperationException when {@link #isAvailable()} is false
     */
    public static int intConstant(String name) {
        return asked(Kind.INT_CONSTANT, name, Math.toIntExact(constantValue(name)));
    }

    /**
     * Every errno constant of {@code <errno.h>}, by name: the constants jextract generated into
     * the header class {@code LinuxErrno}.
     *
     * @return name to number, sorted by name
     * @throws UnsupportedOperationException when {@link #isAvailable()} is false
     */
    public static Map<String, Integer> errnoConstants() {
        Map<String, Integer> names = new TreeMap<>();
        Stream.of(running().type(GeneratedPackage.ERRNO_HEADER).getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())
                        && m.getParameterCount() == 0 && m.getReturnType() == int.class)
                .forEach(m -> names.put(m.getName(), (Integer) invoke(m, null)));
        return asked(Kind.TYPE, GeneratedPackage.ERRNO_HEADER, names);
    }

    /**
     * The layout jextract generated for a struct, union or typedef.
     *
     * @param type the generated class name, e.g. {@code epoll_event} or {@code siginfo_t}
     * @return its layout on the running target
     * @throws IllegalStateException if jextract generated no such type
     * @throws UnsupportedOperationException when {@link #isAvailable()} is false
     */
    public static GroupLayout layout(String type) {
        return asked(Kind.LAYOUT, type, (GroupLayout) invoke(running().layout(type), null));
    }

    /**
     * The size of a generated struct, union or typedef.
     *
     * @param type the generated class name
     * @return {@code sizeof} on the running target
     * @throws IllegalStateException if jextract generated no such type
     * @throws UnsupportedOperationException when {@link #isAvailable()} is false
     */
    public static long size(String type) {
        return layout(type).byteSize();
    }

    /**
     * The offset of a (possibly nested) field of a generated struct or union.
     *
     * @param type the generated class name, e.g. {@code proc_event}
     * @param path field names from the outermost, e.g. {@code event_data}, {@code fork}, {@code child_pid}
     * @return {@code offsetof} on the running target
     * @throws IllegalStateException if jextract generated no such type or field
     * @throws UnsupportedOperationException when {@link #isAvailable()} is false
     */
    public static long offset(String type, String... path) {
        GroupLayout layout = (GroupLayout) invoke(running().layout(type), null);
        long offset;
        try {
            offset = layout.byteOffset(Arrays.stream(path).map(PathElement::groupElement).toArray(PathElement[]::new));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("generated " + type + " has no field " + String.join(".", path)
                    + " in " + target().packageName(), e);
        }
        ASKED.add(new GeneratedName(Kind.OFFSET, type, List.of(path)));
        return offset;
    }

    /**
     * A downcall handle for a non-variadic function, capturing errno.
     *
     * @param function the C name
     * @param options further linker options, e.g. {@code Linker.Option.critical(false)}
     * @return a handle whose first parameter is the errno capture segment
     * @throws IllegalStateException if jextract generated no such function
     * @throws UnsupportedOperationException when {@link #isAvailable()} is false
     */
    public static MethodHandle downcall(String function, Linker.Option... options) {
        GeneratedPackage generated = running();
        MemorySegment address = (MemorySegment) invoke(generated.address(function), null);
        FunctionDescriptor descriptor = (FunctionDescriptor) invoke(generated.descriptor(function), null);
        return asked(Kind.FUNCTION, function, link(address, descriptor, options));
    }

    /**
     * A downcall handle for a variadic function called with the given variadic argument layouts,
     * capturing errno.
     *
     * @param function the C name, e.g. {@code fcntl}
     * @param variadic layouts of the arguments passed in the {@code ...} part
     * @param options further linker options
     * @return a handle whose first parameter is the errno capture segment
     * @throws IllegalStateException if jextract generated no such variadic function
     * @throws UnsupportedOperationException when {@link #isAvailable()} is false
     */
    public static MethodHandle variadicDowncall(String function, MemoryLayout[] variadic, Linker.Option... options) {
        GeneratedPackage generated = running();
        MemorySegment address = (MemorySegment) invoke(generated.variadicAddress(function), null);
        Object invoker = invoke(generated.variadicInvoker(function), null, (Object) variadic);
        FunctionDescriptor descriptor = (FunctionDescriptor) invoke(generated.variadicDescriptor(function), invoker);
        int fixed = descriptor.argumentLayouts().size() - variadic.length;
        Linker.Option[] all = Stream.concat(Stream.of(Linker.Option.firstVariadicArg(fixed)), Stream.of(options))
                .toArray(Linker.Option[]::new);
        return asked(Kind.VARIADIC_FUNCTION, function, link(address, descriptor, all));
    }

    /**
     * Every name resolved through this class so far in this JVM.
     *
     * @return a snapshot
     */
    static Set<GeneratedName> asked() {
        return Set.copyOf(ASKED);
    }

    /** The one restricted call of the hand-written layer: this module is where native access is granted. */
    @SuppressWarnings("restricted")
    private static MethodHandle link(MemorySegment address, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = Stream.concat(Stream.of(ErrnoCapture.option()), Stream.of(options))
                .toArray(Linker.Option[]::new);
        return Linker.nativeLinker().downcallHandle(address, descriptor, all);
    }

    private static GeneratedPackage running() {
        if (PACKAGE == null) {
            throw new UnsupportedOperationException("kqueue-ffm has generated Linux bindings for x86_64 and"
                    + " aarch64 only, not for " + Target.describeCurrent()
                    + "; LinuxBindings.isAvailable() tells beforehand");
        }
        return PACKAGE;
    }

    private static long constantValue(String name) {
        return ((Number) invoke(running().constant(name), null)).longValue();
    }

    /** Records a name after it resolved, so that only real generated names are kept. */
    private static <T> T asked(Kind kind, String name, T resolved) {
        ASKED.add(GeneratedName.of(kind, name));
        return resolved;
    }

    private static Object invoke(Method m, Object target, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call generated " + m, e);
        }
    }
}
