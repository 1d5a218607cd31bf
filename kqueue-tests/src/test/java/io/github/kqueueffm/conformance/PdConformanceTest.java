package io.github.kqueueffm.conformance;

import io.github.kqueueffm.Descriptors;
import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.Processes;
import io.github.kqueueffm.tests.support.KqSupport;
import io.github.kqueueffm.tests.support.Os;
import io.github.kqueueffm.tests.support.ProcessSupport.Child;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.github.kqueueffm.KEvent.EVFILT_PROCDESC;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_EOF;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.NOTE_EXIT;
import static io.github.kqueueffm.tests.support.KeventCalls.apply;
import static io.github.kqueueffm.tests.support.KeventCalls.applyFails;
import static io.github.kqueueffm.tests.support.KeventCalls.applyWithRoom;
import static io.github.kqueueffm.tests.support.KeventCalls.ch;
import static io.github.kqueueffm.tests.support.KeventCalls.hex;
import static io.github.kqueueffm.tests.support.ProcessSupport.EVENT_WAIT;
import static io.github.kqueueffm.tests.support.ProcessSupport.NO_EVENT_WAIT;
import static io.github.kqueueffm.tests.support.ProcessSupport.exitStatus;
import static io.github.kqueueffm.tests.support.ProcessSupport.signalStatus;
import static io.github.kqueueffm.tests.support.ProcessSupport.waitAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance rows PD (docs/conformance.md#pd): EVFILT_PROCDESC. One test per row. The process
 * descriptor is a pidfd opened with {@link Processes#openDescriptor(Process)} for a
 * {@code sh -c 'read x; exit n'} child blocked on a pipe gate (docs/conformance.md#s1.4); every
 * descriptor is closed with {@link Descriptors#close(int)}, every child killed and waited for.
 *
 * <p>"No event" is a 100 ms wait that returns 0 (docs/conformance.md#s1.2); an exit event is waited
 * for up to 2 s.
 */
class PdConformanceTest {

    /** A child blocked on its gate; {@code release()} makes it {@code exit(code)}. */
    private static Child gated(int code) throws IOException {
        return Child.start("read x; exit " + code);
    }

    private static KEvent single(List<KEvent> events, String what) {
        assertEquals(1, events.size(), "expected exactly one event (" + what + "), got " + events);
        return events.get(0);
    }

    private static KEvent awaitOne(KQueue kq, String what) throws Exception {
        return single(waitAll(kq, EVENT_WAIT, 1), what);
    }

    private static void assertNoEvent(KQueue kq, String when) throws Exception {
        assertEquals(List.of(), waitAll(kq, NO_EVENT_WAIT), "expected no event " + when);
    }

    private static void assertExitEvent(int fd, long data, KEvent e) {
        assertEquals(fd, e.ident(), "ident of " + e);
        assertEquals(EVFILT_PROCDESC, e.filter(), "filter of " + e);
        assertEquals(hex(NOTE_EXIT), hex(e.fflags()), "fflags of " + e);
        assertEquals(data, e.data(), "data (wait status) of " + e);
    }

    /** Asserts that a change fails with {@code errno}: thrown with nevents = 0, EV_ERROR entry with room. */
    private static void assertFails(KQueue kq, Errno errno, KEvent change) throws Exception {
        assertEquals(errno, applyFails(kq, change), "nevents = 0: " + change);
        KEvent e = single(applyWithRoom(kq, 4, change), "EV_ERROR entry for " + change);
        assertEquals(change.ident(), e.ident(), "ident of " + e);
        assertEquals(change.filter(), e.filter(), "filter of " + e);
        assertTrue((e.flags() & EV_ERROR) != 0, "EV_ERROR missing: " + e);
        assertEquals(errno.value(), e.data(), "data of " + e + " (" + Errno.of((int) e.data()) + ")");
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                Descriptors.close(fd);
            } catch (Exception ignored) {
                // already closed
            }
        }
    }

    /** PD-01: EV_ADD with NOTE_EXIT on the descriptor of a live child → no event. */
    @Test
    void PD_01_addOnLiveChildGivesNoEvent() throws Exception {
        int fd = -1;
        try (KQueue kq = KQueue.open(); Child child = gated(0)) {
            fd = child.openDescriptor();
            apply(kq, ch(fd, EVFILT_PROCDESC, EV_ADD, NOTE_EXIT));
            assertNoEvent(kq, "while the child is alive");
        } finally {
            closeQuietly(fd);
        }
    }

    /**
     * PD-02: the child calls {@code exit(3)} → {ident=descriptor, EVFILT_PROCDESC,
     * flags=EV_EOF+EV_ONESHOT+EV_CLEAR, fflags=NOTE_EXIT, data=3 << 8}.
     */
    @Test
    void PD_02_exitThreeGivesExactEvent() throws Exception {
        int fd = -1;
        try (KQueue kq = KQueue.open(); Child child = gated(3)) {
            fd = child.openDescriptor();
            apply(kq, ch(fd, EVFILT_PROCDESC, EV_ADD, NOTE_EXIT));
            child.release();
            KEvent e = awaitOne(kq, "NOTE_EXIT after exit(3)");
            assertExitEvent(fd, exitStatus(3), e);
            assertEquals(hex(EV_EOF | EV_ONESHOT | EV_CLEAR), hex(e.flags()), "flags of " + e);
        } finally {
            closeQuietly(fd);
        }
    }

    /** PD-03: the child is killed with SIGKILL → data = 9. */
    @Test
    void PD_03_sigkillGivesDataNine() throws Exception {
        int fd = -1;
        try (KQueue kq = KQueue.open(); Child child = gated(0)) {
            fd = child.openDescriptor();
            apply(kq, ch(fd, EVFILT_PROCDESC, EV_ADD, NOTE_EXIT));
            child.process().destroyForcibly();
            KEvent e = awaitOne(kq, "NOTE_EXIT after SIGKILL");
            assertEquals(fd, e.ident(), "ident of " + e);
            assertEquals(signalStatus(9), e.data(), "data of " + e);
        }  finally {
            closeQuietly(fd);
        }
    }

    /**
     * PD-04: registration after the child has exited (and the JDK has reaped it) → NOTE_EXIT at
     * once (a poll) with its status, here {@code exit(5)} → 5 << 8.
     */
    @Test
    void PD_04_addAfterExitGivesExitAtOnce() throws Exception {
        int fd = -1;
        try (KQueue kq = KQueue.open(); Child child = gated(5)) {
            fd = child.openDescriptor();
            child.release();
            assertEquals(5, child.awaitExit(), "exit value");
            apply(kq, ch(fd, EVFILT_PROCDESC, EV_ADD, NOTE_EXIT));
            KEvent e = single(waitAll(kq, Duration.ZERO), "poll right after EV_ADD");
            assertExitEvent(fd, exitStatus(5), e);
        } finally {
            closeQuietly(fd);
        }
    }

    /** PD-05: fflags = 0 → no event at exit and the knote is removed (EV_DELETE → ENOENT). */
    @Test
    void PD_05_zeroFflagsGivesNoEventAndKnoteIsRemoved() throws Exception {
        int fd = -1;
        try (KQueue kq = KQueue.open(); Child child = gated(0)) {
            fd = child.openDescriptor();
            apply(kq, ch(fd, EVFILT_PROCDESC, EV_ADD, 0));
            child.release();
            child.awaitExit();
            assertNoEvent(kq, "after the exit of a process watched with fflags = 0");
            assertEquals(Errno.ENOENT, applyFails(kq, ch(fd, EVFILT_PROCDESC, EV_DELETE)));
        } finally {
            closeQuietly(fd);
        }
    }

    /**
     * PD-06: EV_DELETE before the exit → no event; EV_DELETE of a descriptor never registered (a
     * process descriptor of this JVM) → ENOENT.
     */
    @Test
    void PD_06_deleteBeforeExitAndDeleteOfUnregisteredDescriptor() throws Exception {
        int fd = -1;
        int other = -1;
        try (KQueue kq = KQueue.open(); Child child = gated(0)) {
            fd = child.openDescriptor();
            apply(kq, ch(fd, EVFILT_PROCDESC, EV_ADD, NOTE_EXIT));
            apply(kq, ch(fd, EVFILT_PROCDESC, EV_DELETE));
            child.release();
            child.awaitExit();
            assertNoEvent(kq, "after the exit of a deleted registration");
            other = Processes.openDescriptor(ProcessHandle.current());
            assertFails(kq, Errno.ENOENT, ch(other, EVFILT_PROCDESC, EV_DELETE));
        } finally {
            closeQuietly(fd);
            closeQuietly(other);
        }
    }

    /** PD-07: EVFILT_PROCDESC on a descriptor that is not a process descriptor (a pipe) → EINVAL. */
    @Test
    void PD_07_procdescOnPipeIsEinval() throws Exception {
        int[] pipe = Os.pipe();
        try (KQueue kq = KQueue.open()) {
            assertFails(kq, Errno.EINVAL, ch(pipe[0], EVFILT_PROCDESC, EV_ADD, NOTE_EXIT));
            assertFails(kq, Errno.EINVAL, ch(pipe[1], EVFILT_PROCDESC, EV_ADD, NOTE_EXIT));
        } finally {
            Os.closeQuietly(pipe);
        }
    }

    /** PD-08: EVFILT_READ or EVFILT_WRITE on a process descriptor → EINVAL. */
    @Test
    void PD_08_readOrWriteOnProcessDescriptorIsEinval() throws Exception {
        int fd = -1;
        try (KQueue kq = KQueue.open(); Child child = gated(0)) {
            fd = child.openDescriptor();
            assertFails(kq, Errno.EINVAL, ch(fd, EVFILT_READ, EV_ADD));
            assertFails(kq, Errno.EINVAL, ch(fd, EVFILT_WRITE, EV_ADD));
        } finally {
            closeQuietly(fd);
        }
    }

    /** PD-09: EVFILT_PROCDESC on a descriptor number that is not open → EBADF. */
    @Test
    void PD_09_procdescOnClosedNumberIsEbadf() throws Exception {
        try (KQueue kq = KQueue.open()) {
            int unused = KqSupport.unusedDescriptorNumber();
            assertFails(kq, Errno.EBADF, ch(unused, EVFILT_PROCDESC, EV_ADD, NOTE_EXIT));
        }
    }

    /**
     * PD-10: closing the process descriptor removes its knote: a new descriptor with that number
     * (another process descriptor when the number comes back to it, else a pipe end) and EV_DELETE
     * → ENOENT.
     */
    @Test
    void PD_10_closingDescriptorRemovesKnote() throws Exception {
        int fd = -1;
        int again = -1;
        List<Integer> pipes = new ArrayList<>();
        try (KQueue kq = KQueue.open(); Child child = gated(0)) {
            fd = child.openDescriptor();
            apply(kq, ch(fd, EVFILT_PROCDESC, EV_ADD, NOTE_EXIT));
            Descriptors.close(fd);
            again = Processes.openDescriptor(ProcessHandle.current());
            if (again != fd) {
                assertTrue(KqSupport.reuseNumberWithPipes(fd, pipes), "descriptor number " + fd + " was not reused");
            }
            assertFalse(KqSupport.isClosed(fd), "a new descriptor holds number " + fd);
            assertEquals(Errno.ENOENT, applyFails(kq, ch(fd, EVFILT_PROCDESC, EV_DELETE)));
            fd = -1;
        } finally {
            closeQuietly(fd);
            closeQuietly(again);
            KqSupport.closeAll(pipes);
        }
    }

    /** PD-11: two kqueues watching the same descriptor both receive NOTE_EXIT with the status. */
    @Test
    void PD_11_twoKqueuesBothReceiveExit() throws Exception {
        int fd = -1;
        try (KQueue kq1 = KQueue.open(); KQueue kq2 = KQueue.open(); Child child = gated(4)) {
            fd = child.openDescriptor();
            apply(kq1, ch(fd, EVFILT_PROCDESC, EV_ADD, NOTE_EXIT, 0, 1));
            apply(kq2, ch(fd, EVFILT_PROCDESC, EV_ADD, NOTE_EXIT, 0, 2));
            child.release();
            KEvent e1 = awaitOne(kq1, "NOTE_EXIT on kq1");
            KEvent e2 = awaitOne(kq2, "NOTE_EXIT on kq2");
            assertExitEvent(fd, exitStatus(4), e1);
            assertExitEvent(fd, exitStatus(4), e2);
            assertEquals(1, e1.udata(), "udata of " + e1);
            assertEquals(2, e2.udata(), "udata of " + e2);
        } finally {
            closeQuietly(fd);
        }
    }
}
