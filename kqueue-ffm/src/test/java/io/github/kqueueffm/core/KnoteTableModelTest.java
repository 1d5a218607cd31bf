package io.github.kqueueffm.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
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
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * {@link KnoteTable} against a {@code HashMap} keyed by (ident, filter): random inserts, removes
 * and look-ups with a fixed seed. Part of the non-descriptor keys share one home slot, so the
 * hash has long probe chains for backward-shift deletion to keep intact.
 */
class KnoteTableModelTest {
    private static final short[] FD_FILTERS = {EVFILT_READ, EVFILT_WRITE, EVFILT_VNODE};
    private static final short[] OTHER_FILTERS = {EVFILT_PROC, EVFILT_SIGNAL, EVFILT_TIMER, EVFILT_USER};
    private static final int OPS = 300_000;

    private record Key(long ident, short filter) {
    }

    private final KnoteTable table = new KnoteTable();
    private final Map<Key, Knote> model = new HashMap<>();
    /** The model's knotes again, for picking one at random. */
    private final List<Knote> live = new ArrayList<>();
    private final Random random = new Random(0x6b717565L);
    private final long[] crowded = HomeSlots.idents(9, EVFILT_USER, 48);

    @Test
    void agreesWithAMapOverRandomOperations() {
        for (int op = 0; op < OPS; op++) {
            // Phases that fill and drain, so the table both grows and runs nearly empty.
            boolean filling = (op / 20_000) % 2 == 0;
            int dice = random.nextInt(100);
            if (dice < (filling ? 55 : 30)) {
                insertRandomKey(op);
            } else if (dice < 85 && !live.isEmpty()) {
                removeRandomKnote(op);
            } else {
                Key key = randomKey();
                assertSame(model.get(key), table.find(key.ident(), key.filter(), isFd(key.filter())), "op " + op + " " + key);
            }
            if (op % 1_000 == 0) {
                assertEquals(model.size(), table.size(), "op " + op);
            }
            if (op % 25_000 == 0) {
                assertSameContents(op);
            }
        }
        assertSameContents(OPS);
    }

    private void insertRandomKey(int op) {
        Key key = randomKey();
        boolean isFd = isFd(key.filter());
        Knote present = model.get(key);
        assertSame(present, table.find(key.ident(), key.filter(), isFd), "op " + op + " " + key);
        if (present == null) {
            Knote kn = TestKnotes.knote(key.ident(), key.filter(), isFd);
            table.insert(kn, isFd);
            model.put(key, kn);
            live.add(kn);
        }
    }

    private void removeRandomKnote(int op) {
        int i = random.nextInt(live.size());
        Knote kn = live.get(i);
        live.set(i, live.get(live.size() - 1));
        live.remove(live.size() - 1);
        model.remove(new Key(kn.ident, kn.filter));
        table.remove(kn, kn.fop.isFd());
        assertSame(null, table.find(kn.ident, kn.filter, kn.fop.isFd()), "op " + op + " removed " + kn);
    }

    private Key randomKey() {
        int dice = random.nextInt(10);
        if (dice < 4) {
            return new Key(random.nextInt(200), FD_FILTERS[random.nextInt(FD_FILTERS.length)]);
        }
        if (dice < 6) {
            return new Key(crowded[random.nextInt(crowded.length)], EVFILT_USER);
        }
        long ident = dice < 9 ? random.nextInt(600) : random.nextLong();
        return new Key(ident, OTHER_FILTERS[random.nextInt(OTHER_FILTERS.length)]);
    }

    private static boolean isFd(short filter) {
        return filter == EVFILT_READ || filter == EVFILT_WRITE || filter == EVFILT_VNODE;
    }

    private void assertSameContents(int op) {
        for (Map.Entry<Key, Knote> e : model.entrySet()) {
            Key key = e.getKey();
            assertSame(e.getValue(), table.find(key.ident(), key.filter(), isFd(key.filter())), "op " + op + " " + key);
        }
        Map<Knote, Integer> seen = new IdentityHashMap<>();
        table.forEach(kn -> seen.merge(kn, 1, Integer::sum));
        assertEquals(model.size(), seen.size(), "op " + op);
        for (Knote kn : model.values()) {
            assertEquals(1, seen.get(kn), "op " + op + " " + kn);
        }
        assertEquals(model.size(), table.size(), "op " + op);
    }
}
