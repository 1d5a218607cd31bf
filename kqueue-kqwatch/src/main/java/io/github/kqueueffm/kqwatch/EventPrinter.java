package io.github.kqueueffm.kqwatch;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;

import java.io.PrintStream;

/**
 * Prints events as one readable line each: elapsed time, ident, filter, flags and fflags by name
 * (the library's decoding, {@link KEvent#toString()}'s), data and what it means for the filter.
 */
final class EventPrinter {
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
            KEvent e = events.get(i);
            out.printf("%9.3f ms  ident=%-6d %-15s flags=%-26s fflags=%-22s data=%d (%s)%n", elapsedMillis(),
                    e.ident(), KEvent.filterName(e.filter()), KEvent.flagNames(e.flags()),
                    KEvent.fflagNames(e.filter(), e.flags(), e.fflags()), e.data(), e.dataMeaning());
        }
        out.flush();
    }

    private double elapsedMillis() {
        return (System.nanoTime() - start) / 1e6;
    }
}
