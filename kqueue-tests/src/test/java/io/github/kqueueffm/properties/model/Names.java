package io.github.kqueueffm.properties.model;

import static io.github.kqueueffm.KEvent.EVFILT_AIO;
import static io.github.kqueueffm.KEvent.EVFILT_FS;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;

/** Readable names for flags, filters and fflags in printed sequences. */
public final class Names {
    private static final String[] FLAG_NAMES = {
        "ADD", "DELETE", "ENABLE", "DISABLE", "ONESHOT", "CLEAR", "RECEIPT", "DISPATCH",
        "FORCEONESHOT", "KEEPUDATA", "0x400", "0x800", "DROP", "FLAG1", "ERROR", "EOF"};

    private Names() {
    }

    /** @return e.g. {@code ADD|CLEAR}, or {@code 0} */
    public static String flags(int flags) {
        if ((flags & 0xFFFF) == 0) {
            return "0";
        }
        StringBuilder b = new StringBuilder();
        for (int bit = 0; bit < 16; bit++) {
            if ((flags & (1 << bit)) != 0) {
                if (!b.isEmpty()) {
                    b.append('|');
                }
                b.append(FLAG_NAMES[bit]);
            }
        }
        return b.toString();
    }

    /** @return the EVFILT_ name or the number */
    public static String filter(short filter) {
        return switch (filter) {
            case EVFILT_READ -> "READ";
            case EVFILT_WRITE -> "WRITE";
            case EVFILT_TIMER -> "TIMER";
            case EVFILT_USER -> "USER";
            case EVFILT_AIO -> "AIO";
            case EVFILT_FS -> "FS";
            case 0 -> "filter0";
            default -> "filter" + filter;
        };
    }

    /** @return fflags in hex, with the EVFILT_USER operation and trigger bits named */
    public static String fflags(short filter, int fflags) {
        if (filter == EVFILT_USER) {
            String op = switch (fflags >>> 30) {
                case 1 -> "FFAND|";
                case 2 -> "FFOR|";
                case 3 -> "FFCOPY|";
                default -> "";
            };
            String trigger = (fflags & 0x01000000) != 0 ? "TRIGGER|" : "";
            return op + trigger + "0x" + Integer.toHexString(fflags & 0x00FFFFFF)
                    + ((fflags & 0x3E000000) != 0 ? "|0x" + Integer.toHexString(fflags & 0x3E000000) : "");
        }
        return "0x" + Integer.toHexString(fflags);
    }

    /** @return small idents in decimal, others in hex */
    public static String ident(long ident) {
        return ident >= -1 && ident < 1_000_000 ? Long.toString(ident) : "0x" + Long.toHexString(ident);
    }
}
