package io.github.kqueueffm.kqwatch;

import io.github.kqueueffm.KEventList;

import java.io.PrintStream;
import java.util.StringJoiner;

/** Prints events as one readable line each: elapsed time, ident, filter, flags, fflags, data. */
final class EventPrinter {
    private static final String[] FILTERS = {"EVFILT_READ", "EVFILT_WRITE", "EVFILT_AIO", "EVFILT_VNODE",
        "EVFILT_PROC", "EVFILT_SIGNAL", "EVFILT_TIMER", "EVFILT_PROCDESC", "EVFILT_FS", "EVFILT_LIO",
        "EVFILT_USER", "EVFILT_SENDFILE", "EVFILT_EMPTY"};
    private static final String[] FLAGS = {"EV_ADD", "EV_DELETE", "EV_ENABLE", "EV_DISABLE", "EV_ONESHOT",
        "EV_CLEAR", "EV_RECEIPT", "EV_DISPATCH", "EV_FORCEONESHOT", "EV_KEEPUDATA", "0x400", "0x800",
        "EV_DROP", "EV_FLAG1", "EV_ERROR", "EV_EOF"};

    private final PrintStream out;
    private final long start = System.nanoTime();

    EventPrinter(PrintStream out) {
        this.out = out;
    }

    void say(String text) {
        out.printf("%9.3f ms  -- %s%n", elapsedMillis(), text);
    }

    void print(KEventList events, int n) {
        for (int i = 0; i < n; i++) {
            out.printf("%9.3f ms  ident=%-6d %-15s flags=%-26s fflags=0x%-8x data=%d%n", elapsedMillis(),
                    events.ident(i), filterName(events.filter(i)), flagNames(events.flags(i)), events.fflags(i),
                    events.data(i));
        }
        out.flush();
    }

    private double elapsedMillis() {
        return (System.nanoTime() - start) / 1e6;
    }

    static String filterName(short filter) {
        int slot = -filter - 1;
        return slot >= 0 && slot < FILTERS.length ? FILTERS[slot] : "filter " + filter;
    }

    static String flagNames(int flags) {
        if (flags == 0) {
            return "0";
        }
        StringJoiner names = new StringJoiner("|");
        for (int bit = 0; bit < 16; bit++) {
            if ((flags & (1 << bit)) != 0) {
                names.add(FLAGS[bit]);
            }
        }
        return names.toString();
    }

}
