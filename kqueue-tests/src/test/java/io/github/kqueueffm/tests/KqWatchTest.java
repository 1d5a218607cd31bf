package io.github.kqueueffm.tests;

import io.github.kqueueffm.kqwatch.KqWatch;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kqwatch demo: its demonstration, its help, its refusal of bad arguments and its failure messages. */
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
        assertTrue(text.contains("fflags=0xbeef "), "EVFILT_USER's user bits:\n" + text);
        assertTrue(text.contains("EV_EOF"), text);
        // the fork and the exit come as two events, or as one when both happen before a collection
        assertTrue(text.matches("(?s).*EVFILT_PROC .*fflags=(NOTE_FORK|\\S*\\|NOTE_FORK)[ |].*"), "NOTE_FORK:\n" + text);
        assertTrue(text.matches("(?s).*EVFILT_PROC .*fflags=(NOTE_EXIT|\\S*\\|NOTE_EXIT)[ |].*"), "NOTE_EXIT:\n" + text);
        assertTrue(text.contains("data=1792 (wait status: exited with 7)"), "exit 7 is wait status 0x700:\n" + text);
        assertTrue(text.contains("fflags=NOTE_WRITE|NOTE_EXTEND "), text);
        assertTrue(text.contains("fflags=NOTE_RENAME "), text);
        assertTrue(text.contains("data=5 (bytes to read"), "data explained per filter:\n" + text);
        assertTrue(text.contains("(deliveries since the last report)"), text);
        assertTrue(text.contains("(expirations since the last report)"), text);
        assertTrue(text.contains("(bytes of free space to write)"), text);
    }

    @Test
    void aRefusedSignalIsOneLineWithAHintAndExitsOne() {
        assertEquals(1, run("--timer", "1s", "--signal", "KILL"));
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("kqwatch: --signal KILL: EINVAL: no process can catch SIGKILL"), message);
        err.reset();
        assertEquals(1, run("--signal", "QUIT"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("the JVM keeps for itself"), err.toString());
    }

    @Test
    void otherRefusalsNameTheOptionAndSayWhy() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        assertEquals(1, run("--pid", Long.toString(gone.pid())));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("kqwatch: --pid " + gone.pid() + ": ESRCH: no process"),
                err.toString());
        err.reset();
        assertEquals(1, run("--fd", "99999"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("kqwatch: --fd 99999: EBADF: descriptor 99999 is"
                + " not open in kqwatch's own process"), err.toString());
        err.reset();
        assertEquals(1, run("--file", "/nonexistent/kqwatch"));
        assertEquals("kqwatch: --file /nonexistent/kqwatch: ENOENT: no such file or directory",
                err.toString(StandardCharsets.UTF_8).strip());
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
