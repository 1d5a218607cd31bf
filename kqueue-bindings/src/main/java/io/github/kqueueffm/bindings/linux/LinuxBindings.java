package io.github.kqueueffm.bindings.linux;

import io.github.kqueueffm.bindings.Arch;
import io.github.kqueueffm.bindings.ErrnoCapture;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Resolves the jextract-generated Linux bindings of the running architecture by name: constants,
 * struct layouts and functions. This is the one place that picks between
 * {@code io.github.kqueueffm.bindings.linux.x86_64} and {@code ...linux.aarch64}; everything else
 * takes its values from here once, into {@code static final} fields the JIT folds.
 *
 * <p>Functions are re-linked with errno capture: jextract's own handles do not capture errno, so
 * this class builds handles from the generated address and descriptor plus
 * {@link ErrnoCapture#option()}. Such a handle takes the capture segment
 * ({@link ErrnoCapture#state()}) as its first argument.
 */
public final class LinuxBindings {
    private static final Arch ARCH = Arch.current();
    private static final String PACKAGE = LinuxBindings.class.getPackageName() + "." + ARCH.packageName();
    private static final Class<?> HEADER = generated("Linux");
    private static final Linker LINKER = Linker.nativeLinker();

    private LinuxBindings() {
    }

    /**
     * The architecture whose generated bindings are in use.
     *
     * @return the running JVM's architecture
     */
    public static Arch arch() {
        return ARCH;
    }

    /**
     * A generated class of the running architecture.
     *
     * @param simpleName the class name as jextract wrote it, e.g. {@code epoll_event}
     * @return the class
     */
    public static Class<?> generated(String simpleName) {
        try {
            return Class.forName(PACKAGE + "." + simpleName);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no generated binding " + simpleName + " for " + ARCH.packageName()
                    + "; add it to kqueue-bindings/headers/linux-symbols.txt and run regenerate.sh", e);
        }
    }

    /**
     * A generated integer constant (a macro or enum constant of the Linux headers).
     *
     * @param name the C name, e.g. {@code EPOLLIN}
     * @return its value on the running architecture
     */
    public static long constant(String name) {
        return ((Number) invokeStatic(HEADER, name)).longValue();
    }

    /**
     * A generated integer constant that fits an {@code int}.
     *
     * @param name the C name
     * @return its value on the running architecture
     */
    public static int intConstant(String name) {
        return Math.toIntExact(constant(name));
    }

    /**
     * Every errno constant of {@code <errno.h>}, by name: the constants jextract generated into
     * the header class {@code LinuxErrno}.
     *
     * @return name to number, sorted by name
     */
    public static Map<String, Integer> errnoConstants() {
        Map<String, Integer> names = new TreeMap<>();
        Stream.of(generated("LinuxErrno").getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())
                        && m.getParameterCount() == 0 && m.getReturnType() == int.class)
                .forEach(m -> names.put(m.getName(), (Integer) invoke(m)));
        return names;
    }

    /**
     * The layout jextract generated for a struct, union or typedef.
     *
     * @param type the generated class name, e.g. {@code epoll_event} or {@code siginfo_t}
     * @return its layout on the running architecture
     */
    public static GroupLayout layout(String type) {
        return (GroupLayout) invokeStatic(generated(type), "layout");
    }

    /**
     * A downcall handle for a non-variadic function, capturing errno.
     *
     * @param function the C name
     * @param options further linker options, e.g. {@code Linker.Option.critical(false)}
     * @return a handle whose first parameter is the errno capture segment
     */
    public static MethodHandle downcall(String function, Linker.Option... options) {
        MemorySegment address = (MemorySegment) invokeStatic(HEADER, function + "$address");
        FunctionDescriptor descriptor = (FunctionDescriptor) invokeStatic(HEADER, function + "$descriptor");
        return link(address, descriptor, options);
    }

    /**
     * A downcall handle for a variadic function called with the given variadic argument layouts,
     * capturing errno.
     *
     * @param function the C name, e.g. {@code fcntl}
     * @param variadic layouts of the arguments passed in the {@code ...} part
     * @param options further linker options
     * @return a handle whose first parameter is the errno capture segment
     */
    public static MethodHandle variadicDowncall(String function, MemoryLayout[] variadic, Linker.Option... options) {
        Class<?> holder = generated("Linux$" + function);
        MemorySegment address = (MemorySegment) invokeStatic(holder, "address");
        Object invoker = invokeStatic(holder, "makeInvoker", (Object) variadic);
        FunctionDescriptor descriptor = (FunctionDescriptor) invoke(method(holder, "descriptor"), invoker);
        int fixed = descriptor.argumentLayouts().size() - variadic.length;
        Linker.Option[] all = Stream.concat(Stream.of(Linker.Option.firstVariadicArg(fixed)), Stream.of(options))
                .toArray(Linker.Option[]::new);
        return link(address, descriptor, all);
    }

    private static MethodHandle link(MemorySegment address, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = Stream.concat(Stream.of(ErrnoCapture.option()), Stream.of(options))
                .toArray(Linker.Option[]::new);
        return LINKER.downcallHandle(address, descriptor, all);
    }

    private static Object invokeStatic(Class<?> holder, String name, Object... args) {
        for (Method m : holder.getMethods()) {
            if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers())
                    && m.getParameterCount() == args.length) {
                return invoke(m, null, args);
            }
        }
        throw new IllegalStateException("no generated binding " + holder.getSimpleName() + "." + name + " for "
                + ARCH.packageName() + "; add it to kqueue-bindings/headers/linux-symbols.txt and run regenerate.sh");
    }

    private static Method method(Class<?> holder, String name) {
        try {
            return holder.getMethod(name);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("generated " + holder.getName() + " has no " + name + "()", e);
        }
    }

    private static Object invoke(Method m) {
        return invoke(m, null);
    }

    private static Object invoke(Method m, Object target, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call generated " + m, e);
        }
    }
}
