package io.github.kqueueffm.platform;

import io.github.kqueueffm.bindings.Target;
import io.github.kqueueffm.linux.LinuxPlatform;

/**
 * The one operating-system switch: which {@link PlatformServices} this JVM gets, chosen once from
 * {@code os.name} and {@code os.arch}. Everything above it (the public API) and below it (the
 * core, the OS-neutral emulation) is the same on every OS.
 */
public final class Platform {
    private static final PlatformServices SERVICES = choose();

    private Platform() {
    }

    private static PlatformServices choose() {
        Target target = Target.current().orElse(null);
        if (target == null) {
            return null;
        }
        return switch (target.os()) {
            case LINUX -> new LinuxPlatform();
            case FREEBSD, MACOS, NETBSD, OPENBSD, DRAGONFLY -> null; // the native passthrough comes next
        };
    }

    /**
     * Whether kqueue-ffm has a backend for this OS and architecture.
     *
     * @return true if {@link #services()} answers
     */
    public static boolean isSupported() {
        return SERVICES != null;
    }

    /**
     * The running platform's services.
     *
     * @return the services
     * @throws UnsupportedOperationException naming the OS and architecture when there are none
     */
    public static PlatformServices services() {
        if (SERVICES == null) {
            throw new UnsupportedOperationException("kqueue-ffm has no backend for " + System.getProperty("os.name")
                    + " on " + System.getProperty("os.arch") + " (supported: Linux on x86_64 and aarch64)");
        }
        return SERVICES;
    }

    /**
     * The host's number of an errno name, without requiring a supported platform.
     *
     * @param name e.g. {@code EBADF}
     * @return its number, or −1
     */
    public static int errnoNumber(String name) {
        return SERVICES == null ? -1 : SERVICES.errnoNumber(name);
    }

    /**
     * The host's name of an errno number, without requiring a supported platform.
     *
     * @param errno a host errno
     * @return its name, or {@code "errno N"}
     */
    public static String errnoName(int errno) {
        return SERVICES == null ? "errno " + errno : SERVICES.errnoName(errno);
    }
}
