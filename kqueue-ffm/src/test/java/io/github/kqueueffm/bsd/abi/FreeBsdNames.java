package io.github.kqueueffm.bsd.abi;

import io.github.kqueueffm.KEvent;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.kqueueffm.KEvent.EVFILT_PROC;
import static io.github.kqueueffm.KEvent.EVFILT_PROCDESC;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EVFILT_VNODE;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;

/**
 * The FreeBSD names and values of our API, read from {@link KEvent}'s constants, and which
 * NOTE_* names belong to which filter (FreeBSD's {@code sys/event.h} groups them by comment).
 */
final class FreeBsdNames {
    /** Every public constant of {@link KEvent}, name → value (a short widened, an int as it is). */
    static final Map<String, Integer> VALUES = constants();

    /**
     * The filter flags a program sets or receives for each filter; filters without any (SIGNAL,
     * AIO, FS, ...) are absent. NOTE_PCTRLMASK and NOTE_PDATAMASK are not here: they split the
     * kernel's hint, they are not flags (macOS's NOTE_PCTRLMASK is wider, 0xfff00000).
     */
    static final Map<Short, List<String>> NOTES = Map.of(
            EVFILT_READ, List.of("NOTE_LOWAT", "NOTE_FILE_POLL"),
            EVFILT_WRITE, List.of("NOTE_LOWAT", "NOTE_FILE_POLL"),
            EVFILT_VNODE, List.of("NOTE_DELETE", "NOTE_WRITE", "NOTE_EXTEND", "NOTE_ATTRIB", "NOTE_LINK",
                    "NOTE_RENAME", "NOTE_REVOKE", "NOTE_OPEN", "NOTE_CLOSE", "NOTE_CLOSE_WRITE", "NOTE_READ"),
            EVFILT_PROC, List.of("NOTE_EXIT", "NOTE_FORK", "NOTE_EXEC", "NOTE_TRACK", "NOTE_TRACKERR",
                    "NOTE_CHILD"),
            EVFILT_PROCDESC, List.of("NOTE_EXIT"),
            EVFILT_TIMER, List.of("NOTE_SECONDS", "NOTE_MSECONDS", "NOTE_USECONDS", "NOTE_NSECONDS",
                    "NOTE_ABSTIME"),
            EVFILT_USER, List.of("NOTE_FFNOP", "NOTE_FFAND", "NOTE_FFOR", "NOTE_FFCOPY", "NOTE_FFCTRLMASK",
                    "NOTE_FFLAGSMASK", "NOTE_TRIGGER"));

    private FreeBsdNames() {
    }

    /** @return EVFILT_* name → filter, without EVFILT_SYSCOUNT (a count) */
    static Map<String, Integer> filters() {
        Map<String, Integer> filters = withPrefix("EVFILT_");
        filters.remove("EVFILT_SYSCOUNT");
        return filters;
    }

    /** @return EV_* name → bit, for the names that are one bit (not the mask EV_SYSFLAGS) */
    static Map<String, Integer> flagBits() {
        Map<String, Integer> flags = withPrefix("EV_");
        flags.values().removeIf(v -> Integer.bitCount(v) != 1);
        return flags;
    }

    /**
     * @param value a value
     * @return whether it is one bit, which a bit map can translate (masks and 0 are not)
     */
    static boolean isBit(int value) {
        return Integer.bitCount(value) == 1;
    }

    static Map<String, Integer> withPrefix(String prefix) {
        Map<String, Integer> map = new LinkedHashMap<>();
        VALUES.forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                map.put(name, value);
            }
        });
        return map;
    }

    private static Map<String, Integer> constants() {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (Field f : KEvent.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                try {
                    map.put(f.getName(), ((Number) f.get(null)).intValue());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return map;
    }
}
