package io.github.kqueueffm.bindings;

import java.util.Locale;
import java.util.Optional;

/**
 * The processor architectures kqueue-ffm has generated bindings for, and the choice of the one
 * this JVM runs on. Generated code lives in one package per OS and architecture, for example
 * {@code io.github.kqueueffm.bindings.linux.x86_64}; struct layouts differ between them (on
 * x86_64 {@code struct epoll_event} is packed to 12 bytes, on aarch64 it is 16).
 *
 * <p>Nothing here throws while this class initialises. To ask whether this JVM's OS and
 * architecture are supported without catching anything, use {@link Target#current()}.
 */
public enum Arch {
    /** 64-bit x86 ({@code os.arch} {@code amd64} or {@code x86_64}). */
    X86_64("x86_64"),
    /** 64-bit ARM ({@code os.arch} {@code aarch64} or {@code arm64}). */
    AARCH64("aarch64");

    private final String packageName;

    Arch(String packageName) {
        this.packageName = packageName;
    }

    /**
     * The name of this architecture as used in generated package names.
     *
     * @return {@code x86_64} or {@code aarch64}
     */
    public String packageName() {
        return packageName;
    }

    /**
     * The architecture of the running JVM.
     *
     * @return the architecture named by the {@code os.arch} system property
     * @throws IllegalStateException naming the architecture when kqueue-ffm has no bindings for it
     * @see Target#current()
     */
    public static Arch current() {
        return of(System.getProperty("os.arch", ""));
    }

    /**
     * Maps an {@code os.arch} value to an architecture.
     *
     * @param osArch a value of the {@code os.arch} system property
     * @return the matching architecture
     * @throws IllegalStateException naming {@code osArch} when kqueue-ffm has no bindings for it
     */
    public static Arch of(String osArch) {
        return find(osArch).orElseThrow(() -> new IllegalStateException("kqueue-ffm has no bindings for the"
                + " architecture '" + osArch + "' (os.arch); supported: x86_64 (amd64), aarch64 (arm64)"));
    }

    /**
     * Maps an {@code os.arch} value to an architecture, without throwing.
     *
     * @param osArch a value of the {@code os.arch} system property
     * @return the matching architecture, or empty when kqueue-ffm has no bindings for it
     */
    public static Optional<Arch> find(String osArch) {
        return Optional.ofNullable(switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default -> null;
        });
    }
}
