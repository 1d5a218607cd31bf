package io.github.kqueueffm.bindings.kqueue;

import io.github.kqueueffm.bindings.ErrnoCapture;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Links the C functions of this package by name, from the C library or from a library named by
 * an absolute path, each with errno capture. The one place of this package that makes restricted
 * FFM calls; native access is granted to this module only.
 */
final class NativeLinker {
    private NativeLinker() {
    }

    /**
     * A downcall handle whose first parameter is the errno capture segment
     * ({@link ErrnoCapture#state()}).
     *
     * @param library an absolute path to a shared library, or null for the C library
     * @param name the symbol
     * @param descriptor the C signature
     * @param options further linker options ({@code critical}, {@code firstVariadicArg})
     * @return the handle
     * @throws IllegalStateException if the library cannot be loaded, the symbol is missing, or
     *         native access was not granted (the message names the flag to pass)
     */
    @SuppressWarnings("restricted")
    static MethodHandle link(Path library, String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker linker = Linker.nativeLinker();
        Linker.Option[] all = Stream.concat(Stream.of(ErrnoCapture.option()), Stream.of(options))
                .toArray(Linker.Option[]::new);
        try {
            SymbolLookup lookup = library == null
                    ? linker.defaultLookup()
                    : SymbolLookup.libraryLookup(library, Arena.global()); // stays loaded: handles outlive callers
            return linker.downcallHandle(lookup.find(name).orElseThrow(() -> new IllegalStateException(
                    "no symbol " + name + " in " + (library == null ? "the C library" : library))), descriptor, all);
        } catch (IllegalCallerException e) {
            throw new IllegalStateException("kqueue-ffm needs native access: pass --enable-native-access="
                    + "io.github.kqueueffm.bindings (module path) or --enable-native-access=ALL-UNNAMED (class path)", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot load " + library + ": " + e.getMessage(), e);
        }
    }
}
