package io.github.kqueueffm.bindings;

import java.util.Locale;
import java.util.Optional;

/**
 * The operating systems kqueue-ffm knows by name, and the choice of the one this JVM runs on. An
 * OS being listed here does not mean kqueue-ffm has bindings for it: today only {@link #LINUX} has
 * generated bindings (see {@link Target}). An OS not listed is answered with an empty
 * {@link Optional}, never with a catch-all constant, so a switch over this enum names only real
 * systems.
 */
public enum Os {
    /** Linux ({@code os.name} {@code Linux}). */
    LINUX("linux"),
    /** FreeBSD ({@code os.name} {@code FreeBSD}). */
    FREEBSD("freebsd"),
    /** macOS ({@code os.name} {@code Mac OS X}; {@code Darwin} is accepted too). */
    MACOS("macos"),
    /** NetBSD ({@code os.name} {@code NetBSD}). */
    NETBSD("netbsd"),
    /** OpenBSD ({@code os.name} {@code OpenBSD}). */
    OPENBSD("openbsd"),
    /** DragonFly BSD ({@code os.name} {@code DragonFly} or {@code DragonFlyBSD}). */
    DRAGONFLY("dragonfly");

    private final String packageName;

    Os(String packageName) {
        this.packageName = packageName;
    }

    /**
     * The name of this OS as used in generated package names.
     *
     * @return e.g. {@code linux} or {@code freebsd}
     */
    public String packageName() {
        return packageName;
    }

    /**
     * The OS of the running JVM.
     *
     * @return the OS named by the {@code os.name} system property, or empty if kqueue-ffm does not
     *         know it
     */
    public static Optional<Os> current() {
        return find(System.getProperty("os.name", ""));
    }

    /**
     * Maps an {@code os.name} value to an OS.
     *
     * @param osName a value of the {@code os.name} system property
     * @return the matching OS, or empty if kqueue-ffm does not know it
     */
    public static Optional<Os> find(String osName) {
        return Optional.ofNullable(switch (osName.toLowerCase(Locale.ROOT)) {
            case "linux" -> LINUX;
            case "freebsd" -> FREEBSD;
            case "mac os x", "darwin" -> MACOS;
            case "netbsd" -> NETBSD;
            case "openbsd" -> OPENBSD;
            case "dragonfly", "dragonflybsd" -> DRAGONFLY;
            default -> null;
        });
    }
}
