package io.github.kqueueffm.platform;

import io.github.kqueueffm.bindings.Os;
import io.github.kqueueffm.bindings.Target;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which backend a JVM gets, decided from its OS and architecture and the system property
 * {@value #LIBRARY_PROPERTY}; a pure decision, so every branch is tested on any machine.
 *
 * <ul>
 *   <li>FreeBSD, macOS, NetBSD, OpenBSD, DragonFly: the native kqueue of the C library
 *       ({@link NativeLibc}); the property is not read.
 *   <li>Linux: the epoll emulation ({@link Emulation}), unless the property names an absolute
 *       path to a kqueue library such as libkqueue's {@code libkqueue.so}: then the native
 *       passthrough over that library ({@link NativeLibrary}).
 *   <li>Any other OS or architecture, or a property that is not an absolute path:
 *       {@link Unsupported}, with a message naming them.
 * </ul>
 */
public sealed interface BackendChoice {
    /** The system property naming a kqueue library for Linux. */
    String LIBRARY_PROPERTY = "kqueue.native.library";

    /**
     * The epoll emulation.
     *
     * @param target Linux and its architecture
     */
    record Emulation(Target target) implements BackendChoice {
    }

    /**
     * The C library's native kqueue.
     *
     * @param target a BSD or macOS and its architecture
     */
    record NativeLibc(Target target) implements BackendChoice {
    }

    /**
     * The native passthrough over a kqueue library loaded by path.
     *
     * @param target Linux and its architecture
     * @param library the absolute path
     */
    record NativeLibrary(Target target, Path library) implements BackendChoice {
    }

    /**
     * No backend.
     *
     * @param reason what is missing, naming the OS and architecture
     */
    record Unsupported(String reason) implements BackendChoice {
    }

    /**
     * The running JVM's choice.
     *
     * @return from {@code os.name}, {@code os.arch} and {@value #LIBRARY_PROPERTY}
     */
    static BackendChoice current() {
        return decide(System.getProperty("os.name", ""), System.getProperty("os.arch", ""),
                System.getProperty(LIBRARY_PROPERTY));
    }

    /**
     * The choice for an OS, an architecture and a value of {@value #LIBRARY_PROPERTY}.
     *
     * @param osName a value of {@code os.name}
     * @param osArch a value of {@code os.arch}
     * @param library the property's value, or null (blank counts as unset)
     * @return the choice
     */
    static BackendChoice decide(String osName, String osArch, String library) {
        Optional<Target> target = Target.of(osName, osArch);
        if (target.isEmpty()) {
            return new Unsupported("kqueue-ffm has no backend for " + osName + " on " + osArch + " (supported: Linux,"
                    + " FreeBSD, macOS, NetBSD, OpenBSD and DragonFly on x86_64 and aarch64)");
        }
        Target t = target.get();
        if (t.os() != Os.LINUX) {
            return new NativeLibc(t);
        }
        if (library == null || library.isBlank()) {
            return new Emulation(t);
        }
        Path path = Path.of(library);
        if (!path.isAbsolute()) {
            return new Unsupported(LIBRARY_PROPERTY + " must be an absolute path to a kqueue library such as"
                    + " libkqueue.so, not '" + library + "' (" + osName + " on " + osArch + ")");
        }
        return new NativeLibrary(t, path);
    }
}
