package io.github.kqueueffm.tests;

import io.github.kqueueffm.kqwatch.KqWatch;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kqwatch demo: its demonstration, its help and its refusal of bad arguments. */
class KqWatchTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return KqWatch.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void demonstrationShowsEveryImplementedFilterAndExitsZero() {
        assertEquals(0, run(), err.toString(StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        for (String filter : new String[] {"EVFILT_TIMER", "EVFILT_USER", "EVFILT_WRITE", "EVFILT_EMPTY",
            "EVFILT_READ", "EVFILT_PROC", "EVFILT_SIGNAL", "EVFILT_VNODE"}) {
            assertTrue(text.contains(filter), filter + " missing from:\n" + text);
        }
        assertTrue(text.contains("fflags=0xbeef"), text);
        assertTrue(text.contains("EV_EOF"), text);
        assertTrue(text.contains("data=1792"), "exit 7 is wait status 0x700:\n" + text);
        assertTrue(text.contains("fflags=0x6 "), "NOTE_WRITE|NOTE_EXTEND:\n" + text);
        assertTrue(text.contains("fflags=0x20 "), "NOTE_RENAME:\n" + text);
    }

    @Test
    void helpExplainsItself() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage: kqwatch"));
    }

    @Test
    void badArgumentsGetOneLineAndExitTwo() {
        assertEquals(2, run("--frobnicate"));
        assertEquals(1, err.toString(StandardCharsets.UTF_8).lines().count());
        err.reset();
        assertEquals(2, run("--timer", "soon"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--timer"));
        err.reset();
        assertEquals(2, run("--fd"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--fd needs a value"));
        err.reset();
        assertEquals(2, run("--signal", "NOPE"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--signal"));
        err.reset();
        assertEquals(2, run("--pid", "-3"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--pid"));
    }
}
