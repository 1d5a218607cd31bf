package io.github.kqueueffm.bindings.linux;

import io.github.kqueueffm.bindings.Target;

import java.lang.foreign.MemoryLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * One jextract-generated Linux package, such as {@code io.github.kqueueffm.bindings.linux.x86_64}:
 * its classes and members, found by name. Finding a member neither initialises its class nor
 * touches native code; {@link LinuxBindings} invokes what it finds for the running architecture,
 * and the name-resolution test finds the same members in every architecture's package.
 *
 * <p>The members are jextract's: a constant {@code NAME} is the static method {@code Linux.NAME()};
 * a function {@code f} has {@code Linux.f$address()} and {@code Linux.f$descriptor()}; a variadic
 * function {@code f} is the class {@code Linux$f} with {@code address()},
 * {@code makeInvoker(MemoryLayout...)} and {@code descriptor()}; a struct, union or typedef
 * {@code t} is the class {@code t} with {@code layout()}.
 */
final class GeneratedPackage {
    /** jextract's header class for the symbols of {@code headers/linux-symbols.txt}. */
    static final String HEADER = "Linux";
    /** jextract's header class for {@code <errno.h>} ({@code headers/linux-errno-symbols.txt}). */
    static final String ERRNO_HEADER = "LinuxErrno";

    private final Target target;
    private final String name;

    /**
     * @param target a Linux target; its package holds the generated classes
     */
    GeneratedPackage(Target target) {
        this.target = target;
        this.name = Target.class.getPackageName() + "." + target.packageName();
    }

    /** @return the target this package was generated for */
    Target target() {
        return target;
    }

    /**
     * @param simpleName the class name as jextract wrote it, e.g. {@code epoll_event} or {@code Linux$fcntl}
     * @return the class, not initialised
     */
    Class<?> type(String simpleName) {
        try {
            return Class.forName(name + "." + simpleName, false, GeneratedPackage.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw missing(simpleName, e);
        }
    }

    /** @return the static no-argument accessor {@code Linux.NAME()} of a constant */
    Method constant(String constant) {
        return staticMethod(type(HEADER), constant);
    }

    /** @return the static {@code layout()} of a generated struct, union or typedef */
    Method layout(String type) {
        return staticMethod(type(type), "layout");
    }

    /** @return {@code Linux.function$address()} */
    Method address(String function) {
        return staticMethod(type(HEADER), function + "$address");
    }

    /** @return {@code Linux.function$descriptor()} */
    Method descriptor(String function) {
        return staticMethod(type(HEADER), function + "$descriptor");
    }

    /** @return the class jextract generates for a variadic function, {@code Linux$function} */
    Class<?> variadic(String function) {
        return type(HEADER + "$" + function);
    }

    /** @return {@code Linux$function.address()} */
    Method variadicAddress(String function) {
        return staticMethod(variadic(function), "address");
    }

    /** @return {@code Linux$function.makeInvoker(MemoryLayout...)} */
    Method variadicInvoker(String function) {
        return staticMethod(variadic(function), "makeInvoker", MemoryLayout[].class);
    }

    /** @return the invoker's {@code descriptor()}, the descriptor for the variadic layouts it was made with */
    Method variadicDescriptor(String function) {
        Class<?> holder = variadic(function);
        try {
            return holder.getMethod("descriptor");
        } catch (NoSuchMethodException e) {
            throw missing(holder.getSimpleName() + ".descriptor()", e);
        }
    }

    private Method staticMethod(Class<?> holder, String method, Class<?>... parameters) {
        try {
            Method m = holder.getMethod(method, parameters);
            if (Modifier.isStatic(m.getModifiers())) {
                return m;
            }
        } catch (NoSuchMethodException e) {
            throw missing(holder.getSimpleName() + "." + method, e);
        }
        throw missing(holder.getSimpleName() + "." + method + " (not static)", null);
    }

    private IllegalStateException missing(String what, Exception cause) {
        return new IllegalStateException("no generated binding " + what + " in " + name
                + "; add it to kqueue-bindings/headers/linux-symbols.txt and run regenerate.sh", cause);
    }
}
