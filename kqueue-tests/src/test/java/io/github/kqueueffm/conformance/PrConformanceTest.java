package io.github.kqueueffm.conformance;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.tests.support.ProcessSupport;
import io.github.kqueueffm.tests.support.ProcessSupport.Child;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.github.kqueueffm.KEvent.EVFILT_PROC;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_DISABLE;
import static io.github.kqueueffm.KEvent.EV_ENABLE;
import static io.github.kqueueffm.KEvent.EV_EOF;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.NOTE_CHILD;
import static io.github.kqueueffm.KEvent.NOTE_EXEC;
import static io.github.kqueueffm.KEvent.NOTE_EXIT;
import static io.github.kqueueffm.KEvent.NOTE_FORK;
import static io.github.kqueueffm.KEvent.NOTE_TRACK;
import static io.github.kqueueffm.KEvent.NOTE_TRACKERR;
import static io.github.kqueueffm.tests.support.KeventCalls.apply;
import static io.github.kqueueffm.tests.support.KeventCalls.applyFails;
import static io.github.kqueueffm.tests.support.KeventCalls.applyWithRoom;
import static io.github.kqueueffm.tests.support.KeventCalls.ch;
import static io.github.kqueueffm.tests.support.KeventCalls.hex;
import static io.github.kqueueffm.tests.support.ProcessSupport.EVENT_WAIT;
import static io.github.kqueueffm.tests.support.ProcessSupport.NEEDS_NET_ADMIN;
import static io.github.kqueueffm.tests.support.ProcessSupport.NO_EVENT_WAIT;
import static io.github.kqueueffm.tests.support.ProcessSupport.exitStatus;
import static io.github.kqueueffm.tests.support.ProcessSupport.signalStatus;
import static io.github.kqueueffm.tests.support.ProcessSupport.waitAll;
import static io.github.kqueueffm.tests.support.ProcessSupport.wifsignaled;
import static io.github.kqueueffm.tests.support.ProcessSupport.wtermsig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Conformance rows PR (docs/conformance.md#pr): EVFILT_PROC. One test per row, with real child
 * processes started by {@link ProcessBuilder} ({@code sh -c} scripts blocked on a pipe gate,
 * docs/conformance.md#s1.4), a grandchild started through a shell (PR-14), a child spawned behind
 * the JDK's back so that it can stay a zombie (PR-10, PR-11), and fresh JVMs under
 * {@code setpriv(1)} for another user (PR-15) and for a process without CAP_NET_ADMIN (PR-23).
 *
 * <p>"No event" is a 100 ms wait that returns 0 (docs/conformance.md#s1.2, processes are
 * asynchronous). Events that a process must produce are waited for up to 2 s (the wait returns as
 * soon as they arrive). Children are identified with
 * {@link io.github.kqueueffm.Processes#pid(Process)}, which lets the library use
 * {@link Process#exitValue()} as the last fallback for the status (docs/conformance.md#s3.15).
 */
class PrConformanceTest {

    /** A child blocked on its gate; {@code release()} makes it {@code exit(code)}. */
    private static Child gated(int code) throws IOException {
        return Child.start("read x; exit " + code);
    }

    private static KEvent single(List<KEvent> events, String what) {
        assertEquals(1, events.size(), "expected exactly one event (" + what + "), got " + events);
        return events.get(0);
    }

    /** The one event a process exit must produce, waited for up to 2 s. */
    private static KEvent awaitOne(KQueue kq, String what) throws Exception {
        return single(waitAll(kq, EVENT_WAIT, 1), what);
    }

    private static void assertNoEvent(KQueue kq, String when) throws Exception {
        assertEquals(List.of(), waitAll(kq, NO_EVENT_WAIT), "expected no event " + when);
    }

    private static void assertExitEvent(long pid, long data, KEvent e) {
        assertEquals(pid, e.ident(), "ident of " + e);
        assertEquals(EVFILT_PROC, e.filter(), "filter of " + e);
        assertEquals(hex(NOTE_EXIT), hex(e.fflags()), "fflags of " + e);
        assertEquals(data, e.data(), "data (wait status) of " + e);
    }

    private static boolean has(KEvent e, int note) {
        return (e.fflags() & note) != 0;
    }

    private static void assumeProcessConnector() {
        assumeTrue(ProcessSupport.canWatchForkAndExec(), NEEDS_NET_ADMIN);
    }

    /** PR-01: EV_ADD with NOTE_EXIT on a live child → no event. */
    @Test
    void PR_01_addOnLiveChildGivesNoEvent() throws Exception {
        try (KQueue kq = KQueue.open(); Child child = gated(0)) {
            apply(kq, ch(child.ident(), EVFILT_PROC, EV_ADD, NOTE_EXIT));
            assertNoEvent(kq, "while the child is alive");
        }
    }

    /**
     * PR-02: the child is killed with SIGKILL → {ident=pid, EVFILT_PROC,
     * flags=EV_EOF+EV_ONESHOT+EV_CLEAR, fflags=NOTE_EXIT, data=9}.
     */
    @Test
    void PR_02_sigkillGivesExactExitEvent() throws Exception {
        try (KQueue kq = KQueue.open(); Child child = gated(0)) {
            long pid = child.ident();
            apply(kq, ch(pid, EVFILT_PROC, EV_ADD, NOTE_EXIT));
            child.process().destroyForcibly();
            KEvent e = awaitOne(kq, "NOTE_EXIT after SIGKILL");
            assertExitEvent(pid, signalStatus(9), e);
            assertEquals(hex(EV_EOF | EV_ONESHOT | EV_CLEAR), hex(e.flags()), "flags of " + e);
        }
    }

    /** PR-03: the child calls {@code exit(0)} → data = 0. */
    @Test
    void PR_03_exitZeroGivesDataZero() throws Exception {
        try (KQueue kq = KQueue.open(); Child child = gated(0)) {
            long pid = child.ident();
            apply(kq, ch(pid, EVFILT_PROC, EV_ADD, NOTE_EXIT));
            child.release();
            KEvent e = awaitOne(kq, "NOTE_EXIT after exit(0)");
            assertEquals(pid, e.ident(), "ident of " + e);
            assertEquals(0, e.data(), "data of " + e);
        }
    }

    /** PR-04: the child calls {@code exit(64)} → data = 64 << 8 = 16384. */
    @Test
    void PR_04_exitStatus64IsShiftedByEight() throws Exception {
        try (KQueue kq = KQueue.open(); Child child = gated(64)) {
            long pid = child.ident();
            apply(kq, ch(pid, EVFILT_PROC, EV_ADD, NOTE_EXIT));
            child.release();
            KEvent e = awaitOne(kq, "NOTE_EXIT after exit(64)");
            assertEquals(pid, e.ident(), "ident of " + e);
            assertEquals(16384, e.data(), "data of " + e);
        }
    }

    /**
     * PR-05: the child dies from SIGTERM → data satisfies WIFSIGNALED and WTERMSIG = SIGTERM;
     * fflags = NOTE_EXIT only (no NOTE_SIGNAL or other bit).
     */
    @Test
    void PR_05_sigtermDeathIsSignaledStatusWithExitOnly() throws Exception {
        try (KQueue kq = KQueue.open(); Child child = gated(0)) {
            long pid = child.ident();
            apply(kq, ch(pid, EVFILT_PROC, EV_ADD, NOTE_EXIT));
            child.process().destroy(); // SIGTERM
            KEvent e = awaitOne(kq, "NOTE_EXIT after SIGTERM");
            assertEquals(pid, e.ident(), "ident of " + e);
            assertEquals(hex(NOTE_EXIT), hex(e.fflags()), "fflags of " + e);
            assertTrue(wifsignaled(e.data()), "WIFSIGNALED(data) for data " + e.data());
            assertEquals(15, wtermsig(e.data()), "WTERMSIG(data) for data " + e.data());
        }
    }

    /** PR-06: after its NOTE_EXIT event the knote is gone: no second event, and EV_DELETE → ENOENT. */
    @Test
    void PR_06_knoteIsGoneAfterExitEvent() throws Exception {
        try (KQueue kq = KQueue.open(); Child child = gated(0)) {
            long pid = child.ident();
            apply(kq, ch(pid, EVFILT_PROC, EV_ADD, NOTE_EXIT));
            child.release();
            assertExitEvent(pid, 0, awaitOne(kq, "NOTE_EXIT"));
            assertNoEvent(kq, "after the NOTE_EXIT event was returned");
            assertEquals(Errno.ENOENT, applyFails(kq, ch(pid, EVFILT_PROC, EV_DELETE)));
        }
    }

    /**
     * PR-07: EV_ADD with fflags = 0 is accepted; when the process exits no event is returned and
     * the knote is removed silently (EV_DELETE → ENOENT).
     */
    @Test
    void PR_07_zeroFflagsGivesNoEventAndKnoteIsRemoved() throws Exception {
        try (KQueue kq = KQueue.open(); Child child = gated(0)) {
            long pid = child.ident();
            apply(kq, ch(pid, EVFILT_PROC, EV_ADD, 0));
            child.release();
            child.awaitExit();
            assertNoEvent(kq, "after the exit of a process watched with fflags = 0");
            assertEquals(Errno.ENOENT, applyFails(kq, ch(pid, EVFILT_PROC, EV_DELETE)));
        }
    }

    /**
     * PR-08: registered with fflags = 0, then re-added with NOTE_EXIT before the exit → NOTE_EXIT
     * is delivered with data = 0.
     */
    @Test
    void PR_08_readdWithExitArmsTheKnote() throws Exception {
        try (KQueue kq = KQueue.open(); Child child = gated(0)) {
            long pid = child.ident();
            apply(kq, ch(pid, EVFILT_PROC, EV_ADD, 0));
            apply(kq, ch(pid, EVFILT_PROC, EV_ADD, NOTE_EXIT));
            child.release();
            assertExitEvent(pid, 0, awaitOne(kq, "NOTE_EXIT after the re-add"));
        }
    }

    /** PR-09: registered with NOTE_EXIT, then re-added with fflags = 0 → the exit produces no event. */
    @Test
    void PR_09_readdWithZeroFflagsDisarmsTheKnote() throws Exception {
        try (KQueue kq = KQueue.open(); Child child = gated(0)) {
            long pid = child.ident();
            apply(kq, ch(pid, EVFILT_PROC, EV_ADD, NOTE_EXIT));
            apply(kq, ch(pid, EVFILT_PROC, EV_ADD, 0));
            child.release();
            child.awaitExit();
            assertNoEvent(kq, "after the exit of a process re-added with fflags = 0");
        }
    }

    /**
     * PR-10: a child that has exited but is not reaped (zombie): EV_ADD succeeds and NOTE_EXIT
     * with its status is returned at once.
     *
     * <p>The JDK reaps every {@link ProcessBuilder} child at once (docs/conformance.md#s3.15), so
     * the zombie is a child started with {@code posix_spawn(3)} that no JDK thread waits for; it
     * {@code exit(5)}s and stays a zombie (state Z in /proc) until the test reaps it.
     */
    @Test
    void PR_10_zombieChildGivesExitAtOnce() throws Exception {
        int pid = ProcessSupport.spawnUnreaped("exit 5");
        try (KQueue kq = KQueue.open()) {
            assertTrue(ProcessSupport.awaitZombie(pid, EVENT_WAIT), "child " + pid + " did not become a zombie");
            apply(kq, ch(pid, EVFILT_PROC, EV_ADD, NOTE_EXIT));
            KEvent e = single(waitAll(kq, Duration.ZERO), "poll right after EV_ADD on a zombie");
            assertExitEvent(pid, exitStatus(5), e);
            assertEquals('Z', ProcessSupport.state(pid), "the child is still an unreaped zombie");
        } finally {
            ProcessSupport.killAndReap(pid);
        }
    }

    /**
     * PR-11: a pid that does not exist (INT_MAX, or a child already reaped) → ESRCH, both as the
     * error of a call without room (nevents = 0) and as an EV_ERROR entry with data = ESRCH.
     */
    @Test
    void PR_11_nonexistentPidIsEsrch() throws Exception {
        int reaped = ProcessSupport.spawnUnreaped("exit 0");
        try {
            ProcessSupport.reap(reaped);
        } finally {
            ProcessSupport.killAndReap(reaped);
        }
        try (KQueue kq = KQueue.open()) {
            for (long pid : new long[] {Integer.MAX_VALUE, reaped}) {
                assertEquals(Errno.ESRCH, applyFails(kq, ch(pid, EVFILT_PROC, EV_ADD, NOTE_EXIT)), "pid " + pid);
                KEvent e = single(applyWithRoom(kq, 4, ch(pid, EVFILT_PROC, EV_ADD, NOTE_EXIT)),
                        "EV_ERROR entry for pid " + pid);
                assertEquals(pid, e.ident(), "ident of " + e);
                assertEquals(EVFILT_PROC, e.filter(), "filter of " + e);
                assertTrue((e.flags() & EV_ERROR) != 0, "EV_ERROR missing: " + e);
                assertEquals(Errno.ESRCH.value(), e.data(), "data of " + e);
            }
        }
    }

    /** PR-12: the child exits while the knote is disabled; EV_ENABLE → the NOTE_EXIT event is returned. */
    @Test
    void PR_12_exitWhileDisabledIsReturnedAfterEnable() throws Exception {
        try (KQueue kq = KQueue.open(); Child child = gated(0)) {
            long pid = child.ident();
            apply(kq, ch(pid, EVFILT_PROC, EV_ADD, NOTE_EXIT));
            apply(kq, ch(pid, EVFILT_PROC, EV_DISABLE, NOTE_EXIT));
            child.release();
            child.awaitExit();
            assertNoEvent(kq, "while the knote is disabled");
            apply(kq, ch(pid, EVFILT_PROC, EV_ENABLE, NOTE_EXIT));
            KEvent e = awaitOne(kq, "NOTE_EXIT after EV_ENABLE");
            assertEquals(pid, e.ident(), "ident of " + e);
            assertEquals(EVFILT_PROC, e.filter(), "filter of " + e);
            assertTrue(has(e, NOTE_EXIT), "NOTE_EXIT missing: " + e);
        }
    }

    /** PR-13: 32 children exiting together, each watched with NOTE_EXIT → exactly 32 events, one per pid. */
    @Test
    void PR_13_thirtyTwoExitsGiveThirtyTwoEvents() throws Exception {
        List<Child> children = ProcessSupport.startAll(32, "read x; exit 0");
        try (KQueue kq = KQueue.open()) {
            Set<Long> pids = new HashSet<>();
            for (Child c : children) {
                pids.add(c.ident());
                apply(kq, ch(c.ident(), EVFILT_PROC, EV_ADD, NOTE_EXIT));
            }
            for (Child c : children) {
                c.closeGate();
            }
            List<KEvent> events = waitAll(kq, Duration.ofSeconds(4), 32);
            events.addAll(waitAll(kq, NO_EVENT_WAIT));
            assertEquals(32, events.size(), "events: " + events);
            Set<Long> seen = new HashSet<>();
            for (KEvent e : events) {
                assertEquals(EVFILT_PROC, e.filter(), "filter of " + e);
                assertTrue(has(e, NOTE_EXIT), "NOTE_EXIT missing: " + e);
                assertTrue(seen.add(e.ident()), "second event for pid " + e.ident() + ": " + events);
            }
            assertEquals(pids, seen, "one event per watched pid");
        } finally {
            ProcessSupport.closeAll(children);
        }
    }

    /**
     * PR-14: a process that is not our child — a grandchild started by a shell — can be watched:
     * its {@code exit(42)} gives NOTE_EXIT with its wait status, 42 << 8.
     *
     * <p>The shell (our child) starts the grandchild in the background and prints its pid; the
     * grandchild reads its gate from a duplicate of the shell's stdin (an asynchronous list's own
     * stdin is /dev/null). Two cases, as docs/conformance.md#s3.14 distinguishes them:
     * <ol>
     *   <li>the shell never reaps (it execs {@code sleep}), so the grandchild stays a zombie: the
     *       library reads {@code /proc/<pid>/stat}'s exit_code, and the status must be exact on
     *       every kernel;</li>
     *   <li>the shell reaps it at once ({@code wait}): the status must be exact on Linux ≥ 6.15
     *       (PIDFD_INFO_EXIT keeps it after the reap); before 6.15 the library documents
     *       (BEHAVIOUR.md) that it may be 0 when the parent reaps first, so 0 is accepted there —
     *       a difference from FreeBSD, which always has the status.</li>
     * </ol>
     */
    @Test
    void PR_14_grandchildExitIsReportedWithStatus() throws Exception {
        try (KQueue kq = KQueue.open();
             Child keeper = Child.start("exec 3<&0; (read x <&3; exit 42) & echo $!; exec sleep 30");
             Child reaper = Child.start("exec 3<&0; (read x <&3; exit 42) & echo $!; wait $!; read y")) {
            long zombie = grandchildOf(keeper);
            long reaped = grandchildOf(reaper);
            apply(kq, ch(zombie, EVFILT_PROC, EV_ADD, NOTE_EXIT, 0, 1));
            apply(kq, ch(reaped, EVFILT_PROC, EV_ADD, NOTE_EXIT, 0, 2));
            assertNoEvent(kq, "while the grandchildren are alive");

            keeper.release();
            assertExitEvent(zombie, exitStatus(42), awaitOne(kq, "NOTE_EXIT of the unreaped grandchild"));
            assertEquals('Z', ProcessSupport.state(zombie), "the grandchild is still an unreaped zombie");

            reaper.release();
            KEvent e = awaitOne(kq, "NOTE_EXIT of the reaped grandchild");
            assertTrue(ProcessSupport.awaitGone(reaped, EVENT_WAIT), "the shell reaped the grandchild");
            if (ProcessSupport.kernelAtLeast(6, 15)) {
                assertExitEvent(reaped, exitStatus(42), e);
            } else {
                assertEquals(reaped, e.ident(), "ident of " + e);
                assertEquals(hex(NOTE_EXIT), hex(e.fflags()), "fflags of " + e);
                assertTrue(e.data() == exitStatus(42) || e.data() == 0,
                        "data of " + e + ": 42 << 8, or 0 before Linux 6.15 (BEHAVIOUR.md)");
            }
        }
    }

    /** Reads the grandchild pid the shell printed and checks that it is the shell's child. */
    private static long grandchildOf(Child shell) {
        long grandchild = Long.parseLong(shell.readLine(EVENT_WAIT).strip());
        assertEquals(shell.pid(), ProcessHandle.of(grandchild).flatMap(ProcessHandle::parent)
                .map(ProcessHandle::pid).orElse(-1L), "the watched process " + grandchild + " is the shell's child");
        return grandchild;
    }

    /**
     * PR-15: pid 1, owned by another user, can be registered with NOTE_EXIT (no error); pid 1 does
     * not exit, so no event follows.
     *
     * <p>The registration is made here and, because this JVM may itself be root (pid 1's owner),
     * again from a fresh JVM running as user 65534 (nobody) under {@code setpriv(1)}, so that pid 1
     * is certainly another user's process there. That JVM runs from a copy of the class path that
     * user can read, wherever the checkout is.
     */
    @Test
    void PR_15_pidOneOfAnotherUserCanBeWatched() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_PROC, EV_ADD, NOTE_EXIT));
            assertNoEvent(kq, "for pid 1");
        }
        long ownerOfPid1 = ProcessSupport.uidOf(1);
        long me = ProcessSupport.uidOf(ProcessHandle.current().pid());
        if (ownerOfPid1 == me) {
            assumeTrue(ProcessSupport.hasSetpriv(), "pid 1 is owned by this process's user (uid " + me
                    + "), and setpriv(1), needed to register it as another user, is not installed");
            long other = ownerOfPid1 == 65534 ? 65533 : 65534;
            Map<String, String> r = ProcessSupport.runProbeAsUser(other, "pid1", Duration.ofSeconds(4));
            assertEquals(Long.toString(other), r.get("uid"), "probe's uid; output:\n" + r.get("output"));
            assertEquals("OK", r.get("add"), "EV_ADD of pid 1 as uid " + other + "; output:\n" + r.get("output"));
            assertEquals("0", r.get("events"), "events for pid 1; output:\n" + r.get("output"));
        }
    }

    /**
     * PR-16: Java-only: for children started with {@link ProcessBuilder}, NOTE_EXIT carries the
     * right status even though the JDK's reaper thread also waits for them, and
     * {@link Process#exitValue()} still works afterwards.
     *
     * <p>Six children exit with 7, 8, ... 12: the first three are collected while the reaper races
     * the library, the last three only after {@link Process#waitFor()} returned (the reaper has
     * certainly won; the status must come from PIDFD_INFO_EXIT or the {@code Process},
     * docs/conformance.md#s3.15).
     */
    @Test
    void PR_16_exitStatusSurvivesTheJdkReaper() throws Exception {
        List<Child> children = new ArrayList<>();
        try (KQueue kq = KQueue.open()) {
            for (int i = 0; i < 6; i++) {
                children.add(gated(7 + i));
            }
            Map<Long, Integer> codeOf = new HashMap<>();
            for (int i = 0; i < 6; i++) {
                codeOf.put(children.get(i).ident(), 7 + i);
                apply(kq, ch(children.get(i).ident(), EVFILT_PROC, EV_ADD, NOTE_EXIT));
            }
            List<KEvent> events = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                children.get(i).release();
            }
            events.addAll(waitAll(kq, EVENT_WAIT, 3));
            for (int i = 3; i < 6; i++) {
                children.get(i).release();
                children.get(i).awaitExit();
            }
            events.addAll(waitAll(kq, EVENT_WAIT, 6 - events.size()));
            assertEquals(6, events.size(), "events: " + events);
            for (KEvent e : events) {
                Integer code = codeOf.get(e.ident());
                assertNotNull(code, "event for an unknown pid: " + e);
                assertExitEvent(e.ident(), exitStatus(code), e);
            }
            for (int i = 0; i < 6; i++) {
                assertEquals(7 + i, children.get(i).awaitExit(), "Process.exitValue() of " + children.get(i));
            }
        } finally {
            ProcessSupport.closeAll(children);
        }
    }

    /**
     * PR-17: NOTE_FORK: the watched process forks → an event with fflags containing NOTE_FORK and
     * ident = the watched pid; the knote stays: the same registration (NOTE_FORK+NOTE_EXIT) later
     * reports the process's exit.
     */
    @Test
    void PR_17_forkIsReportedAndKnoteStays() throws Exception {
        assumeProcessConnector();
        // (exit 0) is a forked subshell; not the last command, so sh cannot skip the fork
        try (KQueue kq = KQueue.open(); Child child = Child.start("read x; (exit 0); read y; exit 3")) {
            long pid = child.ident();
            apply(kq, ch(pid, EVFILT_PROC, EV_ADD, NOTE_FORK | NOTE_EXIT, 0, 17));
            assertNoEvent(kq, "before the fork");
            child.release();
            KEvent fork = awaitOne(kq, "NOTE_FORK");
            assertEquals(pid, fork.ident(), "ident of " + fork);
            assertEquals(EVFILT_PROC, fork.filter(), "filter of " + fork);
            assertTrue(has(fork, NOTE_FORK), "NOTE_FORK missing: " + fork);
            child.release();
            KEvent exit = awaitOne(kq, "NOTE_EXIT through the same knote");
            assertEquals(pid, exit.ident(), "ident of " + exit);
            assertTrue(has(exit, NOTE_EXIT), "NOTE_EXIT missing: " + exit);
            assertEquals(exitStatus(3), exit.data(), "data of " + exit);
        }
    }

    /**
     * PR-18: NOTE_EXEC: the watched process execs → an event with fflags containing NOTE_EXEC; the
     * knote stays: the same registration (NOTE_EXEC+NOTE_EXIT) later reports the exit of the
     * new program.
     */
    @Test
    void PR_18_execIsReportedAndKnoteStays() throws Exception {
        assumeProcessConnector();
        try (KQueue kq = KQueue.open();
             Child child = Child.start("read x; exec sh -c 'read y; exit 6'")) {
            long pid = child.ident();
            apply(kq, ch(pid, EVFILT_PROC, EV_ADD, NOTE_EXEC | NOTE_EXIT, 0, 18));
            assertNoEvent(kq, "before the exec");
            child.release();
            KEvent exec = awaitOne(kq, "NOTE_EXEC");
            assertEquals(pid, exec.ident(), "ident of " + exec);
            assertEquals(EVFILT_PROC, exec.filter(), "filter of " + exec);
            assertTrue(has(exec, NOTE_EXEC), "NOTE_EXEC missing: " + exec);
            child.release();
            KEvent exit = awaitOne(kq, "NOTE_EXIT through the same knote");
            assertEquals(pid, exit.ident(), "ident of " + exit);
            assertTrue(has(exit, NOTE_EXIT), "NOTE_EXIT missing: " + exit);
            assertEquals(exitStatus(6), exit.data(), "data of " + exit);
        }
    }

    /**
     * PR-19: NOTE_TRACK+NOTE_FORK+NOTE_EXEC+NOTE_EXIT on a child that forks a grandchild which
     * exits: events NOTE_FORK (ident = child), NOTE_CHILD (ident = grandchild, data = child's pid),
     * NOTE_EXIT for the grandchild in a separate event (never combined with NOTE_CHILD), NOTE_EXIT
     * for the child; all with the original udata; nothing else.
     *
     * <p>The grandchild is a forked subshell that exits without exec, so NOTE_EXEC has nothing to
     * report; the child prints its pid. Two gates keep the child's NOTE_FORK and NOTE_EXIT in
     * separate events.
     */
    @Test
    void PR_19_trackReportsForkChildAndBothExits() throws Exception {
        assumeProcessConnector();
        long udata = 0x1900_0000_0019L;
        try (KQueue kq = KQueue.open();
             Child child = Child.start("read x; (exit 3) & echo $!; wait $!; read y; exit 0")) {
            long pid = child.ident();
            apply(kq, ch(pid, EVFILT_PROC, EV_ADD, NOTE_TRACK | NOTE_FORK | NOTE_EXEC | NOTE_EXIT, 0, udata));
            child.release();
            long grandchild = Long.parseLong(child.readLine(EVENT_WAIT).strip());
            List<KEvent> events = waitAll(kq, EVENT_WAIT, 3);
            events.addAll(waitAll(kq, NO_EVENT_WAIT));
            assertEquals(3, events.size(), "after the fork and the grandchild's exit: " + events);
            child.release();
            List<KEvent> last = waitAll(kq, EVENT_WAIT, 1);
            last.addAll(waitAll(kq, NO_EVENT_WAIT));
            assertEquals(1, last.size(), "after the child's exit: " + last);
            events.addAll(last);

            KEvent fork = null;
            KEvent childNote = null;
            KEvent grandchildExit = null;
            KEvent childExit = null;
            for (KEvent e : events) {
                assertEquals(EVFILT_PROC, e.filter(), "filter of " + e);
                assertEquals(udata, e.udata(), "udata of " + e);
                if (e.ident() == pid && has(e, NOTE_FORK) && fork == null) {
                    fork = e;
                } else if (e.ident() == pid && has(e, NOTE_EXIT) && childExit == null) {
                    childExit = e;
                } else if (e.ident() == grandchild && has(e, NOTE_CHILD) && childNote == null) {
                    childNote = e;
                } else if (e.ident() == grandchild && has(e, NOTE_EXIT) && grandchildExit == null) {
                    grandchildExit = e;
                } else {
                    throw new AssertionError("unexpected event " + e + " (child " + pid + ", grandchild "
                            + grandchild + "); all events: " + events);
                }
            }
            assertNotNull(fork, "NOTE_FORK for the child: " + events);
            assertNotNull(childNote, "NOTE_CHILD for the grandchild: " + events);
            assertNotNull(grandchildExit, "NOTE_EXIT for the grandchild: " + events);
            assertNotNull(childExit, "NOTE_EXIT for the child: " + events);
            assertEquals(pid, childNote.data(), "data of the NOTE_CHILD event (parent pid): " + childNote);
            assertFalse(has(childNote, NOTE_EXIT), "NOTE_CHILD combined with NOTE_EXIT: " + childNote);
            assertFalse(has(grandchildExit, NOTE_CHILD), "NOTE_EXIT combined with NOTE_CHILD: " + grandchildExit);
            assertTrue(events.indexOf(childExit) == 3, "the child's NOTE_EXIT comes last: " + events);
        }
    }

    /**
     * PR-20: NOTE_TRACKERR: when the knote for a new child cannot be created (project knote
     * limit reached: a kqueue holding at most 1 knote), the parent's event carries NOTE_TRACKERR
     * and no NOTE_CHILD event follows.
     */
    @Test
    void PR_20_trackErrWhenChildKnoteCannotBeCreated() throws Exception {
        assumeProcessConnector();
        try (KQueue kq = KQueue.open(1);
             Child child = Child.start("read x; (exit 3); read y; exit 0")) {
            long pid = child.ident();
            apply(kq, ch(pid, EVFILT_PROC, EV_ADD, NOTE_TRACK | NOTE_FORK | NOTE_EXIT));
            child.release();
            List<KEvent> events = waitAll(kq, EVENT_WAIT, 1);
            events.addAll(waitAll(kq, NO_EVENT_WAIT));
            KEvent fork = single(events, "the parent's fork event");
            assertEquals(pid, fork.ident(), "ident of " + fork);
            assertTrue(has(fork, NOTE_TRACKERR), "NOTE_TRACKERR missing: " + fork);
            child.release();
            List<KEvent> after = waitAll(kq, EVENT_WAIT, 1);
            after.addAll(waitAll(kq, NO_EVENT_WAIT));
            KEvent exit = single(after, "the parent's exit event (and no NOTE_CHILD)");
            assertEquals(pid, exit.ident(), "ident of " + exit);
            assertTrue(has(exit, NOTE_EXIT), "NOTE_EXIT missing: " + exit);
            assertFalse(has(exit, NOTE_CHILD), "NOTE_CHILD: " + exit);
        }
    }

    /**
     * PR-21: registered with NOTE_FORK only: when the process exits, no event is returned and the
     * knote is removed (EV_DELETE → ENOENT).
     */
    @Test
    void PR_21_forkOnlyKnoteIsRemovedSilentlyAtExit() throws Exception {
        assumeProcessConnector();
        try (KQueue kq = KQueue.open(); Child child = gated(0)) {
            long pid = child.ident();
            apply(kq, ch(pid, EVFILT_PROC, EV_ADD, NOTE_FORK));
            child.release();
            child.awaitExit();
            assertNoEvent(kq, "after the exit of a process watched with NOTE_FORK only");
            assertEquals(Errno.ENOENT, applyFails(kq, ch(pid, EVFILT_PROC, EV_DELETE)));
        }
    }

    /**
     * PR-22: pid reuse: after a watched pid's NOTE_EXIT, a new process that gets the same pid does
     * not trigger anything through the old registration.
     *
     * <p>Child A ({@code exit(3)}) is watched on two kqueues; kq1 collects A's NOTE_EXIT before the
     * pid is reused, kq2 only afterwards. Child B gets A's pid (by writing
     * {@code /proc/sys/kernel/ns_last_pid}) and is handed to the library like A
     * ({@code Processes.pid}), then {@code exit(5)}s: kq1 returns nothing, kq2 returns exactly A's
     * event (data = 3 << 8, not B's status), never one for B.
     *
     * <p>Linux only: choosing the next pid through {@code ns_last_pid} is a Linux facility.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void PR_22_reusedPidDoesNotTriggerOldRegistration() throws Exception {
        assumeTrue(Files.isWritable(ProcessSupport.NS_LAST_PID), "choosing the next pid through "
                + ProcessSupport.NS_LAST_PID + " needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE");
        Child b = null;
        try (KQueue kq1 = KQueue.open(); KQueue kq2 = KQueue.open(); Child a = gated(3)) {
            long pid = a.ident();
            apply(kq1, ch(pid, EVFILT_PROC, EV_ADD, NOTE_EXIT, 0, 1));
            apply(kq2, ch(pid, EVFILT_PROC, EV_ADD, NOTE_EXIT, 0, 2));
            a.release();
            assertExitEvent(pid, exitStatus(3), awaitOne(kq1, "A's NOTE_EXIT on kq1"));
            a.awaitExit();
            assertTrue(ProcessSupport.awaitGone(pid, EVENT_WAIT), "A was not reaped");
            b = ProcessSupport.startWithPid(pid, "read x; exit 5", 50);
            assumeTrue(b != null, "other processes of this machine took pid " + pid + " 50 times in a row");
            assertEquals(pid, b.ident(), "B's pid (B is handed to the library like A)");
            Process bp = b.process();
            b.release();
            assertTrue(bp.waitFor(5, java.util.concurrent.TimeUnit.SECONDS), "B did not exit");
            assertNoEvent(kq1, "on kq1 after B (same pid) exited");
            KEvent e = single(waitAll(kq2, EVENT_WAIT, 1), "A's NOTE_EXIT on kq2");
            assertExitEvent(pid, exitStatus(3), e);
            assertEquals(2, e.udata(), "udata of " + e);
            assertNoEvent(kq2, "on kq2 after A's event");
        } finally {
            if (b != null) {
                b.close();
            }
        }
    }

    /**
     * PR-23: project rule: without CAP_NET_ADMIN, registering NOTE_FORK, NOTE_EXEC or NOTE_TRACK →
     * EPERM (as the call's error with nevents = 0, and as an EV_ERROR entry when combined with
     * NOTE_EXIT and there is room), and NOTE_EXIT-only registrations are unaffected (the exit is
     * reported with its status and udata).
     *
     * <p>The rule rests on a platform fact that newer kernels dropped: the process-events
     * connector used to refuse subscribers without CAP_NET_ADMIN, and on recent kernels (6.18
     * here) it accepts them. The library refuses exactly when the kernel does (BEHAVIOUR.md), so
     * this test asks the kernel first, in the same unprivileged JVM, and expects EPERM only where
     * the kernel answers EPERM, and success where it lets the subscription through.
     *
     * <p>When this JVM has CAP_NET_ADMIN (root), the checks run in a fresh JVM started under
     * {@code setpriv --bounding-set -net_admin --inh-caps -net_admin}, which has no CAP_NET_ADMIN.
     * FreeBSD has no such restriction (BEHAVIOUR.md).
     *
     * <p>Linux only: the process-events connector and CAP_NET_ADMIN are Linux platform facts.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void PR_23_withoutNetAdminForkExecTrackAreEperm() throws Exception {
        List<String> wrapper;
        if (ProcessSupport.hasEffectiveCapability(ProcessSupport.CAP_NET_ADMIN)) {
            assumeTrue(ProcessSupport.hasSetpriv(), "this process has CAP_NET_ADMIN, and setpriv(1), needed to "
                    + "run the check without it, is not installed");
            wrapper = List.of("setpriv", "--bounding-set", "-net_admin", "--inh-caps", "-net_admin", "--");
        } else {
            wrapper = List.of();
        }
        Map<String, String> r = ProcessSupport.runProbe(wrapper, "nonetadmin", Duration.ofSeconds(5));
        String out = "; probe output:\n" + r.get("output");
        assertEquals("none", r.get("capeff"), "the probe must run without CAP_NET_ADMIN" + out);
        String kernel = r.get("kernel");
        assertTrue(kernel.equals("OK") || kernel.equals("EPERM"), "the kernel's own answer" + out);
        String expected = kernel.equals("OK") ? "OK" : "EPERM";
        String expectedWithRoom = kernel.equals("OK") ? "none" : "EPERM"; // success writes no entry
        assertEquals(expected, r.get("fork"), "NOTE_FORK" + out);
        assertEquals(expected, r.get("exec"), "NOTE_EXEC" + out);
        assertEquals(expected, r.get("track"), "NOTE_TRACK" + out);
        assertEquals(expectedWithRoom, r.get("forkExitRoom"), "NOTE_FORK+NOTE_EXIT with room" + out);
        assertEquals(expectedWithRoom, r.get("execExitRoom"), "NOTE_EXEC+NOTE_EXIT with room" + out);
        assertEquals(expectedWithRoom, r.get("trackExitRoom"), "NOTE_TRACK+NOTE_FORK+NOTE_EXIT with room" + out);
        assertEquals("OK", r.get("exitOnly"), "NOTE_EXIT only" + out);
        assertEquals("ident=pid,filter=" + EVFILT_PROC + ",fflags=0x" + Integer.toHexString(NOTE_EXIT)
                + ",data=" + exitStatus(9) + ",udata=23", r.get("event"), "the NOTE_EXIT event" + out);
    }

    /** Repetitions of each PR-24 sequence: its outcome must not depend on timing. */
    private static final int PR_24_RUNS = 20;

    /**
     * PR-24, sequence 1: EV_ADD NOTE_EXIT, the child exits, EV_ADD of the same knote with fflags 0
     * before any call collects → the exit is still returned once (NOTE_EXIT, EV_EOF and EV_ONESHOT,
     * the status in data): FreeBSD's filt_proc recorded it at the exit with the fflags of that
     * moment, and the later change replaces sfflags, not the recorded fflags. Repeated 20 times.
     */
    @Test
    void PR_24_exitRecordedBeforeAChangeIsReturned() throws Exception {
        for (int run = 0; run < PR_24_RUNS; run++) {
            try (KQueue kq = KQueue.open(); Child child = gated(7)) {
                long pid = child.ident();
                apply(kq, ch(pid, EVFILT_PROC, EV_ADD, NOTE_EXIT));
                child.release();
                assertEquals(7, child.process().waitFor(), "run " + run + ": the child's exit");
                apply(kq, ch(pid, EVFILT_PROC, EV_ADD, 0));
                KEvent e = awaitOne(kq, "run " + run + ": NOTE_EXIT recorded before the change");
                assertExitEvent(pid, exitStatus(7), e);
                assertEquals(hex(EV_EOF | EV_ONESHOT), hex(e.flags() & (EV_EOF | EV_ONESHOT)), "flags of " + e);
                assertNoEvent(kq, "run " + run + ": after the exit's one event");
            }
        }
    }

    /**
     * PR-24, sequence 2: EV_ADD NOTE_EXIT, EV_DISABLE with fflags 0, the child exits, EV_ENABLE with
     * NOTE_EXIT → no event, and the knote is gone: the exit was judged when it happened, with
     * fflags 0, so it was an EV_DROP. The same whether or not a call with room for events ran
     * between the exit and the enable (both orders, 20 times each).
     */
    @Test
    void PR_24_exitWhileNothingWasAskedIsDroppedWhateverTheTiming() throws Exception {
        for (int run = 0; run < 2 * PR_24_RUNS; run++) {
            boolean collectInBetween = run % 2 == 1;
            try (KQueue kq = KQueue.open(); Child child = gated(0)) {
                long pid = child.ident();
                apply(kq, ch(pid, EVFILT_PROC, EV_ADD, NOTE_EXIT));
                apply(kq, ch(pid, EVFILT_PROC, EV_DISABLE, 0));
                child.release();
                assertEquals(0, child.process().waitFor(), "run " + run + ": the child's exit");
                if (collectInBetween) {
                    assertEquals(List.of(), waitAll(kq, Duration.ZERO), "run " + run + ": the knote is disabled");
                }
                apply(kq, ch(pid, EVFILT_PROC, EV_ENABLE, NOTE_EXIT));
                assertNoEvent(kq, "run " + run + " (collected in between: " + collectInBetween
                        + "): an exit judged with fflags 0");
                assertEquals(Errno.ENOENT, applyFails(kq, ch(pid, EVFILT_PROC, EV_DELETE)),
                        "run " + run + ": the dropped knote is gone");
            }
        }
    }

    /**
     * PR-24 (and VN-36's note on EVFILT_PROC): a fork reported by the process connector is judged
     * with the fflags in force at the fork. EV_ADD NOTE_FORK|NOTE_EXIT, the child forks, EV_ADD of
     * the same knote with NOTE_EXIT only before any call collects → one event with NOTE_FORK.
     */
    @Test
    void PR_24_forkRecordedBeforeAChangeIsReturned() throws Exception {
        assumeProcessConnector();
        for (int run = 0; run < PR_24_RUNS; run++) {
            // (exit 0) is a forked subshell; the echo comes after the fork returned
            try (KQueue kq = KQueue.open(); Child child = Child.start("read x; (exit 0); echo forked; read y; exit 0")) {
                long pid = child.ident();
                apply(kq, ch(pid, EVFILT_PROC, EV_ADD, NOTE_FORK | NOTE_EXIT));
                child.release();
                assertEquals("forked", child.readLine(EVENT_WAIT), "run " + run);
                apply(kq, ch(pid, EVFILT_PROC, EV_ADD, NOTE_EXIT));
                KEvent fork = awaitOne(kq, "run " + run + ": NOTE_FORK recorded before the change");
                assertTrue(has(fork, NOTE_FORK), "NOTE_FORK missing: " + fork);
            }
        }
    }
}
