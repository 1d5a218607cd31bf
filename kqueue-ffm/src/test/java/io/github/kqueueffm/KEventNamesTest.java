package io.github.kqueueffm;

import org.junit.jupiter.api.Test;

import static io.github.kqueueffm.KEvent.EVFILT_EMPTY;
import static io.github.kqueueffm.KEvent.EVFILT_PROC;
import static io.github.kqueueffm.KEvent.EVFILT_PROCDESC;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_SIGNAL;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EVFILT_VNODE;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_EOF;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.EV_RECEIPT;
import static io.github.kqueueffm.KEvent.NOTE_CHILD;
import static io.github.kqueueffm.KEvent.NOTE_EXEC;
import static io.github.kqueueffm.KEvent.NOTE_EXIT;
import static io.github.kqueueffm.KEvent.NOTE_EXTEND;
import static io.github.kqueueffm.KEvent.NOTE_FFCOPY;
import static io.github.kqueueffm.KEvent.NOTE_FORK;
import static io.github.kqueueffm.KEvent.NOTE_LOWAT;
import static io.github.kqueueffm.KEvent.NOTE_NSECONDS;
import static io.github.kqueueffm.KEvent.NOTE_TRIGGER;
import static io.github.kqueueffm.KEvent.NOTE_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** KEvent's symbolic decoding: filter, flag and per-filter note names, and what data means. */
class KEventNamesTest {
    @Test
    void toStringNamesTheConstants() {
        assertEquals("KEvent[ident=7, filter=EVFILT_READ, flags=EV_ADD|EV_CLEAR, fflags=0, data=5, udata=0]",
                new KEvent(7, EVFILT_READ, EV_ADD | EV_CLEAR, 0, 5, 0).toString());
        assertEquals("KEvent[ident=3, filter=EVFILT_VNODE, flags=EV_CLEAR, fflags=NOTE_WRITE|NOTE_EXTEND, data=0,"
                + " udata=9]", new KEvent(3, EVFILT_VNODE, EV_CLEAR, NOTE_WRITE | NOTE_EXTEND, 0, 9).toString());
    }

    @Test
    void filtersByNameAndUnknownOnesByNumber() {
        assertEquals("EVFILT_READ", KEvent.filterName(EVFILT_READ));
        assertEquals("EVFILT_EMPTY", KEvent.filterName(EVFILT_EMPTY));
        assertEquals("EVFILT_PROCDESC", KEvent.filterName(EVFILT_PROCDESC));
        assertEquals("-14", KEvent.filterName((short) -14));
        assertEquals("3", KEvent.filterName((short) 3));
    }

    @Test
    void flagsByNameWithUnnamedBitsInHex() {
        assertEquals("0", KEvent.flagNames(0));
        assertEquals("EV_ONESHOT|EV_EOF", KEvent.flagNames(EV_ONESHOT | EV_EOF));
        assertEquals("EV_ADD|EV_ERROR", KEvent.flagNames(EV_ADD | EV_ERROR));
        assertEquals("EV_ADD|0xc00", KEvent.flagNames(EV_ADD | 0x400 | 0x800));
    }

    @Test
    void fflagsByTheNamesOfTheirFilter() {
        assertEquals("NOTE_WRITE|NOTE_EXTEND", KEvent.fflagNames(EVFILT_VNODE, 0, NOTE_WRITE | NOTE_EXTEND));
        assertEquals("NOTE_EXEC|NOTE_FORK|NOTE_EXIT", KEvent.fflagNames(EVFILT_PROC, 0, NOTE_EXIT | NOTE_FORK | NOTE_EXEC));
        assertEquals("NOTE_CHILD|0x100", KEvent.fflagNames(EVFILT_PROC, 0, NOTE_CHILD | 0x100));
        assertEquals("NOTE_EXIT", KEvent.fflagNames(EVFILT_PROCDESC, 0, NOTE_EXIT));
        assertEquals("NOTE_NSECONDS", KEvent.fflagNames(EVFILT_TIMER, 0, NOTE_NSECONDS));
        assertEquals("NOTE_LOWAT", KEvent.fflagNames(EVFILT_WRITE, 0, NOTE_LOWAT));
        assertEquals("NOTE_TRIGGER|NOTE_FFCOPY|0xbeef", KEvent.fflagNames(EVFILT_USER, 0,
                NOTE_TRIGGER | NOTE_FFCOPY | 0xbeef));
        assertEquals("0xbeef", KEvent.fflagNames(EVFILT_USER, 0, 0xbeef));
        // The same bit is NOTE_DELETE for EVFILT_VNODE and NOTE_LOWAT for EVFILT_READ.
        assertEquals("NOTE_DELETE", KEvent.fflagNames(EVFILT_VNODE, 0, 1));
        assertEquals("NOTE_LOWAT", KEvent.fflagNames(EVFILT_READ, 0, 1));
        assertEquals("0x20", KEvent.fflagNames(EVFILT_SIGNAL, 0, 0x20));
    }

    @Test
    void aSocketErrorWithEofIsNamedAsAnErrno() {
        int reset = Errno.ECONNRESET.value();
        assertEquals("ECONNRESET", KEvent.fflagNames(EVFILT_READ, EV_EOF, reset));
        assertEquals("ECONNRESET", KEvent.fflagNames(EVFILT_WRITE, EV_EOF, reset));
    }

    @Test
    void dataIsExplainedPerFilter() {
        assertEquals("wait status: exited with 7", new KEvent(42, EVFILT_PROC, EV_EOF | EV_ONESHOT, NOTE_EXIT,
                0x700, 0).dataMeaning());
        assertEquals("wait status: killed by signal 9", new KEvent(42, EVFILT_PROCDESC, EV_EOF, NOTE_EXIT,
                9, 0).dataMeaning());
        assertEquals("wait status: killed by signal 6, core dumped", new KEvent(42, EVFILT_PROC, EV_EOF, NOTE_EXIT,
                0x86, 0).dataMeaning());
        assertEquals("the parent's pid", new KEvent(43, EVFILT_PROC, 0, NOTE_CHILD, 42, 0).dataMeaning());
        assertEquals("bytes to read; on a listening socket, connections waiting",
                new KEvent(5, EVFILT_READ, 0, 0, 3, 0).dataMeaning());
        assertEquals("bytes still to read before end of file", new KEvent(5, EVFILT_READ, EV_EOF, 0, 3, 0).dataMeaning());
        assertEquals("bytes of free space to write", new KEvent(5, EVFILT_WRITE, 0, 0, 3, 0).dataMeaning());
        assertEquals("bytes still in the send buffer", new KEvent(5, EVFILT_EMPTY, 0, 0, 0, 0).dataMeaning());
        assertEquals("deliveries since the last report", new KEvent(10, EVFILT_SIGNAL, 0, 0, 2, 0).dataMeaning());
        assertEquals("expirations since the last report", new KEvent(1, EVFILT_TIMER, 0, 0, 4, 0).dataMeaning());
        assertEquals("the data of the last change", new KEvent(1, EVFILT_USER, 0, 0, 7, 0).dataMeaning());
        assertEquals("error ENOENT", new KEvent(1, EVFILT_READ, EV_ERROR, 0, Errno.ENOENT.value(), 0).dataMeaning());
        assertEquals("no error (an EV_RECEIPT entry)",
                new KEvent(1, EVFILT_READ, EV_ADD | EV_RECEIPT | EV_ERROR, 0, 0, 0).dataMeaning());
    }

    @Test
    void describeIsOneLineWithTheMeaningOfData() {
        assertEquals("EVFILT_PROC ident=4242 flags=EV_ONESHOT|EV_EOF fflags=NOTE_EXIT data=1792"
                + " (wait status: exited with 7) udata=0",
                new KEvent(4242, EVFILT_PROC, EV_ONESHOT | EV_EOF, NOTE_EXIT, 0x700, 0).describe());
    }
}
