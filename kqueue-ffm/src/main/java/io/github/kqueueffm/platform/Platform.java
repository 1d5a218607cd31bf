package io.github.kqueueffm.platform;

import io.github.kqueueffm.bsd.NativeHosts;
import io.github.kqueueffm.bsd.NativePlatform;
import io.github.kqueueffm.linux.LinuxPlatform;

/**
 * The one operating-system switch: which {@link PlatformServices} this JVM gets, chosen once from
 * {@code os.name}, {@code os.arch} and {@code kqueue.native.library} (see {@link BackendChoice}).
 * Everything above it (the public API) and below it (the core, the OS-neutral emulation) is the
 * same on every OS. Choosing never throws: a platform without a backend, or a native library that
 * cannot be loaded, is reported by {@link #isSupported()} and by {@link #services()}.
 */
public final class Platform {
    private static final BackendChoice CHOICE = BackendChoice.current();
    /** Why there are no services, when there are none. */
    private static RuntimeException failure;
    private static final PlatformServices SERVICES = choose(CHOICE);

    private Platform() {
    }

    private static PlatformServices choose(BackendChoice choice) {
        try {
            return switch (choice) {
                case BackendChoice.Emulation e -> new LinuxPlatform();
                case BackendChoice.NativeLibc n -> new NativePlatform(NativeHosts.libc(n.target()));
                case BackendChoice.NativeLibrary n -> new NativePlatform(NativeHosts.libkqueue(n.library()));
                case BackendChoice.Unsupported u -> {
                    failure = new UnsupportedOperationException(u.reason());
                    yield null;
                }
            };
        } catch (UnsupportedOperationException | IllegalStateException | IllegalArgumentException e) {
            failure = new UnsupportedOperationException("kqueue-ffm has no usable backend on "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ": " + e.getMessage(), e);
            return null;
        }
    }

    /**
     * How this JVM's backend was chosen.
     *
     * @return the choice
     */
    public static BackendChoice choice() {
        return CHOICE;
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
            throw new UnsupportedOperationException(failure.getMessage(), failure.getCause());
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
