package io.github.kqueueffm.linux;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link InotifyWatches} against a {@link HashMap} of lists, and its copy-on-change arrays. */
class InotifyWatchesTest {
    private record Named(String name) implements Inotify.Watcher {
        @Override
        public void inotify(int mask, boolean named, boolean sameDirectoryMove) {
        }
    }

    @Test
    void aWatcherIsSubscribedOnceAndTheLastRemovalEndsTheWatch() {
        InotifyWatches watches = new InotifyWatches();
        Named a = new Named("a");
        Named b = new Named("b");
        watches.add(7, a);
        watches.add(7, a);
        watches.add(7, b);
        assertArrayEquals(new Inotify.Watcher[] {a, b}, watches.get(7));

        Inotify.Watcher[] looked = watches.get(7);
        assertFalse(watches.remove(7, a), "b still watches");
        assertArrayEquals(new Inotify.Watcher[] {a, b}, looked, "an array looked up is never changed");
        assertArrayEquals(new Inotify.Watcher[] {b}, watches.get(7));
        assertFalse(watches.remove(7, a), "not subscribed any more");
        assertTrue(watches.remove(7, b));
        assertEquals(0, watches.get(7).length);
        assertEquals(0, watches.size());
        assertFalse(watches.remove(8, a), "an unknown watch");
    }

    @Test
    void agreesWithAMapThroughGrowthAndDeletion() {
        InotifyWatches watches = new InotifyWatches();
        Map<Integer, List<Inotify.Watcher>> model = new HashMap<>();
        Named[] pool = {new Named("x"), new Named("y"), new Named("z")};
        Random random = new Random(7);
        for (int step = 0; step < 200_000; step++) {
            int wd = 1 + random.nextInt(3_000); // consecutive numbers, as the kernel gives them
            Named watcher = pool[random.nextInt(pool.length)];
            if (random.nextInt(3) > 0) {
                watches.add(wd, watcher);
                List<Inotify.Watcher> list = model.computeIfAbsent(wd, k -> new ArrayList<>());
                if (!list.contains(watcher)) {
                    list.add(watcher);
                }
            } else {
                List<Inotify.Watcher> list = model.get(wd);
                boolean last = list != null && list.remove(watcher) && list.isEmpty();
                if (last) {
                    model.remove(wd);
                }
                assertEquals(last, watches.remove(wd, watcher), "remove " + wd + " at step " + step);
            }
            int probe = 1 + random.nextInt(3_000);
            List<Inotify.Watcher> expected = model.getOrDefault(probe, List.of());
            assertEquals(expected, Arrays.asList(watches.get(probe)), "watch " + probe + " at step " + step);
        }
        assertEquals(model.size(), watches.size());
        for (Map.Entry<Integer, List<Inotify.Watcher>> e : model.entrySet()) {
            assertEquals(e.getValue(), Arrays.asList(watches.get(e.getKey())));
        }
    }

    @Test
    void anUnwatchedNumberGivesTheSharedEmptyArray() {
        InotifyWatches watches = new InotifyWatches();
        assertSame(watches.get(1), watches.get(2), "no allocation for a watch nobody has");
    }
}
