package io.github.kqueueffm.bindings.linux;

import java.util.List;

/**
 * One name the hand-written layer asked the generated code for, as {@link LinuxBindings} records
 * it: the name-resolution test looks every recorded name up in every architecture's package.
 *
 * @param kind what was asked for
 * @param name the C name of the constant, function or type
 * @param path for {@link Kind#OFFSET}, the field path inside the type; otherwise empty
 */
record GeneratedName(Kind kind, String name, List<String> path) {
    /** What a name was asked for as; each kind is found through its own generated members. */
    enum Kind {
        /** {@link LinuxBindings#constant(String)}. */
        CONSTANT,
        /** {@link LinuxBindings#intConstant(String)}: the value must also fit an {@code int}. */
        INT_CONSTANT,
        /** {@link LinuxBindings#layout(String)} and {@link LinuxBindings#size(String)}. */
        LAYOUT,
        /** {@link LinuxBindings#offset(String, String...)}. */
        OFFSET,
        /** {@link LinuxBindings#downcall(String, java.lang.foreign.Linker.Option...)}. */
        FUNCTION,
        /** {@link LinuxBindings#variadicDowncall}. */
        VARIADIC_FUNCTION,
        /** {@link LinuxBindings#generated(String)}. */
        TYPE
    }

    GeneratedName {
        path = List.copyOf(path);
    }

    /** @return a name asked for without a field path */
    static GeneratedName of(Kind kind, String name) {
        return new GeneratedName(kind, name, List.of());
    }
}
