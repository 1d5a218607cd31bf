package io.github.kqueueffm.conformance;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.tests.support.Os;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_DISABLE;
import static io.github.kqueueffm.KEvent.EV_DISPATCH;
import static io.github.kqueueffm.KEvent.EV_ENABLE;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.NOTE_FFAND;
import static io.github.kqueueffm.KEvent.NOTE_FFCOPY;
import static io.github.kqueueffm.KEvent.NOTE_FFNOP;
import static io.github.kqueueffm.KEvent.NOTE_FFOR;
import static io.github.kqueueffm.KEvent.NOTE_TRIGGER;
import static io.github.kqueueffm.tests.support.KeventCalls.apply;
import static io.github.kqueueffm.tests.support.KeventCalls.applyFails;
import static io.github.kqueueffm.tests.support.KeventCalls.applyWithRoom;
import static io.github.kqueueffm.tests.support.KeventCalls.ch;
import static io.github.kqueueffm.tests.support.KeventCalls.hex;
import static io.github.kqueueffm.tests.support.KeventCalls.poll;
import static io.github.kqueueffm.tests.support.KeventCalls.waitEvents;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance rows US (docs/conformance.md#us): EVFILT_USER. One test per row.
 */
class UsConformanceTest {

    private static KEvent single(List<KEvent> events) {
        assertEquals(1, events.size(), "expected exactly one event, got " + events);
        return events.get(0);
    }

    private static void assertNoEvent(KQueue kq) throws Exception {
        assertEquals(List.of(), poll(kq), "expected no event");
    }

    private static KEvent trigger(long ident) {
        return ch(ident, EVFILT_USER, 0, NOTE_TRIGGER);
    }

    private static void assertUser(long ident, KEvent e) {
        assertEquals(ident, e.ident(), "ident of " + e);
        assertEquals(EVFILT_USER, e.filter(), "filter of " + e);
    }

    private static void assertFflags(int expected, KEvent e) {
        assertEquals(hex(expected), hex(e.fflags()), "fflags of " + e);
    }

    private static void assertDispatch(KEvent e, String when) {
        assertTrue((e.flags() & EV_DISPATCH) != 0, "EV_DISPATCH missing " + when + ": " + e);
    }

    /** US-01: EV_ADD then EV_DELETE of ident 1: no event at any point. */
    @Test
    void US_01_addThenDeleteGivesNoEvent() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD));
            assertNoEvent(kq);
            apply(kq, ch(1, EVFILT_USER, EV_DELETE));
            assertNoEvent(kq);
        }
    }

    /** US-02: EV_ADD+EV_CLEAR, trigger → {1, USER, flags=EV_CLEAR, fflags=0, data=0}; then nothing. */
    @Test
    void US_02_triggerReturnsExactEventOnce() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD | EV_CLEAR));
            apply(kq, trigger(1));
            KEvent e = single(poll(kq));
            assertUser(1, e);
            assertEquals(EV_CLEAR, e.flags(), "flags");
            assertFflags(0, e);
            assertEquals(0, e.data());
            assertNoEvent(kq);
        }
    }

    /** US-03: without EV_CLEAR a triggered knote is returned by every poll until deleted. */
    @Test
    void US_03_withoutClearTriggeredKnoteStaysReady() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD));
            apply(kq, trigger(1));
            for (int i = 0; i < 3; i++) {
                assertUser(1, single(poll(kq)));
            }
            apply(kq, ch(1, EVFILT_USER, EV_DELETE));
            assertNoEvent(kq);
        }
    }

    /** US-04: a change with flags = EV_CLEAR and no trigger resets the triggered bit. */
    @Test
    void US_04_clearChangeResetsTriggeredBit() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD));
            apply(kq, trigger(1));
            assertUser(1, single(poll(kq)));
            apply(kq, ch(1, EVFILT_USER, EV_CLEAR));
            assertNoEvent(kq);
        }
    }

    /** US-05: EV_ADD with NOTE_TRIGGER registers without triggering; a later NOTE_TRIGGER fires. */
    @Test
    void US_05_addWithTriggerDoesNotTrigger() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD, NOTE_TRIGGER));
            assertNoEvent(kq);
            apply(kq, trigger(1));
            assertUser(1, single(poll(kq)));
        }
    }

    /** US-06: ten triggers before a retrieval → one event. */
    @Test
    void US_06_triggersMergeIntoOneEvent() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD | EV_CLEAR));
            for (int i = 0; i < 10; i++) {
                apply(kq, trigger(1));
            }
            assertUser(1, single(poll(kq)));
            assertNoEvent(kq);
        }
    }

    /** US-07: a trigger while disabled is not returned, but EV_ENABLE alone then returns it. */
    @Test
    void US_07_triggerWhileDisabledIsRememberedUntilEnable() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD | EV_CLEAR));
            apply(kq, ch(1, EVFILT_USER, EV_DISABLE));
            apply(kq, trigger(1));
            assertNoEvent(kq);
            apply(kq, ch(1, EVFILT_USER, EV_ENABLE));
            assertUser(1, single(poll(kq)));
        }
    }

    /** US-08: created with NOTE_FFCOPY+0xAA; trigger with NOTE_FFCOPY+0xBB+NOTE_TRIGGER → 0xBB. */
    @Test
    void US_08_ffcopyReplacesUserFlags() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD | EV_CLEAR, NOTE_FFCOPY | 0xAA));
            apply(kq, ch(1, EVFILT_USER, 0, NOTE_FFCOPY | 0xBB | NOTE_TRIGGER));
            KEvent e = single(poll(kq));
            assertUser(1, e);
            assertFflags(0xBB, e);
        }
    }

    /** US-09: stored 0x0F; trigger with NOTE_FFAND+0x0C+NOTE_TRIGGER → 0x0C. */
    @Test
    void US_09_ffandMasksUserFlags() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD | EV_CLEAR));
            apply(kq, ch(1, EVFILT_USER, 0, NOTE_FFCOPY | 0x0F));
            assertNoEvent(kq);
            apply(kq, ch(1, EVFILT_USER, 0, NOTE_FFAND | 0x0C | NOTE_TRIGGER));
            assertFflags(0x0C, single(poll(kq)));
        }
    }

    /** US-10: stored 0x01; trigger with NOTE_FFOR+0x06+NOTE_TRIGGER → 0x07. */
    @Test
    void US_10_fforOrsUserFlags() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD | EV_CLEAR));
            apply(kq, ch(1, EVFILT_USER, 0, NOTE_FFCOPY | 0x01));
            assertNoEvent(kq);
            apply(kq, ch(1, EVFILT_USER, 0, NOTE_FFOR | 0x06 | NOTE_TRIGGER));
            assertFflags(0x07, single(poll(kq)));
        }
    }

    /** US-11: stored 0x42; trigger with NOTE_FFNOP+0xFF+NOTE_TRIGGER → 0x42. */
    @Test
    void US_11_ffnopLeavesUserFlags() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD | EV_CLEAR));
            apply(kq, ch(1, EVFILT_USER, 0, NOTE_FFCOPY | 0x42));
            assertNoEvent(kq);
            apply(kq, ch(1, EVFILT_USER, 0, NOTE_FFNOP | 0xFF | NOTE_TRIGGER));
            assertFflags(0x42, single(poll(kq)));
        }
    }

    /**
     * US-12: NOTE_FFCOPY+0x01FFFFFF+NOTE_TRIGGER stores only the low 24 bits (0x00FFFFFF); neither
     * NOTE_TRIGGER nor the operation bits appear in the event.
     */
    @Test
    void US_12_onlyLow24BitsAreStored() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD | EV_CLEAR));
            apply(kq, ch(1, EVFILT_USER, 0, NOTE_FFCOPY | 0x01FFFFFF | NOTE_TRIGGER));
            KEvent e = single(poll(kq));
            assertUser(1, e);
            assertFflags(0x00FFFFFF, e);
        }
    }

    /** US-13: three triggers NOTE_FFOR+0x1, +0x2, +0x4 before one retrieval → one event, fflags 0x7. */
    @Test
    void US_13_fforTriggersAccumulate() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD | EV_CLEAR));
            for (int bit : new int[] {0x1, 0x2, 0x4}) {
                apply(kq, ch(1, EVFILT_USER, 0, NOTE_FFOR | bit | NOTE_TRIGGER));
            }
            assertFflags(0x7, single(poll(kq)));
            assertNoEvent(kq);
        }
    }

    /**
     * US-14 (project rule): a knote created with fflags NOTE_FFCOPY+0x42 and then triggered returns
     * fflags 0x42 — the top bits are masked on store. FreeBSD's kernel stores the EV_ADD fflags
     * verbatim and returns 0xC0000042 here.
     */
    @Test
    void US_14_createFflagsAreMaskedToUserBits() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD | EV_CLEAR, NOTE_FFCOPY | 0x42));
            apply(kq, trigger(1));
            assertFflags(0x42, single(poll(kq)));
        }
    }

    /** US-15: data of the latest change is returned: created with 55, triggered with 66 → 66. */
    @Test
    void US_15_dataOfLatestChangeIsReturned() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 55, 0));
            apply(kq, ch(1, EVFILT_USER, 0, NOTE_TRIGGER, 66, 0));
            assertEquals(66, single(poll(kq)).data());
        }
    }

    /** US-16: stored user bits survive delivery: after fflags 0x07, a bare trigger returns 0x07 again. */
    @Test
    void US_16_userBitsSurviveDelivery() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD | EV_CLEAR));
            apply(kq, ch(1, EVFILT_USER, 0, NOTE_FFOR | 0x07 | NOTE_TRIGGER));
            assertFflags(0x07, single(poll(kq)));
            assertNoEvent(kq);
            apply(kq, trigger(1));
            assertFflags(0x07, single(poll(kq)));
        }
    }

    /**
     * US-17: EV_DISPATCH+EV_CLEAR: one event, then nothing; EV_ENABLE alone → nothing;
     * NOTE_TRIGGER → event; every event carries EV_DISPATCH.
     */
    @Test
    void US_17_dispatchWithClear() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD | EV_CLEAR | EV_DISPATCH));
            apply(kq, trigger(1));
            KEvent e = single(poll(kq));
            assertUser(1, e);
            assertDispatch(e, "in the first event");
            assertNoEvent(kq);
            apply(kq, ch(1, EVFILT_USER, EV_ENABLE));
            assertNoEvent(kq);
            apply(kq, trigger(1));
            e = single(poll(kq));
            assertUser(1, e);
            assertDispatch(e, "in the second event");
        }
    }

    /**
     * US-18: EV_DISPATCH survives a bare NOTE_TRIGGER, an EV_ENABLE+NOTE_TRIGGER change and an
     * EV_DISABLE/EV_ENABLE cycle: each following event carries it and is followed by a quiet poll.
     */
    @Test
    void US_18_dispatchIsDurable() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD | EV_CLEAR | EV_DISPATCH));

            apply(kq, trigger(1));
            assertDispatch(single(poll(kq)), "after a bare NOTE_TRIGGER");
            assertNoEvent(kq);

            apply(kq, ch(1, EVFILT_USER, EV_ENABLE, NOTE_TRIGGER));
            assertDispatch(single(poll(kq)), "after EV_ENABLE+NOTE_TRIGGER");
            assertNoEvent(kq);

            apply(kq, ch(1, EVFILT_USER, EV_DISABLE));
            apply(kq, ch(1, EVFILT_USER, EV_ENABLE));
            apply(kq, trigger(1));
            assertDispatch(single(poll(kq)), "after an EV_DISABLE/EV_ENABLE cycle");
            assertNoEvent(kq);
        }
    }

    /** US-19: after an EV_DISPATCH event, one change EV_ENABLE+NOTE_TRIGGER re-enables and triggers. */
    @Test
    void US_19_enableAndTriggerInOneChange() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD | EV_CLEAR | EV_DISPATCH));
            apply(kq, trigger(1));
            assertUser(1, single(poll(kq)));
            assertNoEvent(kq);
            apply(kq, ch(1, EVFILT_USER, EV_ENABLE, NOTE_TRIGGER));
            assertUser(1, single(poll(kq)));
        }
    }

    /** US-20: NOTE_TRIGGER from another thread is seen by a poll after joining that thread. */
    @Test
    void US_20_triggerFromAnotherThread() throws Exception {
        try (KQueue kq = KQueue.open()) {
            apply(kq, ch(1, EVFILT_USER, EV_ADD | EV_CLEAR));
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    apply(kq, trigger(1));
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "US-20 trigger");
            t.start();
            t.join(5_000);
            assertTrue(!t.isAlive(), "trigger thread finished");
            assertNull(failure.get(), "trigger from the other thread failed");
            assertUser(1, single(poll(kq)));
        }
    }

    /** US-21: NOTE_TRIGGER (flags = 0) on an ident with no knote → ENOENT. */
    @Test
    void US_21_triggerWithoutKnoteIsEnoent() throws Exception {
        try (KQueue kq = KQueue.open()) {
            assertEquals(Errno.ENOENT, applyFails(kq, trigger(1)));
            KEvent entry = single(applyWithRoom(kq, 1, trigger(1)));
            assertUser(1, entry);
            assertTrue((entry.flags() & EV_ERROR) != 0, "EV_ERROR in " + entry);
            assertEquals(Errno.ENOENT.value(), entry.data());
            assertNoEvent(kq);
        }
    }

    /**
     * US-22: idents 0 and 2⁶⁴−1 are valid; ident 3 as USER and as TIMER are two knotes; a user
     * ident equal to an open descriptor number is not tied to that descriptor.
     */
    @Test
    void US_22_userIdentsAreTheirOwnNamespace() throws Exception {
        try (KQueue kq = KQueue.open()) {
            long max = 0xFFFFFFFFFFFFFFFFL;
            apply(kq, ch(0, EVFILT_USER, EV_ADD | EV_CLEAR), ch(max, EVFILT_USER, EV_ADD | EV_CLEAR));
            apply(kq, trigger(0), trigger(max));
            List<KEvent> events = poll(kq);
            assertEquals(2, events.size(), "events " + events);
            Set<Long> idents = new HashSet<>();
            for (KEvent e : events) {
                assertEquals(EVFILT_USER, e.filter());
                idents.add(e.ident());
            }
            assertEquals(Set.of(0L, max), idents);

            apply(kq, ch(3, EVFILT_USER, EV_ADD | EV_CLEAR), ch(3, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 300, 0));
            apply(kq, trigger(3));
            assertUser(3, single(poll(kq)));
            apply(kq, ch(3, EVFILT_USER, EV_DELETE));
            KEvent t = single(waitEvents(kq, Duration.ofSeconds(2)));
            assertEquals(3, t.ident());
            assertEquals(EVFILT_TIMER, t.filter());

            int[] p = Os.pipe();
            try {
                apply(kq, ch(p[0], EVFILT_USER, EV_ADD | EV_CLEAR));
                assertEquals(1, Os.write(p[1], 1));
                assertNoEvent(kq);
            } finally {
                Os.closeQuietly(p);
            }
            apply(kq, trigger(p[0]));
            assertUser(p[0], single(poll(kq)));
        }
    }

    /** US-23: 8192 EVFILT_USER knotes in one kqueue all register and consume no descriptor. */
    @Test
    void US_23_manyUserKnotesNeedNoDescriptors() throws Exception {
        int n = 8192;
        try (KQueue kq = KQueue.open();
             KEventList changes = KEventList.allocate(n);
             KEventList events = KEventList.allocate(n)) {
            int before = Os.fdCount();
            for (int i = 0; i < n; i++) {
                changes.set(i, i, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 0);
            }
            assertEquals(0, kq.kevent(changes, n, null, 0, Duration.ZERO));
            assertEquals(before, Os.fdCount(), "descriptors after registering " + n + " user knotes");
            for (int i = 0; i < n; i++) {
                changes.set(i, i, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
            }
            assertEquals(0, kq.kevent(changes, n, null, 0, Duration.ZERO));
            int got = kq.kevent(null, 0, events, n, Duration.ZERO);
            assertEquals(n, got);
            Set<Long> idents = new HashSet<>();
            for (int i = 0; i < got; i++) {
                assertEquals(EVFILT_USER, events.filter(i));
                idents.add(events.ident(i));
            }
            assertEquals(n, idents.size(), "distinct idents");
            assertEquals(before, Os.fdCount(), "descriptors after triggering " + n + " user knotes");
        }
    }
}
