package io.github.kqueueffm.bsd;

import io.github.kqueueffm.bsd.abi.FreeBsdAbi;
import io.github.kqueueffm.bsd.abi.LibkqueueAbi;

import io.github.kqueueffm.KEventList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

import static io.github.kqueueffm.KEvent.EVFILT_AIO;
import static io.github.kqueueffm.KEvent.EVFILT_EMPTY;
import static io.github.kqueueffm.KEvent.EVFILT_PROC;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_SENDFILE;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EVFILT_VNODE;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DISPATCH;
import static io.github.kqueueffm.KEvent.EV_EOF;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_FORCEONESHOT;
import static io.github.kqueueffm.KEvent.EV_KEEPUDATA;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.EV_RECEIPT;
import static io.github.kqueueffm.KEvent.NOTE_ABSTIME;
import static io.github.kqueueffm.KEvent.NOTE_ATTRIB;
import static io.github.kqueueffm.KEvent.NOTE_DELETE;
import static io.github.kqueueffm.KEvent.NOTE_EXIT;
import static io.github.kqueueffm.KEvent.NOTE_FFCOPY;
import static io.github.kqueueffm.KEvent.NOTE_MSECONDS;
import static io.github.kqueueffm.KEvent.NOTE_NSECONDS;
import static io.github.kqueueffm.KEvent.NOTE_OPEN;
import static io.github.kqueueffm.KEvent.NOTE_SECONDS;
import static io.github.kqueueffm.KEvent.NOTE_TRIGGER;
import static io.github.kqueueffm.KEvent.NOTE_USECONDS;
import static io.github.kqueueffm.KEvent.NOTE_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KeventTranslator} against every ABI this build has: the FreeBSD identity, libkqueue, and
 * a made-up host with 4-byte filter and flags fields, its own numbering, padding and {@code ext}
 * (NetBSD's shape), so that every generic path — field widths, offsets, {@code ext}, renumbered
 * filters — runs on every build. Host records are checked byte by byte at the offsets the ABI
 * states, independently of the translator's own reading.
 */
class KeventTranslatorTest {
    /**
     * A NetBSD-shaped host: {@code uintptr_t ident; uint32_t filter, flags, fflags; (4 bytes pad)
     * int64_t data; void *udata; uint64_t ext[4];} = 72 bytes, filters numbered from 0, EV_CLEAR
     * moved to 0x0400, EV_ONESHOT missing, timer units renumbered.
     */
    static final KeventAbi WIDE = new KeventAbi("wide", "made up for the tests", 72, 0, 8, 4, 12, 4, 16, 24, 32, 40,
            Map.of(EVFILT_READ, 0, EVFILT_WRITE, 1, EVFILT_VNODE, 3, EVFILT_PROC, 4, EVFILT_TIMER, 6, EVFILT_USER, 8),
            wideFlags(), Map.of(EVFILT_TIMER, Map.of(NOTE_SECONDS, 0x10, NOTE_MSECONDS, 0, NOTE_USECONDS, 0x20,
                    NOTE_NSECONDS, 0x40, NOTE_ABSTIME, 0x1)),
            Map.of("EINVAL", 22), Map.of("SIGUSR1", 30));

    private final Arena arena = Arena.ofConfined();
    private final KEventList changes = KEventList.allocate(arena, 4);
    private final KEventList events = KEventList.allocate(arena, 4);

    private static Map<Integer, Integer> wideFlags() {
        Map<Integer, Integer> flags = new HashMap<>();
        for (int bit : new int[] {0x1, 0x2, 0x4, 0x8, 0x40, 0x80, 0x4000, 0x8000}) {
            flags.put(bit, bit);
        }
        flags.put(EV_CLEAR, 0x0400);
        return flags;
    }

    @AfterEach
    void free() {
        arena.close();
    }

    // ---------------------------------------------------------------- FreeBSD identity

    @Test
    void freeBsdIsTheIdentityAndPassesListsAsTheyAre() {
        KeventTranslator t = new KeventTranslator(FreeBsdAbi.ABI);
        assertTrue(FreeBsdAbi.ABI.isFreeBsdLayout());
        assertTrue(t.identity());
        assertEquals(KEventList.RECORD_SIZE, t.recordSize());
        MemorySegment host = arena.allocate(64);
        t.put(host, 0, 11, EVFILT_VNODE, EV_ADD | EV_CLEAR, NOTE_DELETE | NOTE_OPEN, -3, 0x1234_5678_9abcL);
        changes.set(0, 11, EVFILT_VNODE, EV_ADD | EV_CLEAR, NOTE_DELETE | NOTE_OPEN, -3, 0x1234_5678_9abcL);
        assertEquals(-1, host.mismatch(changes.segment().asSlice(0, 64)), "host record == our record");
    }

    @Test
    void layoutsAreNotMistakenForFreeBsds() {
        assertFalse(LibkqueueAbi.ABI.isFreeBsdLayout());
        assertFalse(WIDE.isFreeBsdLayout());
    }

    // ---------------------------------------------------------------- libkqueue

    @Test
    void libkqueueRecordsCarryEveryFieldAtItsOffset() {
        KeventTranslator t = new KeventTranslator(LibkqueueAbi.ABI);
        MemorySegment host = arena.allocate(32 * 4);
        changes.set(0, 0xFFFF_FFFF_FFFF_FFFEL, EVFILT_USER, EV_ADD | EV_CLEAR | EV_RECEIPT,
                NOTE_FFCOPY | NOTE_TRIGGER | 0xABCDEF, Long.MIN_VALUE, -1L);
        t.toHost(changes, 1, host);
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, host.get(ValueLayout.JAVA_LONG, 0));
        assertEquals(EVFILT_USER, host.get(ValueLayout.JAVA_SHORT, 8));
        assertEquals((short) (EV_ADD | EV_CLEAR | EV_RECEIPT), host.get(ValueLayout.JAVA_SHORT, 10));
        assertEquals(NOTE_FFCOPY | NOTE_TRIGGER | 0xABCDEF, host.get(ValueLayout.JAVA_INT, 12));
        assertEquals(Long.MIN_VALUE, host.get(ValueLayout.JAVA_LONG, 16));
        assertEquals(-1L, host.get(ValueLayout.JAVA_LONG, 24));

        assertEquals(1, t.fromHost(host, 0, 1, -1, null, 0, events));
        assertEquals(changes.get(0), events.get(0));
        for (int slot = 0; slot < 4; slot++) {
            assertEquals(0, events.ext(0, slot), "libkqueue has no ext");
        }
    }

    @Test
    void libkqueueTimerUnitsAreRenumberedBothWays() {
        KeventTranslator t = new KeventTranslator(LibkqueueAbi.ABI);
        int[][] units = {{NOTE_SECONDS, 1}, {NOTE_MSECONDS, 0}, {NOTE_USECONDS, 2}, {NOTE_NSECONDS, 4},
            {NOTE_ABSTIME | NOTE_USECONDS, 8 | 2}};
        MemorySegment host = arena.allocate(32);
        for (int[] unit : units) {
            t.put(host, 0, 1, EVFILT_TIMER, EV_ADD, unit[0], 50, 0);
            assertEquals(unit[1], host.get(ValueLayout.JAVA_INT, 12), "host bits of 0x" + Integer.toHexString(unit[0]));
            assertEquals(EVFILT_TIMER, host.get(ValueLayout.JAVA_SHORT, 8));
            t.fromHost(host, 0, 1, -1, null, 0, events);
            assertEquals(unit[0] & ~NOTE_MSECONDS, events.fflags(0), "back from 0x" + Integer.toHexString(unit[1]));
        }
    }

    @Test
    void whatLibkqueueLacksIsRefusedAsAnUnknownFilter() {
        KeventTranslator t = new KeventTranslator(LibkqueueAbi.ABI);
        MemorySegment host = arena.allocate(32);
        int unknown = t.unknownFilter();
        assertEquals(Short.MIN_VALUE, unknown);
        for (short filter : new short[] {EVFILT_AIO, EVFILT_SENDFILE, EVFILT_EMPTY, 0, 1, -20, -99}) {
            t.put(host, 0, 1, filter, EV_ADD, 0, 0, 0);
            assertEquals((short) unknown, host.get(ValueLayout.JAVA_SHORT, 8), "filter " + filter);
        }
        t.put(host, 0, 1, EVFILT_USER, EV_KEEPUDATA, 0, 0, 0);
        assertEquals((short) unknown, host.get(ValueLayout.JAVA_SHORT, 8), "EV_KEEPUDATA");
        t.put(host, 0, 1, EVFILT_USER, EV_ADD | EV_FORCEONESHOT, 0, 0, 0);
        assertEquals((short) unknown, host.get(ValueLayout.JAVA_SHORT, 8), "EV_FORCEONESHOT");
        t.put(host, 0, 1, EVFILT_TIMER, EV_ADD, 0x100, 5, 0);
        assertEquals((short) unknown, host.get(ValueLayout.JAVA_SHORT, 8), "an undefined timer bit");
        t.put(host, 0, 1, EVFILT_VNODE, EV_ADD, NOTE_WRITE | NOTE_OPEN, 0, 0);
        assertEquals((short) unknown, host.get(ValueLayout.JAVA_SHORT, 8), "a vnode note its header lacks (NOTE_OPEN)");
        t.put(host, 0, 1, EVFILT_VNODE, EV_ADD, NOTE_WRITE, 0, 0);
        assertEquals(EVFILT_VNODE, host.get(ValueLayout.JAVA_SHORT, 8), "a vnode note it has");
        assertEquals(NOTE_WRITE, host.get(ValueLayout.JAVA_INT, 12));
        t.put(host, 0, 1, EVFILT_USER, EV_ADD | 0x0400, 0, 0, 0);
        assertEquals(EVFILT_USER, host.get(ValueLayout.JAVA_SHORT, 8), "a flag no kqueue defines is dropped");
        assertEquals(EV_ADD, host.get(ValueLayout.JAVA_SHORT, 10));
    }

    @Test
    void anErrorEntryGetsTheCallersFilterFflagsAndExtBack() {
        KeventTranslator t = new KeventTranslator(LibkqueueAbi.ABI);
        changes.set(0, 5, EVFILT_USER, EV_ADD | EV_RECEIPT, 0, 0, 70);
        changes.set(1, 6, EVFILT_TIMER, EV_ADD, 0x100, 9, 71).ext(1, 0, 111).ext(1, 3, 333);
        changes.set(2, 7, (short) -20, EV_ADD, 0x42, 0, 72);
        MemorySegment host = arena.allocate(32 * 3);
        t.toHost(changes, 3, host);
        // what a kqueue writes back: each change with EV_ERROR and the errno in data
        for (int i = 0; i < 3; i++) {
            host.set(ValueLayout.JAVA_SHORT, i * 32L + 10, (short) EV_ERROR);
            host.set(ValueLayout.JAVA_LONG, i * 32L + 16, i == 0 ? 0 : 22);
        }
        assertEquals(3, t.fromHost(host, 0, 3, -1, changes, 3, events));
        assertEquals(EVFILT_USER, events.filter(0));
        assertEquals(0, events.data(0));
        assertEquals(EVFILT_TIMER, events.filter(1));
        assertEquals(0x100, events.fflags(1));
        assertEquals(EV_ERROR, events.flags(1));
        assertEquals(22, events.data(1));
        assertEquals(71, events.udata(1));
        assertEquals(111, events.ext(1, 0));
        assertEquals(333, events.ext(1, 3));
        assertEquals(-20, events.filter(2));
        assertEquals(0x42, events.fflags(2));
        assertEquals(7, events.ident(2));
    }

    @Test
    void theSameListMayBeChangesAndEvents() {
        KeventTranslator t = new KeventTranslator(LibkqueueAbi.ABI);
        changes.set(0, 1, (short) -20, EV_ADD, 0, 0, 1);
        changes.set(1, 2, (short) -21, EV_ADD, 0, 0, 2);
        changes.set(2, 3, (short) -22, EV_ADD, 0, 0, 3);
        MemorySegment host = arena.allocate(32 * 3);
        t.toHost(changes, 3, host);
        for (int i = 0; i < 3; i++) {
            host.set(ValueLayout.JAVA_SHORT, i * 32L + 10, (short) EV_ERROR);
            host.set(ValueLayout.JAVA_LONG, i * 32L + 16, 22);
        }
        assertEquals(3, t.fromHost(host, 0, 3, -1, changes, 3, changes));
        for (int i = 0; i < 3; i++) {
            assertEquals(-20 - i, changes.filter(i));
            assertEquals(i + 1, changes.ident(i));
        }
    }

    @Test
    void theWakeupsReadReportIsLeftOut() {
        KeventTranslator t = new KeventTranslator(LibkqueueAbi.ABI);
        MemorySegment host = arena.allocate(32 * 3);
        t.put(host, 0, 40, EVFILT_READ, EV_ADD, 0, 1, 0);
        t.put(host, 1, 41, EVFILT_READ, EV_ADD, 0, 1, 0);
        t.put(host, 2, 41, EVFILT_WRITE, EV_ADD, 0, 1, 0);
        assertTrue(t.isReadReport(host, 1, 41));
        assertEquals(2, t.fromHost(host, 0, 3, 41, null, 0, events));
        assertEquals(40, events.ident(0));
        assertEquals(EVFILT_WRITE, events.filter(1));
    }

    @Test
    void readAndWriteFflagsAreTheHostsErrnoUnchanged() {
        KeventTranslator t = new KeventTranslator(WIDE);
        MemorySegment host = arena.allocate(72);
        t.put(host, 0, 3, EVFILT_READ, EV_EOF, 0, 0, 0);
        host.set(ValueLayout.JAVA_INT, 16, 54); // ECONNRESET on the host
        t.fromHost(host, 0, 1, -1, null, 0, events);
        assertEquals(54, events.fflags(0));
        assertEquals(EV_EOF, events.flags(0));
    }

    // ---------------------------------------------------------------- a wide, renumbered host

    @Test
    void wideFieldsRenumberedFiltersAndExtRoundTrip() {
        KeventTranslator t = new KeventTranslator(WIDE);
        assertEquals(Integer.MAX_VALUE, t.unknownFilter());
        MemorySegment host = arena.allocate(72 * 3);
        changes.set(0, 9, EVFILT_READ, EV_ADD | EV_CLEAR | EV_DISPATCH, 0, 7, 99)
                .ext(0, 0, 1).ext(0, 1, 2).ext(0, 2, 3).ext(0, 3, 4);
        changes.set(1, 10, EVFILT_TIMER, EV_ADD, NOTE_ABSTIME | NOTE_NSECONDS, 1L << 40, 100);
        changes.set(2, 11, EVFILT_PROC, EV_ADD, NOTE_EXIT, 0, 101);
        t.toHost(changes, 3, host);
        assertEquals(9, host.get(ValueLayout.JAVA_LONG, 0));
        assertEquals(0, host.get(ValueLayout.JAVA_INT, 8), "EVFILT_READ is 0 on this host");
        assertEquals(EV_ADD | 0x0400 | EV_DISPATCH, host.get(ValueLayout.JAVA_INT, 12), "EV_CLEAR moved");
        assertEquals(7, host.get(ValueLayout.JAVA_LONG, 24));
        assertEquals(99, host.get(ValueLayout.JAVA_LONG, 32));
        for (int slot = 0; slot < 4; slot++) {
            assertEquals(slot + 1, host.get(ValueLayout.JAVA_LONG, 40 + 8L * slot));
        }
        assertEquals(6, host.get(ValueLayout.JAVA_INT, 72 + 8), "EVFILT_TIMER is 6");
        assertEquals(0x1 | 0x40, host.get(ValueLayout.JAVA_INT, 72 + 16));
        assertEquals(1L << 40, host.get(ValueLayout.JAVA_LONG, 72 + 24));
        assertEquals(NOTE_EXIT, host.get(ValueLayout.JAVA_INT, 144 + 16), "PROC fflags pass unchanged");

        assertEquals(3, t.fromHost(host, 0, 3, -1, null, 0, events));
        for (int i = 0; i < 3; i++) {
            assertEquals(changes.get(i), events.get(i));
            for (int slot = 0; slot < 4; slot++) {
                assertEquals(changes.ext(i, slot), events.ext(i, slot));
            }
        }
    }

    @Test
    void aWideHostRefusesWhatItLacksWithItsOwnUnknownFilter() {
        KeventTranslator t = new KeventTranslator(WIDE);
        MemorySegment host = arena.allocate(72);
        t.put(host, 0, 1, EVFILT_USER, EV_ADD | EV_ONESHOT, 0, 0, 0);
        assertEquals(Integer.MAX_VALUE, host.get(ValueLayout.JAVA_INT, 8), "EV_ONESHOT is missing");
        t.put(host, 0, 1, EVFILT_EMPTY, EV_ADD, 0, 0, 0);
        assertEquals(Integer.MAX_VALUE, host.get(ValueLayout.JAVA_INT, 8));
        assertEquals(EVFILT_USER, t.freeBsdFilter(8));
        assertEquals(EVFILT_READ, t.freeBsdFilter(0));
    }

    // ---------------------------------------------------------------- no allocation

    @Test
    void translatingAllocatesNothing() {
        KeventTranslator t = new KeventTranslator(LibkqueueAbi.ABI);
        MemorySegment host = arena.allocate(32 * 4);
        for (int i = 0; i < 4; i++) {
            changes.set(i, i, i % 2 == 0 ? EVFILT_TIMER : (short) -20, EV_ADD | EV_ERROR, NOTE_USECONDS, i, i);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long allocated = -1;
        for (int round = 0; round < 300 && allocated != 0; round++) {
            long before = threads.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 10_000; i++) {
                t.toHost(changes, 4, host);
                t.fromHost(host, 0, 4, 2, changes, 4, events);
            }
            allocated = threads.getThreadAllocatedBytes(tid) - before;
        }
        assertEquals(0, allocated, "bytes allocated by 10 000 round trips of 4 records");
    }

    @Test
    void aTimerWithSeveralUnitsIsRefusedOnEveryHost() {
        for (io.github.kqueueffm.bsd.KeventAbi abi : java.util.List.of(FreeBsdAbi.ABI, LibkqueueAbi.ABI,
                io.github.kqueueffm.bsd.abi.NetBsdAbi.ABI, io.github.kqueueffm.bsd.abi.OpenBsdAbi.ABI,
                io.github.kqueueffm.bsd.abi.MacOsAbi.ABI)) {
            KeventTranslator t = new KeventTranslator(abi);
            MemorySegment host = arena.allocate(abi.recordSize());
            t.put(host, 0, 1, EVFILT_TIMER, EV_ADD, io.github.kqueueffm.KEvent.NOTE_SECONDS
                    | io.github.kqueueffm.KEvent.NOTE_USECONDS, 5, 0);
            long filterAt = abi.filterOffset();
            int filter = abi.filterSize() == 2 ? host.get(ValueLayout.JAVA_SHORT, filterAt)
                    : host.get(ValueLayout.JAVA_INT, filterAt);
            assertEquals(t.unknownFilter(), abi.filterSize() == 2 ? (short) filter : filter, abi.name());
        }
    }
}
