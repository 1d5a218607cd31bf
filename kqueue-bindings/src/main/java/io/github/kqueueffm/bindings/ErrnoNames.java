package io.github.kqueueffm.bindings;

import io.github.kqueueffm.bindings.linux.LinuxBindings;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The host's errno numbers and their symbolic names ({@code EBADF}, {@code EINVAL}, ...), read from
 * the running OS's generated {@code <errno.h>} constants. Numbers differ between systems
 * (ECONNRESET is 104 on Linux, 54 on FreeBSD), so callers keep names and ask this class for numbers.
 *
 * <p>Only Linux has generated errno constants so far. On any other OS, and on an architecture
 * without generated bindings, the table is empty: every name answers −1 and every number
 * {@code "errno N"} until the FreeBSD and macOS tables are generated (issue 10). No number is
 * written here by hand.
 */
public final class ErrnoNames {
    /** Second names of a number, never returned by {@link #name(int)}. */
    private static final Set<String> ALIASES = Set.of("EWOULDBLOCK", "EDEADLOCK", "ENOTSUP");
    private static final Map<String, Integer> NUMBERS = Target.current().map(t -> table(t.os())).orElse(Map.of());
    private static final Map<Integer, String> NAMES = new HashMap<>();

    static {
        NUMBERS.forEach((name, number) -> {
            if (!ALIASES.contains(name)) {
                NAMES.put(number, name);
            }
        });
    }

    private ErrnoNames() {
    }

    /**
     * The one per-OS choice of errno table, read from that OS's generated bindings for the running
     * architecture.
     *
     * @param os the running OS (a table can only be read from the running architecture's bindings)
     * @return name to number, empty where no bindings are generated
     */
    private static Map<String, Integer> table(Os os) {
        return switch (os) {
            case LINUX -> LinuxBindings.isAvailable() ? LinuxBindings.errnoConstants() : Map.of();
            // Not generated yet (issue 10 adds FreeBSD and macOS); an empty table, not guessed numbers.
            case FREEBSD, MACOS, NETBSD, OPENBSD, DRAGONFLY -> Map.of();
        };
    }

    /**
     * The symbolic name of an errno number.
     *
     * @param errno a host errno number
     * @return its name, e.g. {@code EBADF}, or {@code "errno N"} for a number the headers do not name
     */
    public static String name(int errno) {
        String name = NAMES.get(errno);
        return name != null ? name : "errno " + errno;
    }

    /**
     * The host's number for a symbolic errno name.
     *
     * @param name e.g. {@code EBADF}
     * @return its number, or −1 if the host does not define it
     */
    public static int number(String name) {
        Integer number = NUMBERS.get(name);
        return number != null ? number : -1;
    }

    /**
     * Every errno name the host defines, aliases included.
     *
     * @return name to number
     */
    public static Map<String, Integer> all() {
        return Map.copyOf(NUMBERS);
    }
}
