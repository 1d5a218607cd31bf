package io.github.kqueueffm.conformance;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.tests.support.Os;
import io.github.kqueueffm.tests.support.StandardActivation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_DISABLE;
import static io.github.kqueueffm.KEvent.EV_DISPATCH;
import static io.github.kqueueffm.KEvent.EV_ENABLE;
import static io.github.kqueueffm.KEvent.EV_EOF;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_FORCEONESHOT;
import static io.github.kqueueffm.KEvent.EV_KEEPUDATA;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.EV_RECEIPT;
import static io.github.kqueueffm.KEvent.NOTE_ATTRIB;
import static io.github.kqueueffm.KEvent.NOTE_EXIT;
import static io.github.kqueueffm.KEvent.NOTE_LOWAT;
import static io.github.kqueueffm.KEvent.NOTE_TRIGGER;
import static io.github.kqueueffm.tests.support.KeventCalls.NO_EVENT_WAIT;
import static io.github.kqueueffm.tests.support.KeventCalls.apply;
import static io.github.kqueueffm.tests.support.KeventCalls.applyFails;
import static io.github.kqueueffm.tests.support.KeventCalls.applyWithRoom;
import static io.github.kqueueffm.tests.support.KeventCalls.ch;
import static io.github.kqueueffm.tests.support.KeventCalls.poll;
import static io.github.kqueueffm.tests.support.KeventCalls.waitEvents;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance rows FL (docs/conformance.md#fl): generic flag semantics, udata, ext. One test per
 * row; bracketed rows run once per listed filter with the standard activation of
 * docs/conformance.md#s1.4 ({@link StandardActivation}).
 */
class FlConformanceTest {
    private static final Duration EVENT_WAIT = Duration.ofSeconds(1);

    // ------------------------------------------------------------------ helpers

    private static KEvent single(List<KEvent> events) {
        assertEquals(1, events.size(), "expected exactly one event, got " + events);
        return events.get(0);
    }

    private static void assertNoEvent(KQueue kq, Duration timeout) throws Exception {
        List<KEvent> events = waitEvents(kq, timeout);
        assertEquals(List.of(), events, "expected no event");
    }

    private static void assertHas(KEvent e, int bit, String name) {
        assertTrue((e.flags() & bit) != 0, name + " missing in flags 0x" + Integer.toHexString(e.flags()) + " of " + e);
    }

    private static void assertLacks(KEvent e, int bit, String name) {
        assertEquals(0, e.flags() & bit, name + " present in flags 0x" + Integer.toHexString(e.flags()) + " of " + e);
    }

    private static void assertIs(StandardActivation.Fixture f, KEvent e) {
        assertEquals(f.ident(), e.ident(), "ident of " + e);
        assertEquals(f.filter(), e.filter(), "filter of " + e);
    }

    private static void write(int fd, int n) {
        assertEquals(n, Os.write(fd, n), "write(2) of " + n + " bytes");
    }

    // ------------------------------------------------------------------ rows

    /** FL-01: EV_ADD on an existing (ident, filter) modifies it: one activation, one event. */
    @ParameterizedTest
    @EnumSource(value = StandardActivation.class, names = {"RD", "US", "SG", "TM"})
    void FL_01_addOnExistingKnoteModifiesInsteadOfAddingSecond(StandardActivation tag) throws Exception {
        try (KQueue kq = KQueue.open(); StandardActivation.Fixture f = tag.open()) {
            f.add(kq, 0, 1);
            f.add(kq, 0, 2);
            f.activate(kq);
            KEvent e = single(waitEvents(kq, f.eventTimeout()));
            assertIs(f, e);
            assertEquals(2, e.udata());
            if (tag == StandardActivation.RD) {
                // level-triggered: the one knote is returned again, still alone
                single(poll(kq));
            } else {
                assertNoEvent(kq, NO_EVENT_WAIT);
            }
        }
    }

    /** FL-02: a re-add (US: a bare NOTE_TRIGGER) carrying udata 0 replaces the stored udata. */
    @ParameterizedTest
    @EnumSource(value = StandardActivation.class, names = {"RD", "WR", "TM", "US", "SG", "PR", "VN"})
    void FL_02_readdWithUdataZeroClobbersUdata(StandardActivation tag) throws Exception {
        try (KQueue kq = KQueue.open(); StandardActivation.Fixture f = tag.open()) {
            f.add(kq, 0, 0xABCDEF01L);
            if (tag == StandardActivation.US) {
                apply(kq, ch(f.ident(), EVFILT_USER, 0, NOTE_TRIGGER, 0, 0));
            } else {
                f.add(kq, 0, 0);
                f.activate(kq);
            }
            KEvent e = single(waitEvents(kq, f.eventTimeout()));
            assertIs(f, e);
            assertEquals(0, e.udata(), "udata after a re-add with udata 0");
        }
    }

    /**
     * FL-03: a re-add replaces NOTE_LOWAT/data of an EVFILT_READ knote on a TCP socket: with
     * NOTE_LOWAT 16, 15 queued bytes give no event and 16 do; re-added without NOTE_LOWAT, 1 byte
     * fires.
     */
    @Test
    void FL_03_readdReplacesFilterParameters() throws Exception {
        try (KQueue kq = KQueue.open(); Os.TcpPair tcp = Os.tcpPair()) {
            int fd = tcp.serverFd();
            int peer = tcp.clientFd();
            apply(kq, ch(fd, EVFILT_READ, EV_ADD));
            apply(kq, ch(fd, EVFILT_READ, EV_ADD, NOTE_LOWAT, 16, 0));
            write(peer, 15);
            assertNoEvent(kq, NO_EVENT_WAIT);
            assertEquals(15, Os.readable(fd), "the 15 bytes have arrived");
            write(peer, 1);
            KEvent e = single(waitEvents(kq, EVENT_WAIT));
            assertEquals(fd, e.ident());
            assertEquals(16, e.data());

            apply(kq, ch(fd, EVFILT_READ, EV_ADD));
            assertEquals(16, Os.read(fd, 64));
            write(peer, 1);
            e = single(waitEvents(kq, EVENT_WAIT));
            assertEquals(fd, e.ident());
            assertEquals(1, e.data());
        }
    }

    /**
     * FL-04: a re-add does not change sticky flags: a pipe knote at EOF re-added with EV_CLEAR
     * stays level-triggered; a periodic timer re-added with EV_ONESHOT stays periodic.
     */
    @Test
    void FL_04_readdKeepsStickyFlags() throws Exception {
        try (KQueue kq = KQueue.open()) {
            int[] p = Os.pipe();
            try {
                apply(kq, ch(p[0], EVFILT_READ, EV_ADD));
                Os.close(p[1]);
                KEvent e = single(poll(kq));
                assertHas(e, EV_EOF, "EV_EOF");
                apply(kq, ch(p[0], EVFILT_READ, EV_ADD | EV_CLEAR));
                for (int i = 0; i < 2; i++) {
                    e = single(poll(kq));
                    assertEquals(p[0], e.ident());
                    assertHas(e, EV_EOF, "EV_EOF");
                    assertLacks(e, EV_CLEAR, "EV_CLEAR");
                }
            } finally {
                Os.closeQuietly(p[0]);
            }

            apply(kq, ch(1, EVFILT_TIMER, EV_ADD, 0, 50, 0));
            apply(kq, ch(1, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 50, 0));
            for (int i = 0; i < 2; i++) {
                KEvent t = single(waitEvents(kq, EVENT_WAIT));
                assertEquals(1, t.ident());
                assertEquals(EVFILT_TIMER, t.filter());
                assertLacks(t, EV_ONESHOT, "EV_ONESHOT");
            }
            apply(kq, ch(1, EVFILT_TIMER, EV_DELETE));
        }
    }

    /** FL-05: EV_ADD+EV_DISABLE creates a disabled knote: no event until EV_ENABLE. */
    @Test
    void FL_05_addDisabledCreatesDisabledKnote() throws Exception {
        try (KQueue kq = KQueue.open()) {
            int[] p = Os.pipe();
            try {
                write(p[1], 1);
                apply(kq, ch(p[0], EVFILT_READ, EV_ADD | EV_DISABLE));
                assertNoEvent(kq, Duration.ZERO);
                write(p[1], 1);
                assertNoEvent(kq, Duration.ZERO);
                apply(kq, ch(p[0], EVFILT_READ, EV_ENABLE));
                KEvent e = single(poll(kq));
                assertEquals(p[0], e.ident());
                assertEquals(EVFILT_READ, e.filter());
                assertEquals(2, e.data());
            } finally {
                Os.closeQuietly(p);
            }
        }
    }

    /** FL-06: EV_DISABLE suppresses delivery but the filter keeps tracking; EV_ENABLE returns it. */
    @ParameterizedTest
    @EnumSource(value = StandardActivation.class, names = {"RD", "WR", "TM", "US", "SG", "VN"})
    void FL_06_disableSuppressesButKeepsTracking(StandardActivation tag) throws Exception {
        try (KQueue kq = KQueue.open(); StandardActivation.Fixture f = tag.open()) {
            f.add(kq, 0, 0);
            f.apply(kq, EV_DISABLE, 0);
            f.activate(kq);
            assertNoEvent(kq, f.noEventTimeout());
            f.apply(kq, EV_ENABLE, 0);
            KEvent e = single(waitEvents(kq, f.eventTimeout()));
            assertIs(f, e);
            f.assertDataAfterOneActivation(e.data());
            f.assertNotes(e.fflags());
        }
    }

    /** FL-07: EV_DISABLE after activation but before the poll removes the queued event. */
    @ParameterizedTest
    @EnumSource(value = StandardActivation.class, names = {"RD", "WR", "TM", "US", "SG", "PR", "VN"})
    void FL_07_disableRemovesQueuedEvent(StandardActivation tag) throws Exception {
        try (KQueue kq = KQueue.open(); StandardActivation.Fixture f = tag.open()) {
            f.add(kq, 0, 0);
            f.activate(kq);
            f.apply(kq, EV_DISABLE, 0);
            assertNoEvent(kq, f.noEventTimeout());
        }
    }

    /**
     * FL-08: EV_ENABLE re-evaluates at once: timer expiries, a user trigger, a signal count, vnode
     * fflags and a process exit recorded while disabled are returned by the next poll without new
     * activity. The signal, vnode and process knotes are the standard ones of
     * docs/conformance.md#s1.4 ({@link StandardActivation} SG, VN, PR), each activated once while
     * disabled; "no event" while disabled is checked as docs/conformance.md#s1.2 says for each
     * source.
     */
    @Test
    void FL_08_enableReevaluatesActivityRecordedWhileDisabled() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_TIMER, EV_ADD, 0, 50, 0), ch(1, EVFILT_TIMER, EV_DISABLE));
            Thread.sleep(300);
            assertNoEvent(kq, Duration.ZERO);
            apply(kq, ch(1, EVFILT_TIMER, EV_ENABLE));
            KEvent t = single(poll(kq));
            assertEquals(1, t.ident());
            assertEquals(EVFILT_TIMER, t.filter());
            assertTrue(t.data() >= 2, "expiries counted while disabled: data " + t.data());
            apply(kq, ch(1, EVFILT_TIMER, EV_DELETE));

            apply(kq, ch(2, EVFILT_USER, EV_ADD | EV_CLEAR), ch(2, EVFILT_USER, EV_DISABLE));
            apply(kq, ch(2, EVFILT_USER, 0, NOTE_TRIGGER));
            assertNoEvent(kq, Duration.ZERO);
            apply(kq, ch(2, EVFILT_USER, EV_ENABLE));
            KEvent u = single(poll(kq));
            assertEquals(2, u.ident());
            assertEquals(EVFILT_USER, u.filter());
            apply(kq, ch(2, EVFILT_USER, EV_DELETE));

            for (StandardActivation tag : new StandardActivation[] {
                StandardActivation.SG, StandardActivation.VN, StandardActivation.PR}) {
                try (StandardActivation.Fixture f = tag.open()) {
                    f.add(kq, EV_DISABLE, 0);
                    f.activate(kq);
                    assertNoEvent(kq, f.noEventTimeout());
                    f.apply(kq, EV_ENABLE, 0);
                    KEvent e = single(poll(kq));
                    assertIs(f, e);
                    switch (tag) {
                        case SG -> assertEquals(1, e.data(), "SG: signal count recorded while disabled");
                        case VN -> {
                            assertEquals(NOTE_ATTRIB, e.fflags(), "VN: fflags recorded while disabled");
                            assertEquals(0, e.data(), "VN: data");
                        }
                        case PR -> {
                            assertEquals(NOTE_EXIT, e.fflags(), "PR: the exit recorded while disabled");
                            assertEquals(0, e.data(), "PR: wait status of exit(0)");
                            assertHas(e, EV_EOF, "EV_EOF");
                            assertHas(e, EV_ONESHOT, "EV_ONESHOT");
                        }
                        default -> throw new IllegalStateException(tag.name());
                    }
                    if (tag != StandardActivation.PR) {
                        f.apply(kq, EV_DELETE, 0);
                    }
                }
            }
        }
    }

    /** FL-09: EV_DELETE removes the knote: later activity produces no event. */
    @ParameterizedTest
    @EnumSource(value = StandardActivation.class, names = {"RD", "WR", "TM", "US", "SG", "PR", "VN"})
    void FL_09_deleteRemovesKnote(StandardActivation tag) throws Exception {
        try (KQueue kq = KQueue.open(); StandardActivation.Fixture f = tag.open()) {
            f.add(kq, 0, 0);
            f.apply(kq, EV_DELETE, 0);
            if (f.activationIsChange()) {
                // the trigger names the deleted knote (US-21)
                assertEquals(Errno.ENOENT, applyFails(kq, ch(f.ident(), f.filter(), 0, NOTE_TRIGGER)));
            } else {
                f.activate(kq);
            }
            assertNoEvent(kq, f.noEventTimeout());
        }
    }

    /** FL-10: EV_DELETE after activation but before the poll removes the queued event. */
    @ParameterizedTest
    @EnumSource(value = StandardActivation.class, names = {"RD", "WR", "TM", "US", "SG", "PR", "VN"})
    void FL_10_deleteRemovesQueuedEvent(StandardActivation tag) throws Exception {
        try (KQueue kq = KQueue.open(); StandardActivation.Fixture f = tag.open()) {
            f.add(kq, 0, 0);
            f.activate(kq);
            f.apply(kq, EV_DELETE, 0);
            assertNoEvent(kq, f.noEventTimeout());
        }
    }

    /** FL-11: EV_DELETE, EV_ENABLE or EV_DISABLE of a never-registered (ident, filter) → ENOENT. */
    @ParameterizedTest
    @EnumSource(value = StandardActivation.class, names = {"RD", "WR", "TM", "US", "SG", "PR", "VN"})
    void FL_11_changeOnUnregisteredKnoteIsEnoent(StandardActivation tag) throws Exception {
        try (KQueue kq = KQueue.open(); StandardActivation.Fixture f = tag.open()) {
            for (int action : new int[] {EV_DELETE, EV_ENABLE, EV_DISABLE}) {
                assertEquals(Errno.ENOENT, applyFails(kq, f.change(action, 0)),
                        "action 0x" + Integer.toHexString(action));
            }
            for (int action : new int[] {EV_DELETE, EV_ENABLE, EV_DISABLE}) {
                KEvent entry = single(applyWithRoom(kq, 1, f.change(action, 0x55)));
                assertIs(f, entry);
                assertHas(entry, EV_ERROR, "EV_ERROR");
                assertEquals(Errno.ENOENT.value(), entry.data(), "EV_ERROR data of action 0x" + Integer.toHexString(action));
            }
            assertNoEvent(kq, Duration.ZERO);
        }
    }

    /** FL-12: EV_ONESHOT: the first event carries EV_ONESHOT, then the knote is gone. */
    @ParameterizedTest
    @EnumSource(value = StandardActivation.class, names = {"RD", "WR", "US", "SG"})
    void FL_12_oneshotDeliversOnceThenDeletes(StandardActivation tag) throws Exception {
        try (KQueue kq = KQueue.open(); StandardActivation.Fixture f = tag.open()) {
            f.add(kq, EV_ONESHOT, 0);
            f.activate(kq);
            KEvent e = single(waitEvents(kq, f.eventTimeout()));
            assertIs(f, e);
            assertHas(e, EV_ONESHOT, "EV_ONESHOT");
            if (f.activationIsChange()) {
                assertEquals(Errno.ENOENT, applyFails(kq, ch(f.ident(), f.filter(), 0, NOTE_TRIGGER)));
            } else {
                f.activate(kq);
            }
            assertNoEvent(kq, f.noEventTimeout());
            assertEquals(Errno.ENOENT, applyFails(kq, f.change(EV_DELETE, 0)));
        }
    }

    /**
     * FL-13: EV_CLEAR resets the state after retrieval (socket: 2 bytes, event, read 1 byte → no
     * event; more data → event).
     */
    @Test
    void FL_13_clearResetsStateAfterRetrieval() throws Exception {
        try (KQueue kq = KQueue.open()) {
            int[] s = Os.socketpair();
            try {
                apply(kq, ch(s[0], EVFILT_READ, EV_ADD | EV_CLEAR));
                write(s[1], 2);
                KEvent e = single(poll(kq));
                assertEquals(s[0], e.ident());
                assertEquals(2, e.data());
                assertNoEvent(kq, Duration.ZERO);
                assertEquals(1, Os.read(s[0], 1));
                assertNoEvent(kq, Duration.ZERO);
                write(s[1], 1);
                e = single(poll(kq));
                assertEquals(s[0], e.ident());
                assertEquals(2, e.data());
            } finally {
                Os.closeQuietly(s);
            }
        }
    }

    /** FL-14: without EV_CLEAR a socket at EOF is returned by every call. */
    @Test
    void FL_14_levelTriggeredEofReturnedByEveryCall() throws Exception {
        try (KQueue kq = KQueue.open()) {
            int[] s = Os.socketpair();
            try {
                apply(kq, ch(s[0], EVFILT_READ, EV_ADD));
                Os.close(s[1]);
                for (int i = 0; i < 2; i++) {
                    KEvent e = single(poll(kq));
                    assertEquals(s[0], e.ident());
                    assertHas(e, EV_EOF, "EV_EOF");
                }
            } finally {
                Os.closeQuietly(s[0]);
            }
        }
    }

    /**
     * FL-15: EV_DISPATCH disables (not deletes) after each event: further activity gives no
     * event, EV_ENABLE re-arms, every event carries EV_DISPATCH, EV_DELETE of the disabled knote
     * succeeds. TM uses a periodic 50 ms timer (a one-shot timer would be deleted, FL-18).
     */
    @ParameterizedTest
    @EnumSource(value = StandardActivation.class, names = {"RD", "WR", "TM", "US", "SG", "VN"})
    void FL_15_dispatchDisablesAfterEachEvent(StandardActivation tag) throws Exception {
        try (KQueue kq = KQueue.open(); StandardActivation.Fixture f = tag.openRepeating()) {
            f.add(kq, EV_DISPATCH, 0);
            f.activate(kq);
            KEvent e = single(waitEvents(kq, f.eventTimeout()));
            assertIs(f, e);
            assertHas(e, EV_DISPATCH, "EV_DISPATCH");
            f.activate(kq);
            assertNoEvent(kq, f.noEventTimeout());
            f.apply(kq, EV_ENABLE, 0);
            e = single(waitEvents(kq, f.eventTimeout()));
            assertIs(f, e);
            assertHas(e, EV_DISPATCH, "EV_DISPATCH");
            assertNoEvent(kq, f.noEventTimeout());
            f.apply(kq, EV_DELETE, 0);
            assertEquals(Errno.ENOENT, applyFails(kq, f.change(EV_DELETE, 0)), "the knote was deleted");
        }
    }

    /** FL-16: EV_DISPATCH without EV_CLEAR: EV_ENABLE returns a still-true condition with the same data. */
    @Test
    void FL_16_dispatchWithoutClearRedeliversHeldCondition() throws Exception {
        try (KQueue kq = KQueue.open()) {
            int[] s = Os.socketpair();
            try {
                apply(kq, ch(s[0], EVFILT_READ, EV_ADD | EV_DISPATCH));
                write(s[1], 1);
                KEvent e = single(poll(kq));
                assertEquals(1, e.data());
                assertNoEvent(kq, Duration.ZERO);
                apply(kq, ch(s[0], EVFILT_READ, EV_ENABLE));
                e = single(poll(kq));
                assertEquals(s[0], e.ident());
                assertEquals(1, e.data());
                assertHas(e, EV_DISPATCH, "EV_DISPATCH");
            } finally {
                Os.closeQuietly(s);
            }
        }
    }

    /** FL-17: EV_DISPATCH+EV_CLEAR: after the event EV_ENABLE alone returns nothing until new activity. */
    @Test
    void FL_17_dispatchWithClearNeedsNewActivity() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD | EV_CLEAR | EV_DISPATCH));
            apply(kq, ch(1, EVFILT_USER, 0, NOTE_TRIGGER));
            KEvent e = single(poll(kq));
            assertEquals(1, e.ident());
            apply(kq, ch(1, EVFILT_USER, EV_ENABLE));
            assertNoEvent(kq, Duration.ZERO);
            apply(kq, ch(1, EVFILT_USER, 0, NOTE_TRIGGER));
            e = single(poll(kq));
            assertEquals(1, e.ident());
            assertEquals(EVFILT_USER, e.filter());
        }
    }

    /** FL-18: EV_DISPATCH+EV_ONESHOT is accepted; the knote is deleted after its first event. */
    @Test
    void FL_18_dispatchPlusOneshotDeletesAfterFirstEvent() throws Exception {
        try (KQueue kq = KQueue.open()) {
            int[] p = Os.pipe();
            try {
                apply(kq, ch(p[0], EVFILT_READ, EV_ADD | EV_DISPATCH | EV_ONESHOT));
                write(p[1], 1);
                KEvent e = single(poll(kq));
                assertEquals(p[0], e.ident());
                assertHas(e, EV_ONESHOT, "EV_ONESHOT");
                assertNoEvent(kq, Duration.ZERO);
                assertEquals(Errno.ENOENT, applyFails(kq, ch(p[0], EVFILT_READ, EV_DELETE)));
                assertEquals(Errno.ENOENT, applyFails(kq, ch(p[0], EVFILT_READ, EV_ENABLE)));
            } finally {
                Os.closeQuietly(p);
            }
        }
    }

    /**
     * FL-19: EV_RECEIPT given at EV_ADD is sticky: every later event carries it, also after a
     * re-add without it (US: the activation is itself a bare NOTE_TRIGGER). TM uses a periodic
     * 50 ms timer so that it fires more than once.
     */
    @ParameterizedTest
    @EnumSource(value = StandardActivation.class, names = {"TM", "US", "SG"})
    void FL_19_receiptIsSticky(StandardActivation tag) throws Exception {
        try (KQueue kq = KQueue.open(); StandardActivation.Fixture f = tag.openRepeating()) {
            KEvent receipt = single(applyWithRoom(kq, 1, f.change(EV_ADD | f.standardFlags() | EV_RECEIPT, 0)));
            assertHas(receipt, EV_ERROR, "EV_ERROR (receipt)");
            assertEquals(0, receipt.data(), "receipt data");
            for (int round = 0; round < 2; round++) {
                f.activate(kq);
                KEvent e = single(waitEvents(kq, f.eventTimeout()));
                assertIs(f, e);
                assertHas(e, EV_RECEIPT, "EV_RECEIPT (round " + round + ")");
                // re-add without EV_RECEIPT
                f.add(kq, 0, 0);
            }
            f.activate(kq);
            KEvent e = single(waitEvents(kq, f.eventTimeout()));
            assertHas(e, EV_RECEIPT, "EV_RECEIPT after re-adds");
        }
    }

    /** FL-20: udata is returned bit-exact for 0, 0xABCDEF01 and 0xFFFFFFFFFFFFFFFF. */
    @ParameterizedTest
    @EnumSource(value = StandardActivation.class, names = {"RD", "WR", "TM", "US", "SG", "PR", "VN"})
    void FL_20_udataReturnedBitExact(StandardActivation tag) throws Exception {
        for (long udata : new long[] {0L, 0xABCDEF01L, 0xFFFFFFFFFFFFFFFFL}) {
            try (KQueue kq = KQueue.open(); StandardActivation.Fixture f = tag.open()) {
                f.add(kq, 0, udata);
                f.activate(kq);
                KEvent e = single(waitEvents(kq, f.eventTimeout()));
                assertIs(f, e);
                assertEquals(udata, e.udata(), "udata 0x" + Long.toHexString(udata));
            }
        }
    }

    /**
     * FL-21: every modify without EV_KEEPUDATA stores the change's udata: flags = 0, EV_DISABLE
     * (observed through an EV_ENABLE+EV_KEEPUDATA), EV_ENABLE (on a pipe knote) and a bare
     * NOTE_TRIGGER (on a user knote).
     */
    @Test
    void FL_21_modifyWithoutKeepudataStoresUdata() throws Exception {
        try (KQueue kq = KQueue.open()) {
            int[] p = Os.pipe();
            try {
                write(p[1], 1);
                apply(kq, ch(p[0], EVFILT_READ, EV_ADD, 0, 0, 1));
                assertEquals(1, single(poll(kq)).udata());
                apply(kq, ch(p[0], EVFILT_READ, 0, 0, 0, 4));
                assertEquals(4, single(poll(kq)).udata(), "after flags = 0");
                apply(kq, ch(p[0], EVFILT_READ, EV_DISABLE, 0, 0, 2));
                apply(kq, ch(p[0], EVFILT_READ, EV_ENABLE | EV_KEEPUDATA, 0, 0, 99));
                assertEquals(2, single(poll(kq)).udata(), "after EV_DISABLE");
                apply(kq, ch(p[0], EVFILT_READ, EV_ENABLE, 0, 0, 3));
                assertEquals(3, single(poll(kq)).udata(), "after EV_ENABLE");
            } finally {
                Os.closeQuietly(p);
            }
            apply(kq, ch(9, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 10));
            apply(kq, ch(9, EVFILT_USER, 0, NOTE_TRIGGER, 0, 5));
            assertEquals(5, single(poll(kq)).udata(), "after a bare NOTE_TRIGGER");
        }
    }

    /** FL-22: EV_KEEPUDATA on EV_ENABLE, EV_DISABLE and NOTE_TRIGGER keeps the stored udata. */
    @Test
    void FL_22_keepudataKeepsStoredUdata() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 0x77));
            apply(kq, ch(1, EVFILT_USER, EV_DISABLE | EV_KEEPUDATA, 0, 0, 1));
            apply(kq, ch(1, EVFILT_USER, EV_ENABLE | EV_KEEPUDATA, 0, 0, 2));
            apply(kq, ch(1, EVFILT_USER, EV_KEEPUDATA, NOTE_TRIGGER, 0, 3));
            KEvent e = single(poll(kq));
            assertEquals(1, e.ident());
            assertEquals(0x77, e.udata());
        }
    }

    /** FL-23: EV_ADD+EV_KEEPUDATA → EINVAL, for a new and for an existing knote. */
    @Test
    void FL_23_addWithKeepudataIsEinval() throws Exception {
        try (KQueue kq = KQueue.open()) {
            assertEquals(Errno.EINVAL, applyFails(kq, ch(1, EVFILT_USER, EV_ADD | EV_KEEPUDATA)));
            KEvent entry = single(applyWithRoom(kq, 1, ch(1, EVFILT_USER, EV_ADD | EV_KEEPUDATA)));
            assertHas(entry, EV_ERROR, "EV_ERROR");
            assertEquals(Errno.EINVAL.value(), entry.data());
            assertEquals(Errno.ENOENT, applyFails(kq, ch(1, EVFILT_USER, EV_DELETE)), "nothing was registered");

            apply(kq, ch(2, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 5));
            assertEquals(Errno.EINVAL, applyFails(kq, ch(2, EVFILT_USER, EV_ADD | EV_KEEPUDATA, 0, 0, 6)));
        }
    }

    /**
     * FL-24: EV_FORCEONESHOT on an existing knote makes it one-shot and activates it: a pipe knote
     * with EV_CLEAR whose event was already retrieved is returned once more with its current data,
     * then EV_DELETE → ENOENT.
     */
    @Test
    void FL_24_forceoneshotActivatesOnce() throws Exception {
        try (KQueue kq = KQueue.open()) {
            int[] p = Os.pipe();
            try {
                apply(kq, ch(p[0], EVFILT_READ, EV_ADD | EV_CLEAR));
                write(p[1], 3);
                assertEquals(3, single(poll(kq)).data());
                assertNoEvent(kq, Duration.ZERO);
                apply(kq, ch(p[0], EVFILT_READ, EV_FORCEONESHOT));
                KEvent e = single(poll(kq));
                assertEquals(p[0], e.ident());
                assertEquals(EVFILT_READ, e.filter());
                assertEquals(3, e.data());
                assertHas(e, EV_ONESHOT, "EV_ONESHOT");
                assertNoEvent(kq, Duration.ZERO);
                assertEquals(Errno.ENOENT, applyFails(kq, ch(p[0], EVFILT_READ, EV_DELETE)));
            } finally {
                Os.closeQuietly(p);
            }
        }
    }

    /**
     * FL-25: returned events never carry EV_ADD, EV_DELETE, EV_ENABLE, EV_DISABLE,
     * EV_FORCEONESHOT, EV_KEEPUDATA; they carry the sticky flags plus EV_EOF set by the filter.
     */
    @Test
    void FL_25_eventsNeverCarryActionBits() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD | EV_ENABLE | EV_CLEAR | EV_DISPATCH));
            apply(kq, ch(1, EVFILT_USER, EV_ENABLE | EV_KEEPUDATA, NOTE_TRIGGER));
            KEvent e = single(poll(kq));
            assertEquals(EV_CLEAR | EV_DISPATCH, e.flags(), "user knote flags 0x" + Integer.toHexString(e.flags()));

            apply(kq, ch(2, EVFILT_USER, EV_ADD | EV_CLEAR));
            apply(kq, ch(2, EVFILT_USER, EV_FORCEONESHOT | EV_KEEPUDATA, NOTE_TRIGGER));
            e = single(poll(kq));
            assertEquals(2, e.ident());
            assertEquals(EV_CLEAR | EV_ONESHOT, e.flags(), "forced one-shot flags 0x" + Integer.toHexString(e.flags()));

            int[] p = Os.pipe();
            try {
                apply(kq, ch(p[0], EVFILT_READ, EV_ADD | EV_DISABLE));
                apply(kq, ch(p[0], EVFILT_READ, EV_ENABLE));
                write(p[1], 1);
                Os.close(p[1]);
                e = single(poll(kq));
                assertEquals(p[0], e.ident());
                assertEquals(EV_EOF, e.flags(), "pipe at EOF flags 0x" + Integer.toHexString(e.flags()));
            } finally {
                Os.closeQuietly(p[0]);
            }
        }
    }

    /**
     * FL-26: ext[0..3] given at EV_ADD are returned unchanged in every event; a later modify
     * carrying other ext values does not change them (user knote and pipe knote).
     */
    @Test
    void FL_26_extReturnedUnchanged() throws Exception {
        long[] ext = {0x0123456789ABCDEFL, 0xFFFFFFFFFFFFFFFFL, Long.MIN_VALUE, 0x55AA55AA55AA55AAL};
        try (KQueue kq = KQueue.open();
             KEventList changes = KEventList.allocate(1);
             KEventList events = KEventList.allocate(4)) {
            int[] p = Os.pipe();
            try {
                changes.set(0, 1, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 0);
                setExt(changes, ext);
                assertEquals(0, kq.kevent(changes, 1, null, 0, Duration.ZERO));
                changes.set(0, p[0], EVFILT_READ, EV_ADD, 0, 0, 0);
                setExt(changes, ext);
                assertEquals(0, kq.kevent(changes, 1, null, 0, Duration.ZERO));
                write(p[1], 1);
                for (int round = 0; round < 3; round++) {
                    // trigger the user knote; from round 1 on, also modify both with other ext values
                    changes.set(0, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
                    setExt(changes, new long[] {round, round + 1, round + 2, round + 3});
                    assertEquals(0, kq.kevent(changes, 1, null, 0, Duration.ZERO));
                    if (round > 0) {
                        changes.set(0, p[0], EVFILT_READ, EV_ADD, 0, 0, 0);
                        setExt(changes, new long[] {-round, -round, -round, -round});
                        assertEquals(0, kq.kevent(changes, 1, null, 0, Duration.ZERO));
                    }
                    for (int i = 0; i < 4; i++) {
                        setExt(events, i, new long[] {0xDEAD, 0xDEAD, 0xDEAD, 0xDEAD});
                    }
                    int n = kq.kevent(null, 0, events, 4, Duration.ZERO);
                    assertEquals(2, n, "round " + round);
                    for (int i = 0; i < n; i++) {
                        for (int slot = 0; slot < 4; slot++) {
                            assertEquals(ext[slot], events.ext(i, slot),
                                    "round " + round + " " + events.get(i) + " ext[" + slot + "]");
                        }
                    }
                }
            } finally {
                Os.closeQuietly(p);
            }
        }
    }

    private static void setExt(KEventList list, long[] values) {
        setExt(list, 0, values);
    }

    private static void setExt(KEventList list, int index, long[] values) {
        for (int slot = 0; slot < 4; slot++) {
            list.ext(index, slot, values[slot]);
        }
    }

    /** FL-27: change data is input only: EVFILT_READ added with data = 12345 reports the queued bytes. */
    @Test
    void FL_27_changeDataIsInputOnly() throws Exception {
        try (KQueue kq = KQueue.open()) {
            int[] p = Os.pipe();
            try {
                write(p[1], 3);
                apply(kq, ch(p[0], EVFILT_READ, EV_ADD, 0, 12345, 0));
                KEvent e = single(poll(kq));
                assertEquals(p[0], e.ident());
                assertEquals(3, e.data());
            } finally {
                Os.closeQuietly(p);
            }
        }
    }

    /** FL-28: EVFILT_WRITE and EVFILT_READ on one socketpair end are independent knotes. */
    @Test
    void FL_28_differentFiltersOnOneDescriptorAreIndependent() throws Exception {
        try (KQueue kq = KQueue.open()) {
            int[] s = Os.socketpair();
            try {
                apply(kq, ch(s[0], EVFILT_WRITE, EV_ADD));
                KEvent w = single(poll(kq));
                assertEquals(EVFILT_WRITE, w.filter());
                apply(kq, ch(s[0], EVFILT_READ, EV_ADD));
                write(s[1], 1);
                List<KEvent> both = poll(kq);
                assertEquals(2, both.size(), "events " + both);
                assertEquals(Set.of(EVFILT_READ, EVFILT_WRITE),
                        both.stream().map(KEvent::filter).collect(Collectors.toSet()));
                for (KEvent e : both) {
                    assertEquals(s[0], e.ident());
                }
                apply(kq, ch(s[0], EVFILT_WRITE, EV_DELETE));
                KEvent r = single(poll(kq));
                assertEquals(EVFILT_READ, r.filter());
                assertEquals(1, r.data());

                apply(kq, ch(s[0], EVFILT_WRITE, EV_ADD));
                apply(kq, ch(s[0], EVFILT_READ, EV_DELETE));
                w = single(poll(kq));
                assertEquals(EVFILT_WRITE, w.filter());
                assertEquals(s[0], w.ident());
            } finally {
                Os.closeQuietly(s);
            }
        }
    }

    /**
     * FL-29: the same (ident, filter) in two kqueues are independent knotes: one activation is
     * returned by both and draining one leaves the other; for US (and TM) each kqueue has its own
     * state.
     */
    @ParameterizedTest
    @EnumSource(value = StandardActivation.class, names = {"RD", "WR", "TM", "US", "SG", "PR", "VN"})
    void FL_29_sameKnoteInTwoKqueuesIsIndependent(StandardActivation tag) throws Exception {
        try (KQueue kq1 = KQueue.open(); KQueue kq2 = KQueue.open(); StandardActivation.Fixture f = tag.open()) {
            f.add(kq1, 0, 1);
            f.add(kq2, 0, 2);
            if (f.activationIsChange()) {
                apply(kq1, ch(f.ident(), f.filter(), 0, NOTE_TRIGGER, 0, 1));
                KEvent e1 = single(poll(kq1));
                assertIs(f, e1);
                assertEquals(1, e1.udata());
                assertNoEvent(kq2, Duration.ZERO);
                apply(kq2, ch(f.ident(), f.filter(), 0, NOTE_TRIGGER, 0, 2));
                KEvent e2 = single(poll(kq2));
                assertEquals(2, e2.udata());
                assertNoEvent(kq1, Duration.ZERO);
                return;
            }
            f.activate(kq1);
            KEvent e1 = single(waitEvents(kq1, f.eventTimeout()));
            assertIs(f, e1);
            assertEquals(1, e1.udata());
            KEvent e2 = single(waitEvents(kq2, f.eventTimeout()));
            assertIs(f, e2);
            assertEquals(2, e2.udata());
            if (tag == StandardActivation.TM) {
                // own state per kqueue: a timer re-armed in kq1 only fires in kq1 only
                f.add(kq1, 0, 1);
                f.activate(kq1);
                assertEquals(1, single(waitEvents(kq1, f.eventTimeout())).udata());
                assertNoEvent(kq2, NO_EVENT_WAIT);
            }
        }
    }

    /** FL-30: EV_ENABLE on an enabled knote and EV_DISABLE on a disabled knote succeed and change nothing. */
    @Test
    void FL_30_redundantEnableDisableChangeNothing() throws Exception {
        try (KQueue kq = KQueue.open()) {
            int[] p = Os.pipe();
            try {
                apply(kq, ch(p[0], EVFILT_READ, EV_ADD));
                write(p[1], 1);
                apply(kq, ch(p[0], EVFILT_READ, EV_ENABLE));
                KEvent e = single(poll(kq));
                assertEquals(1, e.data());
                apply(kq, ch(p[0], EVFILT_READ, EV_DISABLE));
                apply(kq, ch(p[0], EVFILT_READ, EV_DISABLE));
                assertNoEvent(kq, Duration.ZERO);
                apply(kq, ch(p[0], EVFILT_READ, EV_ENABLE));
                e = single(poll(kq));
                assertEquals(p[0], e.ident());
                assertEquals(1, e.data());
            } finally {
                Os.closeQuietly(p);
            }
        }
    }

    /** FL-31: EV_ADD+EV_ONESHOT then EV_DISABLE: no event; EV_ENABLE gives exactly one, then the knote is gone. */
    @Test
    void FL_31_disabledOneshotFiresOnceAfterEnable() throws Exception {
        try (KQueue kq = KQueue.open()) {
            int[] p = Os.pipe();
            try {
                apply(kq, ch(p[0], EVFILT_READ, EV_ADD | EV_ONESHOT));
                apply(kq, ch(p[0], EVFILT_READ, EV_DISABLE));
                write(p[1], 1);
                assertNoEvent(kq, Duration.ZERO);
                apply(kq, ch(p[0], EVFILT_READ, EV_ENABLE));
                KEvent e = single(poll(kq));
                assertEquals(p[0], e.ident());
                assertHas(e, EV_ONESHOT, "EV_ONESHOT");
                assertNoEvent(kq, Duration.ZERO);
                assertEquals(Errno.ENOENT, applyFails(kq, ch(p[0], EVFILT_READ, EV_DELETE)));
            } finally {
                Os.closeQuietly(p);
            }
        }
    }

    /** FL-32: flags = 0 on an existing descriptor knote is a modify storing udata, fflags and data. */
    @Test
    void FL_32_flagsZeroOnDescriptorKnoteIsModify() throws Exception {
        try (KQueue kq = KQueue.open()) {
            int[] s = Os.socketpair();
            try {
                apply(kq, ch(s[0], EVFILT_READ, EV_ADD, 0, 0, 1));
                apply(kq, ch(s[0], EVFILT_READ, 0, NOTE_LOWAT, 16, 2));
                write(s[1], 15);
                assertNoEvent(kq, Duration.ZERO);
                write(s[1], 1);
                KEvent e = single(poll(kq));
                assertEquals(s[0], e.ident());
                assertEquals(16, e.data());
                assertEquals(2, e.udata());
            } finally {
                Os.closeQuietly(s);
            }
        }
    }
}
