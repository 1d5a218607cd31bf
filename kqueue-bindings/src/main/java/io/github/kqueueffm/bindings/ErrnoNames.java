package io.github.kqueueffm.bindings;

import io.github.kqueueffm.bindings.linux.LinuxBindings;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The host's errno numbers and their symbolic names ({@code EBADF}, {@code EINVAL}, ...), read from
 * the generated {@code <errno.h>} constants. Numbers differ between systems (ECONNRESET is 104 on
 * Linux, 54 on FreeBSD), so callers keep names and ask this class for numbers.
 */
public final class ErrnoNames {
    /** Second names of a number, never returned by {@link #name(int)}. */
    private static final Set<String> ALIASES = Set.of("EWOULDBLOCK", "EDEADLOCK", "ENOTSUP");
    private static final Map<String, Integer> NUMBERS = LinuxBindings.errnoConstants();
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
