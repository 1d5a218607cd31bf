package io.github.kqueueffm.conformance;

import io.github.kqueueffm.Descriptors;
import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.tests.support.Os;
import io.github.kqueueffm.tests.support.SgPrVnKit;
import io.github.kqueueffm.tests.support.SignalSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.kqueueffm.KEvent.EVFILT_AIO;
import static io.github.kqueueffm.KEvent.EVFILT_EMPTY;
import static io.github.kqueueffm.KEvent.EVFILT_PROCDESC;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_SIGNAL;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EVFILT_VNODE;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_DROP;
import static io.github.kqueueffm.KEvent.EV_EOF;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_FLAG1;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.EV_RECEIPT;
import static io.github.kqueueffm.KEvent.NOTE_ATTRIB;
import static io.github.kqueueffm.KEvent.NOTE_TRIGGER;
import static io.github.kqueueffm.KEvent.NOTE_WRITE;
import static io.github.kqueueffm.tests.support.KqSupport.change;
import static io.github.kqueueffm.tests.support.KqSupport.closeAll;
import static io.github.kqueueffm.tests.support.KqSupport.expectErrno;
import static io.github.kqueueffm.tests.support.KqSupport.isClosed;
import static io.github.kqueueffm.tests.support.KqSupport.liveThreads;
import static io.github.kqueueffm.tests.support.KqSupport.newThreads;
import static io.github.kqueueffm.tests.support.KqSupport.poll;
import static io.github.kqueueffm.tests.support.KqSupport.reuseNumberWithPipes;
import static io.github.kqueueffm.tests.support.KqSupport.unusedDescriptorNumber;
import static io.github.kqueueffm.tests.support.KqSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance rows KQ-31 … KQ-61 (changelist flags, EV_ERROR and EV_RECEIPT output, event
 * collection, close and descriptor reuse, kqueues watching kqueues) of the catalogue
 * (docs/conformance.md#kq), against the real kernel. KQ-01 … KQ-30 are in
 * {@link KqConformanceTest}.
 */
class KqConformance2Test {
    private static final Duration POLL = Duration.ZERO;

    private static short filterNamed(String name) {
        return switch (name) {
            case "READ" -> EVFILT_READ;
            case "WRITE" -> EVFILT_WRITE;
            case "EMPTY" -> EVFILT_EMPTY;
            case "VNODE" -> EVFILT_VNODE;
            case "PROCDESC" -> EVFILT_PROCDESC;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * KQ-31: bits of EV_SYSFLAGS (EV_EOF, EV_ERROR, EV_FLAG1, EV_DROP) given in a change are
     * ignored: the change succeeds (no entry is written for it) and later events carry only the
     * flags the filter sets.
     */
    @Test
    void KQ_31_sysflagsInAChangeAreIgnored() throws Exception {
        int sys = EV_EOF | EV_ERROR | EV_FLAG1 | EV_DROP;
        int[] p = Os.pipe();
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(1);
             KEventList ev = KEventList.allocate(2)) {
            assertEquals(0, change(kq, 1, EVFILT_USER, EV_ADD | EV_CLEAR | sys));
            change(kq, 1, EVFILT_USER, sys, NOTE_TRIGGER, 0, 0);
            assertEquals(1, poll(kq, ev));
            assertEquals(1, ev.ident(0));
            assertEquals(EV_CLEAR, ev.flags(0));

            changes.set(0, p[0], EVFILT_READ, EV_ADD | sys, 0, 0, 0);
            assertEquals(0, kq.kevent(changes, 1, ev, 2, POLL), "no entry for a change with system flags");
            assertEquals(1, Os.write(p[1], 1));
            assertEquals(1, poll(kq, ev));
            assertEquals(p[0], ev.ident(0));
            assertEquals(EVFILT_READ, ev.filter(0));
            assertEquals(0, ev.flags(0), "flags of the read event");
            assertEquals(1, ev.data(0));
        } finally {
            Os.closeQuietly(p);
        }
    }

    /**
     * KQ-32: a descriptor filter naming a descriptor number that is not open → EBADF, for EV_ADD
     * and for EV_DELETE alike (as an exception with nevents = 0 and as an EV_ERROR entry). Run
     * for every descriptor filter: READ, WRITE, EMPTY, VNODE and PROCDESC.
     */
    @ParameterizedTest
    @ValueSource(strings = {"READ", "WRITE", "EMPTY", "VNODE", "PROCDESC"})
    void KQ_32_descriptorFilterOnClosedNumberFailsWithEbadf(String name) throws Exception {
        short filter = filterNamed(name);
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(2);
             KEventList ev = KEventList.allocate(2)) {
            int fd = unusedDescriptorNumber();
            expectErrno(Errno.EBADF, () -> change(kq, fd, filter, EV_ADD));
            expectErrno(Errno.EBADF, () -> change(kq, fd, filter, EV_DELETE));
            changes.set(0, fd, filter, EV_ADD, 0, 0, 0);
            changes.set(1, fd, filter, EV_DELETE, 0, 0, 0);
            assertEquals(2, kq.kevent(changes, 2, ev, 2, POLL));
            for (int i = 0; i < 2; i++) {
                assertEquals(EV_ERROR, ev.flags(i));
                assertEquals(Errno.EBADF.value(), ev.data(i));
            }
            assertTrue(isClosed(fd));
        }
    }

    /**
     * KQ-33: a descriptor filter with ident &gt; INT_MAX → EBADF: 2³¹, 2³² + an open descriptor
     * (which a 32-bit truncation would accept) and 2⁶⁴−1. Checked for READ and WRITE.
     */
    @Test
    void KQ_33_descriptorIdentAboveIntMaxFailsWithEbadf() throws Exception {
        int[] s = Os.socketpair();
        try (KQueue kq = KQueue.open()) {
            long[] idents = {1L << 31, (1L << 32) | s[0], -1L};
            for (short filter : new short[] {EVFILT_READ, EVFILT_WRITE}) {
                for (long ident : idents) {
                    expectErrno(Errno.EBADF, () -> change(kq, ident, filter, EV_ADD));
                }
                expectErrno(Errno.ENOENT, () -> change(kq, s[0], filter, EV_DELETE));
            }
        } finally {
            Os.closeQuietly(s);
        }
    }

    /**
     * KQ-34: a failing change with room in the eventlist yields one entry — ident, filter and
     * udata copied from the change, flags = EV_ERROR exactly, data = errno — kevent returns the
     * number of entries, and the later changes are still applied.
     */
    @Test
    void KQ_34_failingChangeWithRoomYieldsOneErrorEntry() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(3);
             KEventList ev = KEventList.allocate(3)) {
            changes.set(0, 9, EVFILT_USER, EV_DELETE, 0, 0, 0xABCDL);
            changes.set(1, 10, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 0);
            changes.set(2, 11, (short) 1, EV_ADD | EV_ONESHOT, 0, 0, 0x1234_5678_9ABCL);
            assertEquals(2, kq.kevent(changes, 3, ev, 3, POLL));
            assertEquals(9, ev.ident(0));
            assertEquals(EVFILT_USER, ev.filter(0));
            assertEquals(EV_ERROR, ev.flags(0));
            assertEquals(Errno.ENOENT.value(), ev.data(0));
            assertEquals(0xABCDL, ev.udata(0));
            assertEquals(11, ev.ident(1));
            assertEquals(1, ev.filter(1));
            assertEquals(EV_ERROR, ev.flags(1));
            assertEquals(Errno.EINVAL.value(), ev.data(1));
            assertEquals(0x1234_5678_9ABCL, ev.udata(1));
            assertEquals(0, change(kq, 10, EVFILT_USER, EV_DELETE), "the change after the failing one was applied");
        }
    }

    /**
     * KQ-35: a call that produced an EV_ERROR or receipt entry returns right after the changelist
     * with only those entries: it does not wait (even with a NULL timeout) and does not collect
     * pending events, which stay queued for the next call.
     */
    @Test
    void KQ_35_errorOrReceiptEntriesEndTheCallWithoutCollecting() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(1);
             KEventList ev = KEventList.allocate(4)) {
            change(kq, 1, EVFILT_USER, EV_ADD | EV_CLEAR);
            change(kq, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);

            changes.set(0, 99, EVFILT_USER, EV_DELETE, 0, 0, 0);
            int n = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> kq.kevent(changes, 1, ev, 4, null));
            assertEquals(1, n);
            assertEquals(99, ev.ident(0));
            assertEquals(EV_ERROR, ev.flags(0));
            assertEquals(Errno.ENOENT.value(), ev.data(0));

            changes.set(0, 2, EVFILT_USER, EV_ADD | EV_RECEIPT, 0, 0, 0);
            n = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> kq.kevent(changes, 1, ev, 4, null));
            assertEquals(1, n);
            assertEquals(2, ev.ident(0));
            assertEquals(EV_ERROR, ev.flags(0));
            assertEquals(0, ev.data(0));

            assertEquals(1, poll(kq, ev), "the pending event stayed queued");
            assertEquals(1, ev.ident(0));
            assertEquals(EVFILT_USER, ev.filter(0));
            assertEquals(EV_CLEAR, ev.flags(0));
        }
    }

    /**
     * KQ-36: a failing change without room for its entry (nevents = 0, or all slots used) makes
     * kevent fail with its errno; earlier changes stay applied, entries already written stay
     * written, later changes are not processed.
     */
    @Test
    void KQ_36_failingChangeWithoutRoomFailsTheCall() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(4);
             KEventList ev = KEventList.allocate(1)) {
            changes.set(0, 1, EVFILT_USER, EV_ADD, 0, 0, 0);
            changes.set(1, 99, EVFILT_USER, EV_DELETE, 0, 0, 0);
            changes.set(2, 2, EVFILT_USER, EV_ADD, 0, 0, 0);
            expectErrno(Errno.ENOENT, () -> kq.kevent(changes, 3, null, 0, POLL));
            assertEquals(0, change(kq, 1, EVFILT_USER, EV_DELETE), "the earlier change was applied");
            expectErrno(Errno.ENOENT, () -> change(kq, 2, EVFILT_USER, EV_DELETE));

            changes.set(0, 98, EVFILT_USER, EV_DELETE, 0, 0, 0);
            changes.set(1, 3, EVFILT_USER, EV_ADD, 0, 0, 0);
            changes.set(2, 5, (short) 1, EV_ADD, 0, 0, 0);
            changes.set(3, 4, EVFILT_USER, EV_ADD, 0, 0, 0);
            expectErrno(Errno.EINVAL, () -> kq.kevent(changes, 4, ev, 1, POLL));
            assertEquals(98, ev.ident(0));
            assertEquals(EVFILT_USER, ev.filter(0));
            assertEquals(EV_ERROR, ev.flags(0));
            assertEquals(Errno.ENOENT.value(), ev.data(0));
            assertEquals(0, change(kq, 3, EVFILT_USER, EV_DELETE), "the change before the unreportable one was applied");
            expectErrno(Errno.ENOENT, () -> change(kq, 4, EVFILT_USER, EV_DELETE));
        }
    }

    /**
     * KQ-37: with nevents = 2 and three failing changes, the call fails with the third change's
     * errno, the first two EV_ERROR entries are in the eventlist, and a fourth (valid) change is not
     * applied.
     */
    @Test
    void KQ_37_thirdFailingChangeWithTwoSlotsFailsTheCall() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(4);
             KEventList ev = KEventList.allocate(2)) {
            changes.set(0, 91, EVFILT_USER, EV_DELETE, 0, 0, 0);
            changes.set(1, 92, (short) 1, EV_ADD, 0, 0, 0);
            changes.set(2, 93, EVFILT_AIO, EV_ADD, 0, 0, 0);
            changes.set(3, 4, EVFILT_USER, EV_ADD, 0, 0, 0);
            expectErrno(Errno.EPERM, () -> kq.kevent(changes, 4, ev, 2, POLL));
            assertEquals(91, ev.ident(0));
            assertEquals(EV_ERROR, ev.flags(0));
            assertEquals(Errno.ENOENT.value(), ev.data(0));
            assertEquals(92, ev.ident(1));
            assertEquals(EV_ERROR, ev.flags(1));
            assertEquals(Errno.EINVAL.value(), ev.data(1));
            expectErrno(Errno.ENOENT, () -> change(kq, 4, EVFILT_USER, EV_DELETE));
        }
    }

    /**
     * KQ-38: EV_RECEIPT on a successful change yields an entry with flags = EV_ERROR (EV_RECEIPT
     * not echoed) and data = 0; for a newly added knote fflags = 0 as well.
     */
    @Test
    void KQ_38_receiptOnSuccessIsAnErrorEntryWithDataZero() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(1);
             KEventList ev = KEventList.allocate(2)) {
            changes.set(0, 1, EVFILT_USER, EV_ADD | EV_CLEAR | EV_RECEIPT, 0x123, 77, 55);
            assertEquals(1, kq.kevent(changes, 1, ev, 2, POLL));
            assertEquals(1, ev.ident(0));
            assertEquals(EVFILT_USER, ev.filter(0));
            assertEquals(EV_ERROR, ev.flags(0));
            assertEquals(0, ev.data(0));
            assertEquals(0, ev.fflags(0));
            assertEquals(55, ev.udata(0));
        }
    }

    /**
     * KQ-39: EV_RECEIPT on a change when nevents = 0: the change is applied, kevent returns 0, and
     * the changes after it are not processed.
     */
    @Test
    void KQ_39_receiptWithoutRoomStopsTheChangelist() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(2)) {
            changes.set(0, 1, EVFILT_USER, EV_ADD | EV_RECEIPT, 0, 0, 0);
            changes.set(1, 2, EVFILT_USER, EV_ADD, 0, 0, 0);
            assertEquals(0, kq.kevent(changes, 2, null, 0, POLL));
            assertEquals(0, change(kq, 1, EVFILT_USER, EV_DELETE), "the receipt change was applied");
            expectErrno(Errno.ENOENT, () -> change(kq, 2, EVFILT_USER, EV_DELETE));
        }
    }

    /**
     * KQ-40: bulk registration — 8 changes each with EV_RECEIPT and nevents = 8 return exactly 8
     * receipts in changelist order, while knotes that are already triggered (4 pipes holding a
     * byte, and a user knote triggered before the call) stay pending for the next poll.
     */
    @Test
    void KQ_40_bulkReceiptsKeepTriggeredKnotesPending() throws Exception {
        int n = 8;
        List<int[]> pipes = new ArrayList<>();
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(n);
             KEventList ev = KEventList.allocate(16)) {
            change(kq, 100, EVFILT_USER, EV_ADD | EV_CLEAR);
            change(kq, 100, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
            for (int i = 0; i < 4; i++) {
                int[] p = Os.pipe();
                pipes.add(p);
                assertEquals(1, Os.write(p[1], 1));
                changes.set(2 * i, p[0], EVFILT_READ, EV_ADD | EV_RECEIPT, 0, 0, i);
                changes.set(2 * i + 1, 200 + i, EVFILT_USER, EV_ADD | EV_RECEIPT, 0, 0, i);
            }
            assertEquals(n, kq.kevent(changes, n, ev, n, POLL));
            for (int i = 0; i < n; i++) {
                assertEquals(changes.ident(i), ev.ident(i), "receipt " + i);
                assertEquals(changes.filter(i), ev.filter(i), "receipt " + i);
                assertEquals(EV_ERROR, ev.flags(i), "receipt " + i);
                assertEquals(0, ev.data(i), "receipt " + i);
            }
            int got = poll(kq, ev);
            assertEquals(5, got, "4 readable pipes and the triggered user knote");
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < got; i++) {
                assertTrue(seen.add(ev.filter(i) + ":" + ev.ident(i)));
            }
            Set<String> expected = new HashSet<>();
            expected.add(EVFILT_USER + ":100");
            for (int[] p : pipes) {
                expected.add(EVFILT_READ + ":" + p[0]);
            }
            assertEquals(expected, seen);
        } finally {
            for (int[] p : pipes) {
                Os.closeQuietly(p);
            }
        }
    }

    /** KQ-41: EV_DELETE+EV_RECEIPT on a missing knote → entry with flags = EV_ERROR, data = ENOENT. */
    @Test
    void KQ_41_deleteReceiptOnMissingKnoteReportsEnoent() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(1);
             KEventList ev = KEventList.allocate(1)) {
            changes.set(0, 8, EVFILT_USER, EV_DELETE | EV_RECEIPT, 0, 0, 0);
            assertEquals(1, kq.kevent(changes, 1, ev, 1, POLL));
            assertEquals(8, ev.ident(0));
            assertEquals(EVFILT_USER, ev.filter(0));
            assertEquals(EV_ERROR, ev.flags(0));
            assertEquals(Errno.ENOENT.value(), ev.data(0));
        }
    }

    /**
     * KQ-42: the same list may be both changelist and eventlist: a = [add+EV_RECEIPT,
     * delete-missing] gives 2 with a[0] = {EV_ERROR, data 0}, a[1] = {EV_ERROR, data ENOENT}.
     */
    @Test
    void KQ_42_sameListAsChangelistAndEventlist() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList a = KEventList.allocate(2)) {
            a.set(0, 1, EVFILT_USER, EV_ADD | EV_RECEIPT, 0, 0, 0);
            a.set(1, 2, EVFILT_USER, EV_DELETE, 0, 0, 0);
            assertEquals(2, kq.kevent(a, 2, a, 2, POLL));
            assertEquals(1, a.ident(0));
            assertEquals(EVFILT_USER, a.filter(0));
            assertEquals(EV_ERROR, a.flags(0));
            assertEquals(0, a.data(0));
            assertEquals(2, a.ident(1));
            assertEquals(EVFILT_USER, a.filter(1));
            assertEquals(EV_ERROR, a.flags(1));
            assertEquals(Errno.ENOENT.value(), a.data(1));
            assertEquals(0, change(kq, 1, EVFILT_USER, EV_DELETE));
        }
    }

    /**
     * KQ-43: at most nevents events are returned and none are lost: 5 triggered EV_CLEAR user
     * knotes polled with nevents = 2 give 2, 2, 1, 0, each ident exactly once.
     */
    @Test
    void KQ_43_eventsAreReturnedInBatchesWithoutLoss() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(2)) {
            for (int id = 1; id <= 5; id++) {
                change(kq, id, EVFILT_USER, EV_ADD | EV_CLEAR);
                change(kq, id, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
            }
            List<Integer> counts = new ArrayList<>();
            List<Long> idents = new ArrayList<>();
            for (int call = 0; call < 4; call++) {
                int n = kq.kevent(null, 0, ev, 2, POLL);
                counts.add(n);
                for (int i = 0; i < n; i++) {
                    idents.add(ev.ident(i));
                }
            }
            assertEquals(List.of(2, 2, 1, 0), counts);
            idents.sort(null);
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), idents);
        }
    }

    /**
     * KQ-44: fairness — two level-triggered knotes that stay ready (two pipes holding a byte),
     * polled with nevents = 1, are returned alternately.
     */
    @Test
    void KQ_44_levelTriggeredKnotesAreReturnedAlternately() throws Exception {
        int[] a = Os.pipe();
        int[] b = Os.pipe();
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(2);
             KEventList ev = KEventList.allocate(1)) {
            assertEquals(1, Os.write(a[1], 1));
            assertEquals(1, Os.write(b[1], 1));
            changes.set(0, a[0], EVFILT_READ, EV_ADD, 0, 0, 0);
            changes.set(1, b[0], EVFILT_READ, EV_ADD, 0, 0, 0);
            assertEquals(0, kq.kevent(changes, 2, null, 0, POLL));
            List<Long> order = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                assertEquals(1, kq.kevent(null, 0, ev, 1, POLL));
                order.add(ev.ident(0));
            }
            for (int i = 1; i < order.size(); i++) {
                assertTrue(!order.get(i).equals(order.get(i - 1)), "alternating order: " + order);
            }
            assertEquals(Set.of((long) a[0], (long) b[0]), new HashSet<>(order));
        } finally {
            Os.closeQuietly(a);
            Os.closeQuietly(b);
        }
    }

    /**
     * KQ-45: an (ident, filter) appears at most once per call; activity before retrieval is
     * aggregated: three 1-byte writes and three triggers give one READ event (data 3) and one
     * USER event.
     */
    @Test
    void KQ_45_activityIsAggregatedIntoOneEventPerKnote() throws Exception {
        int[] p = Os.pipe();
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(8)) {
            change(kq, p[0], EVFILT_READ, EV_ADD);
            change(kq, 1, EVFILT_USER, EV_ADD | EV_CLEAR);
            for (int i = 0; i < 3; i++) {
                assertEquals(1, Os.write(p[1], 1));
                change(kq, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
            }
            int n = poll(kq, ev);
            assertEquals(2, n);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < n; i++) {
                assertTrue(seen.add(ev.filter(i) + ":" + ev.ident(i)), "duplicate " + ev.get(i));
                if (ev.filter(i) == EVFILT_READ) {
                    assertEquals(p[0], ev.ident(i));
                    assertEquals(3, ev.data(i));
                } else {
                    assertEquals(EVFILT_USER, ev.filter(i));
                    assertEquals(1, ev.ident(i));
                }
            }
        } finally {
            Os.closeQuietly(p);
        }
    }

    /**
     * KQ-46: a level-triggered knote whose condition no longer holds at collection time is not
     * returned: write 1 byte into a registered pipe, read it back, poll → 0; also when the knote
     * was queued by an earlier poll that returned it.
     */
    @Test
    void KQ_46_levelKnoteNoLongerTrueIsNotReturned() throws Exception {
        int[] p = Os.pipe();
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(2)) {
            change(kq, p[0], EVFILT_READ, EV_ADD);
            assertEquals(1, Os.write(p[1], 1));
            assertEquals(1, Os.read(p[0], 1));
            assertEquals(0, poll(kq, ev));

            assertEquals(1, Os.write(p[1], 1));
            assertEquals(1, poll(kq, ev));
            assertEquals(1, poll(kq, ev), "level-triggered: still true, returned again");
            assertEquals(1, Os.read(p[0], 1));
            assertEquals(0, poll(kq, ev));
        } finally {
            Os.closeQuietly(p);
        }
    }

    /**
     * KQ-47: returned data reflect the state at collection time: two 11-byte writes into a
     * registered pipe before the poll give one event with data = 22.
     */
    @Test
    void KQ_47_dataReflectsStateAtCollection() throws Exception {
        int[] p = Os.pipe();
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(4)) {
            change(kq, p[0], EVFILT_READ, EV_ADD);
            assertEquals(11, Os.write(p[1], 11));
            assertEquals(11, Os.write(p[1], 11));
            assertEquals(1, poll(kq, ev));
            assertEquals(p[0], ev.ident(0));
            assertEquals(22, ev.data(0));
        } finally {
            Os.closeQuietly(p);
        }
    }

    /**
     * KQ-48: closing a kqueue that still holds knotes of every filter succeeds without any
     * EV_DELETE; right after close returns the descriptor count equals its value before
     * {@code kqueue()}, no timer keeps running (the count stays there, and no thread of the kqueue
     * remains, 150 ms later) and SIGUSR1's disposition ({@code sigaction(SIGUSR1, NULL, &old)}) is
     * as before {@code kqueue()}. The knotes: user, one-shot and periodic timers, read on a pipe,
     * write and empty on a TCP socket, signal (SIGUSR1, set to SIG_IGN first, sent once and
     * counted), proc and procdesc (NOTE_EXIT on a live child and on a process descriptor of it),
     * vnode (NOTE_ATTRIB+NOTE_WRITE on a temp file whose times were changed).
     */
    @Test
    void KQ_48_closeWithLiveKnotesReleasesEverything() throws Exception {
        int[] p = Os.pipe();
        try (Os.TcpPair tcp = Os.tcpPair(); SgPrVnKit.Sources sources = SgPrVnKit.Sources.open()) {
            int sock = tcp.clientFd();
            int usr1 = sources.signal.number();
            String dispositionBefore = SgPrVnKit.disposition(usr1);
            Set<Thread> threadsBefore = liveThreads();
            int before = Os.fdCount();
            KQueue kq = KQueue.open();
            try (KEventList ev = KEventList.allocate(16)) {
                sources.register(kq);
                sources.activate(kq);
                change(kq, 1, EVFILT_USER, EV_ADD | EV_CLEAR);
                change(kq, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
                change(kq, 2, EVFILT_TIMER, EV_ADD, 0, 10, 0);
                change(kq, 3, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 5000, 0);
                change(kq, p[0], EVFILT_READ, EV_ADD);
                change(kq, sock, EVFILT_WRITE, EV_ADD);
                change(kq, sock, EVFILT_EMPTY, EV_ADD);
                assertEquals(1, Os.write(p[1], 1));
                kq.descriptor();
                Thread.sleep(30);
                assertTrue(poll(kq, ev) >= 5);
                SignalSupport.killSelf(usr1); // counted once more, but never collected
                SgPrVnKit.joinHandlerThreads(SgPrVnKit.Sources.SIGNAL);
            }
            kq.close();
            assertEquals(before, Os.fdCount(), "descriptor count right after close");
            assertEquals(dispositionBefore, SgPrVnKit.disposition(usr1), "SIGUSR1 disposition right after close");
            Thread.sleep(150);
            assertEquals(before, Os.fdCount(), "descriptor count 150 ms after close");
            assertEquals(List.of(), newThreads(threadsBefore), "threads left behind");
            assertFalse(kq.isOpen());
            assertTrue(sources.child.process().isAlive(), "the watched child was left alone");
        } finally {
            Os.closeQuietly(p);
        }
    }

    /**
     * KQ-49: closing a watched descriptor removes its knotes from every kqueue: afterwards EV_DELETE
     * on that number → EBADF, and → ENOENT once the number is reused by a new descriptor.
     */
    @Test
    void KQ_49_closingAWatchedDescriptorRemovesItsKnotesEverywhere() throws Exception {
        int[] p = Os.pipe();
        List<Integer> opened = new ArrayList<>();
        try (KQueue kq1 = KQueue.open(); KQueue kq2 = KQueue.open(); KQueue kq3 = KQueue.open()) {
            for (KQueue kq : new KQueue[] {kq1, kq2, kq3}) {
                change(kq, p[0], EVFILT_READ, EV_ADD);
            }
            Os.close(p[0]);
            Os.close(p[1]);
            assertTrue(isClosed(p[0]));
            expectErrno(Errno.EBADF, () -> change(kq1, p[0], EVFILT_READ, EV_DELETE));
            expectErrno(Errno.EBADF, () -> change(kq3, p[0], EVFILT_READ, EV_DELETE));
            assertTrue(reuseNumberWithPipes(p[0], opened), "number " + p[0] + " reused");
            expectErrno(Errno.ENOENT, () -> change(kq2, p[0], EVFILT_READ, EV_DELETE));
            expectErrno(Errno.ENOENT, () -> change(kq1, p[0], EVFILT_READ, EV_DELETE));
            expectErrno(Errno.ENOENT, () -> change(kq3, p[0], EVFILT_READ, EV_DELETE));
        } finally {
            Os.closeQuietly(p);
            closeAll(opened);
        }
    }

    /**
     * KQ-50: an event queued for a descriptor is discarded when the descriptor is closed: a pipe
     * read end with data whose event was returned (and, level-triggered, is queued again) is
     * closed; no event with that ident is returned afterwards (poll and wait(100 ms)).
     */
    @Test
    void KQ_50_queuedEventIsDiscardedWhenDescriptorCloses() throws Exception {
        int[] p = Os.pipe();
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(4)) {
            change(kq, p[0], EVFILT_READ, EV_ADD);
            change(kq, p[1], EVFILT_WRITE, EV_ADD);
            assertEquals(1, Os.write(p[1], 1));
            assertEquals(2, poll(kq, ev));
            Os.close(p[0]);
            int n = poll(kq, ev);
            assertEquals(0, countIdent(ev, n, p[0]), () -> "no event for the closed read end: " + events(ev, n));
            Os.close(p[1]);
            int m = waitFor(kq, ev, 100);
            assertEquals(List.of(), events(ev, m), "no event once both ends are closed");
        } finally {
            Os.closeQuietly(p);
        }
    }

    private static List<KEvent> events(KEventList ev, int n) {
        List<KEvent> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(ev.get(i));
        }
        return list;
    }

    private static int countIdent(KEventList ev, int n, long ident) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (ev.ident(i) == ident) {
                count++;
            }
        }
        return count;
    }

    /**
     * KQ-51: descriptor-number reuse — after both ends of a watched pipe (READ on the read end,
     * WRITE on the write end) are closed, a new UDP socket that receives the read end's number and
     * holds a datagram produces no event (wait 100 ms).
     */
    @Test
    void KQ_51_reusedNumberProducesNoStaleEvent() throws Exception {
        // The JDK's first DatagramChannel keeps a descriptor of its own for good: open one first.
        DatagramChannel.open().close();
        int[] p = Os.pipe();
        List<DatagramChannel> channels = new ArrayList<>();
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(4)) {
            change(kq, p[0], EVFILT_READ, EV_ADD);
            change(kq, p[1], EVFILT_WRITE, EV_ADD);
            Os.close(p[0]);
            Os.close(p[1]);
            DatagramChannel rx = null;
            for (int i = 0; i < 50 && rx == null; i++) {
                DatagramChannel c = DatagramChannel.open();
                channels.add(c);
                if (Descriptors.of(c) == p[0]) {
                    rx = c;
                }
            }
            assertNotNull(rx, "a UDP socket got number " + p[0]);
            rx.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            DatagramChannel tx = DatagramChannel.open();
            channels.add(tx);
            assertEquals(3, tx.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), rx.getLocalAddress()));
            assertTrue(Os.readable(p[0]) > 0, "the new socket holds a datagram");
            int n = waitFor(kq, ev, 100);
            assertEquals(List.of(), events(ev, n), "pipe was " + p[0] + ", " + p[1]);
        } finally {
            for (DatagramChannel c : channels) {
                c.close();
            }
        }
    }

    /**
     * KQ-52: closing a watched descriptor removes its knote even when a {@code dup()} keeps the
     * file open; activity on the duplicate is not reported (wait 100 ms).
     */
    @Test
    void KQ_52_closeRemovesKnoteEvenWhenADupKeepsTheFileOpen() throws Exception {
        int[] p = Os.pipe();
        int dup = Os.dup(p[0]);
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(4)) {
            change(kq, p[0], EVFILT_READ, EV_ADD);
            Os.close(p[0]);
            assertEquals(1, Os.write(p[1], 1));
            assertEquals(1, Os.readable(dup), "the duplicate is readable");
            assertEquals(0, waitFor(kq, ev, 100));
            assertEquals(1, Os.write(p[1], 1));
            assertEquals(0, waitFor(kq, ev, 100));
        } finally {
            Os.closeQuietly(p[0], p[1], dup);
        }
    }

    /** KQ-53: EVFILT_READ on the kqueue's own descriptor → EINVAL. */
    @Test
    void KQ_53_readOnOwnDescriptorFailsWithEinval() throws Exception {
        try (KQueue kq = KQueue.open()) {
            int fd = kq.descriptor();
            expectErrno(Errno.EINVAL, () -> change(kq, fd, EVFILT_READ, EV_ADD));
            expectErrno(Errno.ENOENT, () -> change(kq, fd, EVFILT_READ, EV_DELETE));
        }
    }

    /**
     * KQ-54: kq1 watches kq2 with EVFILT_READ: after a user event is triggered on kq2, kq1 returns
     * {ident=kq2, EVFILT_READ, data=1}; once kq2's event was consumed, kq1 returns nothing.
     */
    @Test
    void KQ_54_kqueueWatchesAnotherKqueue() throws Exception {
        try (KQueue kq1 = KQueue.open(); KQueue kq2 = KQueue.open(); KEventList ev = KEventList.allocate(4)) {
            int fd2 = kq2.descriptor();
            change(kq2, 1, EVFILT_USER, EV_ADD | EV_CLEAR);
            change(kq1, fd2, EVFILT_READ, EV_ADD);
            assertEquals(0, poll(kq1, ev));
            change(kq2, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
            assertEquals(1, poll(kq1, ev));
            assertEquals(fd2, ev.ident(0));
            assertEquals(EVFILT_READ, ev.filter(0));
            assertEquals(1, ev.data(0));
            assertEquals(1, poll(kq2, ev));
            assertEquals(1, ev.ident(0));
            assertEquals(EVFILT_USER, ev.filter(0));
            assertEquals(0, poll(kq1, ev));
            assertEquals(0, waitFor(kq1, ev, 100));
        }
    }

    /**
     * KQ-55: kq1 watches kq2 with EV_CLEAR; kq2 holds an EVFILT_SIGNAL knote for SIGUSR1; after each
     * {@code kill(getpid(), SIGUSR1)} kq1 returns 1 and a second poll 0 (100 iterations). SIGUSR1
     * is set to SIG_IGN first (the SG convention: a JVM cannot block it in every thread, and an
     * unobserved delivery must not kill the test JVM). The ident is the host's signal number. On
     * Linux the JVM runs signal handlers on a thread started after {@code kill()} returned, so the
     * event is awaited with wait(1 s) rather than a single poll.
     */
    @Test
    void KQ_55_kqueueWatchingASignalKqueueFiresOncePerSignal() throws Exception {
        Signal usr1 = new Signal("USR1");
        SignalHandler previous = Signal.handle(usr1, SignalHandler.SIG_IGN);
        try (KQueue kq1 = KQueue.open(); KQueue kq2 = KQueue.open(); KEventList ev = KEventList.allocate(4)) {
            int fd2 = kq2.descriptor();
            change(kq2, usr1.getNumber(), EVFILT_SIGNAL, EV_ADD);
            change(kq1, fd2, EVFILT_READ, EV_ADD | EV_CLEAR);
            for (int i = 0; i < 100; i++) {
                SignalSupport.killSelf(usr1.getNumber());
                assertEquals(1, waitFor(kq1, ev, 1000), "iteration " + i);
                assertEquals(fd2, ev.ident(0));
                assertEquals(EVFILT_READ, ev.filter(0));
                assertEquals(0, poll(kq1, ev), "iteration " + i + ": second poll");
            }
        } finally {
            Signal.handle(usr1, previous);
        }
    }

    /**
     * KQ-56: a kqueue descriptor accepts only EVFILT_READ: EVFILT_WRITE, EVFILT_VNODE (watching
     * NOTE_WRITE+NOTE_ATTRIB) and EVFILT_EMPTY (the other descriptor filter) on it → EINVAL, and
     * nothing is registered; EVFILT_READ is accepted.
     */
    @Test
    void KQ_56_kqueueDescriptorAcceptsOnlyRead() throws Exception {
        try (KQueue kq1 = KQueue.open(); KQueue kq2 = KQueue.open()) {
            int fd2 = kq2.descriptor();
            expectErrno(Errno.EINVAL, () -> change(kq1, fd2, EVFILT_WRITE, EV_ADD));
            expectErrno(Errno.EINVAL, () -> change(kq1, fd2, EVFILT_VNODE, EV_ADD, NOTE_WRITE | NOTE_ATTRIB, 0, 0));
            expectErrno(Errno.EINVAL, () -> change(kq1, fd2, EVFILT_EMPTY, EV_ADD));
            expectErrno(Errno.ENOENT, () -> change(kq1, fd2, EVFILT_WRITE, EV_DELETE));
            expectErrno(Errno.ENOENT, () -> change(kq1, fd2, EVFILT_VNODE, EV_DELETE));
            assertEquals(0, change(kq1, fd2, EVFILT_READ, EV_ADD));
        }
    }

    /**
     * KQ-57, after close: the kqueue's descriptor is gone, and its number may already name another
     * file, so {@code descriptor()} answers −1 rather than a number nobody owns.
     */
    @Test
    void KQ_57_descriptorOfAClosedKqueueIsMinusOne() throws Exception {
        KQueue kq = KQueue.open();
        int fd = kq.descriptor();
        assertTrue(fd >= 0, "open: a descriptor");
        kq.close();
        assertEquals(-1, kq.descriptor());
    }

    /**
     * KQ-57: the kqueue descriptor is readable for poll(2) while events are pending and not
     * readable otherwise — in particular not after internal wakeups: a blocked waiter woken by a
     * trigger, a timer added while a thread waits, an interrupted waiter, and an expired timer
     * once its event was consumed.
     */
    @Test
    void KQ_57_kqueueDescriptorIsReadableOnlyWithPendingEvents() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(4)) {
            int fd = kq.descriptor();
            assertFalse(Os.pollReadable(fd), "new kqueue");
            change(kq, 1, EVFILT_USER, EV_ADD | EV_CLEAR);
            assertFalse(Os.pollReadable(fd), "knote added, not triggered");
            change(kq, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
            assertTrue(Os.pollReadable(fd), "event pending");
            assertEquals(1, poll(kq, ev));
            assertFalse(Os.pollReadable(fd), "event consumed");

            // a waiter woken by a trigger from another thread
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread waiter = waiter(kq, Duration.ofSeconds(3), outcome);
            Thread.sleep(100);
            change(kq, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
            waiter.join(3000);
            assertEquals(1, outcome.get());
            assertFalse(Os.pollReadable(fd), "after a woken waiter consumed the event");

            // a timer added while a thread waits (internal wakeup to re-arm), then an interrupt
            waiter = waiter(kq, Duration.ofSeconds(3), outcome);
            Thread.sleep(100);
            change(kq, 2, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 10_000, 0);
            Thread.sleep(100);
            assertFalse(Os.pollReadable(fd), "after a timer was added under a waiter");
            waiter.interrupt();
            waiter.join(3000);
            assertTrue(outcome.get() instanceof KQueueException e && e.errno() == Errno.EINTR,
                    "interrupted waiter: " + outcome.get());
            assertFalse(Os.pollReadable(fd), "after an interrupted waiter left");
            change(kq, 2, EVFILT_TIMER, EV_DELETE);
            assertFalse(Os.pollReadable(fd), "after a timer was deleted");

            // an expiring timer
            change(kq, 3, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 50, 0);
            assertFalse(Os.pollReadable(fd), "timer not yet expired");
            Thread.sleep(150);
            assertTrue(Os.pollReadable(fd), "timer expired");
            assertEquals(1, poll(kq, ev));
            assertEquals(3, ev.ident(0));
            assertFalse(Os.pollReadable(fd), "timer event consumed");
            assertEquals(0, waitFor(kq, ev, 50));
            assertFalse(Os.pollReadable(fd), "after a wait that timed out");
        }
    }

    private static Thread waiter(KQueue kq, Duration timeout, AtomicReference<Object> outcome) {
        outcome.set(null);
        Thread t = new Thread(() -> {
            try (KEventList ev = KEventList.allocate(1)) {
                outcome.set(kq.kevent(null, 0, ev, 1, timeout));
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        t.start();
        return t;
    }

    /**
     * KQ-58: a chain kq0 → kq1 → … → kq99 (each watching the next with EVFILT_READ) either
     * registers fully or fails cleanly (ELOOP or EINVAL) at some depth, after which the kqueues
     * still work; closing in reverse order succeeds.
     */
    @Test
    void KQ_58_deepChainOfKqueuesRegistersOrFailsCleanly() throws Exception {
        List<KQueue> chain = new ArrayList<>();
        try (KEventList ev = KEventList.allocate(4)) {
            for (int i = 0; i < 100; i++) {
                chain.add(KQueue.open());
            }
            int failedAt = -1;
            for (int i = 0; i < 99; i++) {
                try {
                    change(chain.get(i), chain.get(i + 1).descriptor(), EVFILT_READ, EV_ADD);
                } catch (KQueueException e) {
                    assertTrue(e.errno() == Errno.ELOOP || e.errno() == Errno.EINVAL,
                            "link " + i + " failed with " + e.getMessage());
                    failedAt = i;
                    break;
                }
            }
            if (failedAt >= 0) {
                KQueue failed = chain.get(failedAt);
                assertEquals(0, poll(failed, ev), "the kqueue whose registration failed still works");
                int next = chain.get(failedAt + 1).descriptor();
                expectErrno(Errno.ENOENT, () -> change(failed, next, EVFILT_READ, EV_DELETE));
            }
            int last = failedAt >= 0 ? failedAt : 99;
            change(chain.get(last), 1, EVFILT_USER, EV_ADD | EV_CLEAR);
            change(chain.get(last), 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
            if (last > 0) {
                assertEquals(1, waitFor(chain.get(last - 1), ev, 1000), "the link above the last one reports it");
            }
        } finally {
            for (int i = chain.size() - 1; i >= 0; i--) {
                chain.get(i).close();
                assertFalse(chain.get(i).isOpen());
            }
        }
    }

    /** KQ-59: a registration that would make two kqueues watch each other fails with ELOOP. */
    @Test
    void KQ_59_cycleOfKqueuesFailsWithEloop() throws Exception {
        try (KQueue kq1 = KQueue.open(); KQueue kq2 = KQueue.open(); KEventList ev = KEventList.allocate(2)) {
            change(kq1, kq2.descriptor(), EVFILT_READ, EV_ADD);
            expectErrno(Errno.ELOOP, () -> change(kq2, kq1.descriptor(), EVFILT_READ, EV_ADD));
            expectErrno(Errno.ENOENT, () -> change(kq2, kq1.descriptor(), EVFILT_READ, EV_DELETE));
            assertEquals(0, poll(kq1, ev));
            assertEquals(0, poll(kq2, ev));
        }
    }

    /**
     * KQ-60: kqueue handles are usable from any thread: a kqueue created and loaded on thread A is
     * read by thread B with the same results A gets.
     */
    @Test
    void KQ_60_kqueueIsUsableFromAnyThread() throws Exception {
        int[] p = Os.pipe();
        AtomicReference<KQueue> created = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        try {
            Thread a = new Thread(() -> {
                try {
                    KQueue kq = KQueue.open();
                    created.set(kq);
                    change(kq, 1, EVFILT_USER, EV_ADD | EV_CLEAR);
                    change(kq, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
                    change(kq, p[0], EVFILT_READ, EV_ADD, 0, 0, 42);
                    Os.write(p[1], 5);
                } catch (Throwable t) {
                    error.set(t);
                }
            }, "kq-60-A");
            a.start();
            a.join(5000);
            assertNull(error.get());
            KQueue kq = created.get();
            assertNotNull(kq);
            List<String> readByB = new ArrayList<>();
            Thread b = new Thread(() -> {
                try (KEventList ev = KEventList.allocate(4)) {
                    int n = poll(kq, ev);
                    for (int i = 0; i < n; i++) {
                        readByB.add(ev.get(i).toString());
                    }
                } catch (Throwable t) {
                    error.set(t);
                }
            }, "kq-60-B");
            b.start();
            b.join(5000);
            assertNull(error.get());
            readByB.sort(null);
            List<String> expected = new ArrayList<>(List.of(
                    new KEvent(1, EVFILT_USER, EV_CLEAR, 0, 0, 0).toString(),
                    new KEvent(p[0], EVFILT_READ, 0, 0, 5, 42).toString()));
            expected.sort(null);
            assertEquals(expected, readByB);

            List<String> readByA = new ArrayList<>();
            Thread a2 = new Thread(() -> {
                try (KEventList ev = KEventList.allocate(4)) {
                    change(kq, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 0);
                    int n = poll(kq, ev);
                    for (int i = 0; i < n; i++) {
                        readByA.add(ev.get(i).toString());
                    }
                    kq.close();
                } catch (Throwable t) {
                    error.set(t);
                }
            }, "kq-60-A2");
            a2.start();
            a2.join(5000);
            assertNull(error.get());
            readByA.sort(null);
            assertEquals(expected, readByA, "the same events on another thread");
            assertFalse(kq.isOpen());
        } finally {
            KQueue kq = created.get();
            if (kq != null) {
                kq.close();
            }
            Os.closeQuietly(p);
        }
    }

    /**
     * KQ-61: EV_ERROR data and socket-error fflags carry the host's errno numbers, exposed by
     * name: an EV_DELETE of a missing knote gives data = ENOENT's host number, and a TCP peer reset
     * (SO_LINGER 0, close) gives a read event with EV_EOF and fflags = ECONNRESET's host number
     * (104 on Linux, 54 on FreeBSD) — compared through {@link Errno}.
     */
    @Test
    void KQ_61_errnoNumbersAreTheHostsAndMapToNames() throws Exception {
        try (KQueue kq = KQueue.open(); KEventList changes = KEventList.allocate(1);
             KEventList ev = KEventList.allocate(2); Os.TcpPair tcp = Os.tcpPair()) {
            changes.set(0, 3, EVFILT_USER, EV_DELETE, 0, 0, 0);
            assertEquals(1, kq.kevent(changes, 1, ev, 1, POLL));
            assertEquals(EV_ERROR, ev.flags(0));
            assertEquals(Errno.ENOENT, Errno.of((int) ev.data(0)));
            assertEquals(Os.errno("ENOENT"), ev.data(0), "the host's number");

            int server = tcp.serverFd();
            change(kq, server, EVFILT_READ, EV_ADD);
            tcp.client().setOption(StandardSocketOptions.SO_LINGER, 0);
            tcp.client().close();
            int n = waitFor(kq, ev, 1000);
            assertEquals(1, n);
            assertEquals(server, ev.ident(0));
            assertEquals(EV_EOF, ev.flags(0) & EV_EOF, "EV_EOF set: " + ev.get(0));
            assertEquals(Errno.ECONNRESET, Errno.of(ev.fflags(0)), "fflags " + ev.fflags(0));
            assertEquals(Os.errno("ECONNRESET"), ev.fflags(0), "the host's number");
        }
    }
}
