package io.github.kqueueffm.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.github.kqueueffm.KEvent.EVFILT_PROC;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_SIGNAL;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EVFILT_VNODE;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@link KnoteTable}: the descriptor array and the open-addressing hash with backward-shift deletion. */
class KnoteTableTest {
    private final KnoteTable table = new KnoteTable();

    @Test
    void descriptorKnotesAreFoundByDescriptorAndFilter() {
        Knote read3 = insert(3, EVFILT_READ, true);
        Knote write3 = insert(3, EVFILT_WRITE, true);
        Knote read5 = insert(5, EVFILT_READ, true);

        assertSame(read3, table.find(3, EVFILT_READ, true));
        assertSame(write3, table.find(3, EVFILT_WRITE, true));
        assertSame(read5, table.find(5, EVFILT_READ, true));
        assertNull(table.find(3, EVFILT_VNODE, true));
        assertNull(table.find(4, EVFILT_READ, true));
        assertNull(table.find(-1, EVFILT_READ, true));
        assertNull(table.find(1L << 40, EVFILT_READ, true));
        assertNull(table.find(3, EVFILT_READ, false), "a descriptor knote is not in the hash");
        assertEquals(3, table.size());

        table.remove(read3, true);
        assertNull(table.find(3, EVFILT_READ, true));
        assertSame(write3, table.find(3, EVFILT_WRITE, true));
        assertSame(read5, table.find(5, EVFILT_READ, true));
        assertEquals(2, table.size());
    }

    @Test
    void otherKnotesAreFoundByIdentAndFilter() {
        Knote user7 = insert(7, EVFILT_USER, false);
        Knote timer7 = insert(7, EVFILT_TIMER, false);
        Knote signal7 = insert(7, EVFILT_SIGNAL, false);
        Knote userMin = insert(Long.MIN_VALUE, EVFILT_USER, false);
        Knote userMax = insert(Long.MAX_VALUE, EVFILT_USER, false);
        Knote userNegative = insert(-1, EVFILT_USER, false);
        Knote read7 = insert(7, EVFILT_READ, true);

        assertSame(user7, table.find(7, EVFILT_USER, false));
        assertSame(timer7, table.find(7, EVFILT_TIMER, false));
        assertSame(signal7, table.find(7, EVFILT_SIGNAL, false));
        assertSame(userMin, table.find(Long.MIN_VALUE, EVFILT_USER, false));
        assertSame(userMax, table.find(Long.MAX_VALUE, EVFILT_USER, false));
        assertSame(userNegative, table.find(-1, EVFILT_USER, false));
        assertSame(read7, table.find(7, EVFILT_READ, true));
        assertNull(table.find(7, EVFILT_PROC, false));
        assertNull(table.find(8, EVFILT_USER, false));
        assertNull(table.find(7 + (1L << 32), EVFILT_USER, false), "the ident's high half counts");
        assertNull(table.find(7, EVFILT_USER, true), "a non-descriptor knote is not in the array");
        assertEquals(7, table.size());

        table.remove(timer7, false);
        assertNull(table.find(7, EVFILT_TIMER, false));
        assertSame(user7, table.find(7, EVFILT_USER, false));
        assertSame(signal7, table.find(7, EVFILT_SIGNAL, false));
        assertEquals(6, table.size());
    }

    @Test
    void aRemovedKeyCanBeInsertedAgain() {
        Knote first = insert(9, EVFILT_USER, false);
        Knote firstFd = insert(9, EVFILT_READ, true);
        table.remove(first, false);
        table.remove(firstFd, true);
        assertEquals(0, table.size());

        Knote second = insert(9, EVFILT_USER, false);
        Knote secondFd = insert(9, EVFILT_READ, true);
        assertSame(second, table.find(9, EVFILT_USER, false));
        assertSame(secondFd, table.find(9, EVFILT_READ, true));
        assertEquals(2, table.size());
    }

    @Test
    void removingADescriptorKnoteBeyondTheArrayIsANoOp() {
        insert(3, EVFILT_READ, true);
        Knote never = TestKnotes.knote(100_000, EVFILT_READ, true);
        table.remove(never, true);
        assertNull(table.find(100_000, EVFILT_READ, true));
        assertEquals(1, table.size());
    }

    @Test
    void theDescriptorArrayGrowsForLargeDescriptors() {
        int[] fds = {0, 63, 64, 65, 200, 1000, 70_000};
        Map<Integer, Knote> byFd = new HashMap<>();
        for (int fd : fds) {
            byFd.put(fd, insert(fd, EVFILT_READ, true));
        }
        for (int fd : fds) {
            assertSame(byFd.get(fd), table.find(fd, EVFILT_READ, true), "fd " + fd);
        }
        assertNull(table.find(999, EVFILT_READ, true));
        assertNull(table.find(70_001, EVFILT_READ, true));
        assertEquals(fds.length, table.size());
    }

    @Test
    void onDescriptorListsTheFilterSlotsOfOneDescriptor() {
        Knote read = insert(7, EVFILT_READ, true);
        Knote write = insert(7, EVFILT_WRITE, true);
        Knote vnode = insert(7, EVFILT_VNODE, true);
        insert(8, EVFILT_READ, true);
        insert(7, EVFILT_USER, false);

        Knote[] slots = table.onDescriptor(7);
        assertNotNull(slots);
        assertSame(read, slots[-EVFILT_READ - 1]);
        assertSame(write, slots[-EVFILT_WRITE - 1]);
        assertSame(vnode, slots[-EVFILT_VNODE - 1]);
        assertEquals(List.of(read, write, vnode), present(slots), "only descriptor 7's descriptor knotes");

        table.remove(write, true);
        assertEquals(List.of(read, vnode), present(table.onDescriptor(7)));
        table.remove(read, true);
        table.remove(vnode, true);
        assertEquals(List.of(), present(table.onDescriptor(7)));

        assertEquals(List.of(), present(table.onDescriptor(6)), "a descriptor without knotes");
        assertNull(table.onDescriptor(-1));
        assertNull(table.onDescriptor(1 << 20));
    }

    @Test
    void removingAnyKeyOfACollisionChainKeepsTheOthersFindable() {
        long[] idents = HomeSlots.idents(5, EVFILT_USER, 20);
        for (int removed = 0; removed < idents.length; removed++) {
            KnoteTable fresh = new KnoteTable();
            Knote[] knotes = insertAll(fresh, idents, EVFILT_USER);
            fresh.remove(knotes[removed], false);

            assertNull(fresh.find(idents[removed], EVFILT_USER, false), "removed #" + removed);
            for (int i = 0; i < idents.length; i++) {
                if (i != removed) {
                    assertSame(knotes[i], fresh.find(idents[i], EVFILT_USER, false),
                            "key #" + i + " after removing #" + removed);
                }
            }
            assertEquals(idents.length - 1, fresh.size());
        }
    }

    @Test
    void emptyingACollisionChainInAnyOrderKeepsTheRestFindable() {
        long[] idents = HomeSlots.idents(17, EVFILT_TIMER, 24);
        Random random = new Random(9);
        for (int round = 0; round < 50; round++) {
            KnoteTable fresh = new KnoteTable();
            Knote[] knotes = insertAll(fresh, idents, EVFILT_TIMER);
            List<Integer> order = shuffled(idents.length, random);
            boolean[] gone = new boolean[idents.length];
            for (int r : order) {
                fresh.remove(knotes[r], false);
                gone[r] = true;
                for (int i = 0; i < idents.length; i++) {
                    Knote expected = gone[i] ? null : knotes[i];
                    assertSame(expected, fresh.find(idents[i], EVFILT_TIMER, false), "round " + round + ", key #" + i);
                }
            }
            assertEquals(0, fresh.size());
        }
    }

    /**
     * Two chains that overlap: keys homed at {@code h + 1} are displaced behind keys homed at
     * {@code h}. Backward shift may move a key only to a slot at or after its home.
     */
    @Test
    void backwardShiftDoesNotMoveAKeyBeforeItsHome() {
        long[] atH = HomeSlots.idents(40, EVFILT_USER, 6);
        long[] atNext = HomeSlots.idents(41, EVFILT_USER, 6);
        long[] atNextNext = HomeSlots.idents(42, EVFILT_USER, 2);
        List<Knote> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(insert(atH[i], EVFILT_USER, false));
            all.add(insert(atNext[i], EVFILT_USER, false));
        }
        all.add(insert(atNextNext[0], EVFILT_USER, false));
        all.add(insert(atNextNext[1], EVFILT_USER, false));

        // Remove the h-homed keys one by one from the middle of the cluster.
        for (int i : new int[] {2, 0, 5, 1, 4, 3}) {
            Knote kn = table.find(atH[i], EVFILT_USER, false);
            table.remove(kn, false);
            all.remove(kn);
            assertAllFindable(all);
        }
        assertEquals(8, table.size());
    }

    /**
     * Keys homed at the last slot wrap to slot 0 and on, sharing the start of the array with keys
     * homed there; removing at the end must pull the wrapped keys back across the boundary.
     */
    @Test
    void chainsWrapAroundTheEndOfTheArray() {
        int last = HomeSlots.BOUND - 1;
        long[] atLast = HomeSlots.idents(last, EVFILT_USER, 3);
        long[] atZero = HomeSlots.idents(0, EVFILT_USER, 2);
        long[] atOne = HomeSlots.idents(1, EVFILT_USER, 1);
        long[] atLastButOne = HomeSlots.idents(last - 1, EVFILT_USER, 1);
        Random random = new Random(3);
        for (int round = 0; round < 30; round++) {
            KnoteTable fresh = new KnoteTable();
            List<Knote> all = new ArrayList<>();
            all.add(insert(fresh, atLastButOne[0]));
            for (long ident : atLast) {
                all.add(insert(fresh, ident));
            }
            all.add(insert(fresh, atZero[0]));
            all.add(insert(fresh, atOne[0]));
            all.add(insert(fresh, atZero[1]));
            assertAllFindable(fresh, all);

            for (int r : shuffled(all.size(), random)) {
                Knote kn = all.set(r, null);
                fresh.remove(kn, false);
                assertNull(fresh.find(kn.ident, kn.filter, false));
                assertAllFindable(fresh, all);
            }
            assertEquals(0, fresh.size());
        }
    }

    @Test
    void collidingKeysSurviveGrowth() {
        long[] idents = HomeSlots.idents(100, EVFILT_USER, 300);
        Knote[] knotes = insertAll(table, idents, EVFILT_USER);
        for (int i = 0; i < idents.length; i++) {
            assertSame(knotes[i], table.find(idents[i], EVFILT_USER, false), "key #" + i);
        }
        for (int i = 0; i < idents.length; i += 3) {
            table.remove(knotes[i], false);
        }
        for (int i = 0; i < idents.length; i++) {
            assertSame(i % 3 == 0 ? null : knotes[i], table.find(idents[i], EVFILT_USER, false), "key #" + i);
        }
        assertEquals(200, table.size());
    }

    @Test
    void theHashGrowsAndKeepsEveryKey() {
        int n = 20_000;
        Knote[] knotes = new Knote[n];
        for (int i = 0; i < n; i++) {
            knotes[i] = insert(i * 7919L, i % 2 == 0 ? EVFILT_USER : EVFILT_TIMER, false);
        }
        assertEquals(n, table.size());
        for (int i = 0; i < n; i += 2) {
            table.remove(knotes[i], false);
        }
        for (int i = 0; i < n; i++) {
            Knote expected = i % 2 == 0 ? null : knotes[i];
            assertSame(expected, table.find(i * 7919L, knotes[i].filter, false), "key #" + i);
        }
        assertEquals(n / 2, table.size());
    }

    @Test
    void forEachVisitsEveryKnoteOnce() {
        List<Knote> expected = new ArrayList<>();
        for (int fd = 0; fd < 150; fd += 7) {
            expected.add(insert(fd, EVFILT_READ, true));
            expected.add(insert(fd, EVFILT_WRITE, true));
        }
        for (long ident : HomeSlots.idents(HomeSlots.BOUND - 1, EVFILT_USER, 10)) {
            expected.add(insert(ident, EVFILT_USER, false));
        }
        for (int i = 0; i < 100; i++) {
            expected.add(insert(i, EVFILT_SIGNAL, false));
        }
        List<Knote> removed = new ArrayList<>();
        for (int i = 0; i < expected.size(); i += 4) {
            removed.add(expected.get(i));
        }
        for (Knote kn : removed) {
            table.remove(kn, kn.fop.isFd());
            expected.remove(kn);
        }

        Map<Knote, Integer> seen = new IdentityHashMap<>();
        table.forEach(kn -> seen.merge(kn, 1, Integer::sum));
        assertEquals(expected.size(), seen.size());
        for (Knote kn : expected) {
            assertEquals(1, seen.get(kn), kn.toString());
        }
        assertEquals(expected.size(), table.size());
    }

    @Test
    void sizeCountsBothKinds() {
        assertEquals(0, table.size());
        Knote fd = insert(4, EVFILT_READ, true);
        Knote other = insert(4, EVFILT_USER, false);
        assertEquals(2, table.size());
        table.remove(fd, true);
        assertEquals(1, table.size());
        table.remove(other, false);
        assertEquals(0, table.size());
    }

    @Test
    void anInsertAfterAMissedFindOfAnotherKeyOrAChangedTableProbesAgain() {
        long[] same = HomeSlots.idents(5, EVFILT_USER, 4);
        // the miss of same[0] is remembered; an insert of another key on the same home comes first
        assertNull(table.find(same[0], EVFILT_USER, false));
        Knote b = insert(same[1], EVFILT_USER, false);
        Knote a = insert(same[0], EVFILT_USER, false);
        assertSame(a, table.find(same[0], EVFILT_USER, false));
        assertSame(b, table.find(same[1], EVFILT_USER, false));
        // a miss, then a removal that shifts the run back, then the insert
        assertNull(table.find(same[2], EVFILT_USER, false));
        table.remove(b, false);
        Knote c = insert(same[2], EVFILT_USER, false);
        assertSame(a, table.find(same[0], EVFILT_USER, false));
        assertSame(c, table.find(same[2], EVFILT_USER, false));
        assertNull(table.find(same[1], EVFILT_USER, false));
        // a miss, then the insert of the same key right after (the remembered slot)
        assertNull(table.find(same[3], EVFILT_USER, false));
        Knote d = insert(same[3], EVFILT_USER, false);
        assertSame(d, table.find(same[3], EVFILT_USER, false));
        assertEquals(3, table.size());
    }

    private Knote insert(long ident, short filter, boolean isFd) {
        Knote kn = TestKnotes.knote(ident, filter, isFd);
        table.insert(kn, isFd);
        return kn;
    }

    private static Knote insert(KnoteTable into, long ident) {
        Knote kn = TestKnotes.knote(ident, EVFILT_USER, false);
        into.insert(kn, false);
        return kn;
    }

    private static Knote[] insertAll(KnoteTable into, long[] idents, short filter) {
        Knote[] knotes = new Knote[idents.length];
        for (int i = 0; i < idents.length; i++) {
            knotes[i] = TestKnotes.knote(idents[i], filter, false);
            into.insert(knotes[i], false);
        }
        return knotes;
    }

    private void assertAllFindable(List<Knote> knotes) {
        assertAllFindable(table, knotes);
    }

    private static void assertAllFindable(KnoteTable in, List<Knote> knotes) {
        for (Knote kn : knotes) {
            if (kn != null) {
                assertSame(kn, in.find(kn.ident, kn.filter, false), kn.toString());
            }
        }
    }

    private static List<Knote> present(Knote[] slots) {
        return slots == null ? List.of() : Arrays.stream(slots).filter(kn -> kn != null).toList();
    }

    private static List<Integer> shuffled(int n, Random random) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        return order;
    }
}
