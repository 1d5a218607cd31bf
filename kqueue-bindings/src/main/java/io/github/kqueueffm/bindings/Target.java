package io.github.kqueueffm.bindings;

import java.util.Objects;
import java.util.Optional;

/**
 * An operating system and processor architecture: what generated bindings are chosen by. Generated
 * code lives in one package per target, {@code io.github.kqueueffm.bindings.}{@link #packageName()},
 * for example {@code io.github.kqueueffm.bindings.linux.x86_64}.
 *
 * <p>{@link #current()} asks without throwing; {@link #require()} is for code that cannot go on
 * without one. Nothing here throws while this class initialises.
 *
 * @param os the operating system
 * @param arch the processor architecture
 */
public record Target(Os os, Arch arch) {
    /**
     * A target.
     *
     * @param os the operating system
     * @param arch the processor architecture
     */
    public Target {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(arch, "arch");
    }

    /**
     * The running JVM's target.
     *
     * @return the OS and architecture named by {@code os.name} and {@code os.arch}, or empty when
     *         kqueue-ffm does not know one of them
     */
    public static Optional<Target> current() {
        return of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /**
     * Maps {@code os.name} and {@code os.arch} values to a target.
     *
     * @param osName a value of the {@code os.name} system property
     * @param osArch a value of the {@code os.arch} system property
     * @return the target, or empty when kqueue-ffm does not know one of them
     */
    public static Optional<Target> of(String osName, String osArch) {
        return Os.find(osName).flatMap(os -> Arch.find(osArch).map(arch -> new Target(os, arch)));
    }

    /**
     * The running JVM's target, for code that cannot go on without one.
     *
     * @return {@link #current()}'s target
     * @throws UnsupportedOperationException naming {@code os.name} and {@code os.arch} when
     *         kqueue-ffm does not know one of them
     */
    public static Target require() {
        return current().orElseThrow(() -> new UnsupportedOperationException("kqueue-ffm does not know the platform "
                + describeCurrent() + "; known operating systems: Linux, FreeBSD, macOS, NetBSD, OpenBSD, DragonFly;"
                + " architectures: x86_64 (amd64), aarch64 (arm64)"));
    }

    /**
     * The running JVM's {@code os.name} and {@code os.arch}, as failure messages quote them.
     *
     * @return e.g. {@code os.name 'FreeBSD', os.arch 'amd64'}
     */
    public static String describeCurrent() {
        return "os.name '" + System.getProperty("os.name") + "', os.arch '" + System.getProperty("os.arch") + "'";
    }

    /**
     * The name of this target's generated package below {@code io.github.kqueueffm.bindings}.
     *
     * @return e.g. {@code linux.x86_64}
     */
    public String packageName() {
        return os.packageName() + "." + arch.packageName();
    }
}
