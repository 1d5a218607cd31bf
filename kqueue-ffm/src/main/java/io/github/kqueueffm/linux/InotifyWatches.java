package io.github.kqueueffm.linux;

import java.util.Arrays;

/**
 * The watchers of each inotify watch, by watch descriptor, without boxing: an open-addressing table
 * of {@code int} keys (watch descriptors are positive, so 0 marks a free slot) with linear probing
 * and backward-shift deletion. Each watch's watchers are an array replaced on every change, so an
 * event can call back the array it looked up, allocating nothing, even if a callback changes the
 * watch. Guarded by the kqueue's lock.
 */
final class InotifyWatches {
    private static final Inotify.Watcher[] NONE = {};

    private int[] keys = new int[16];
    private Inotify.Watcher[][] values = new Inotify.Watcher[16][];
    private int size;

    /** @return the watchers of a watch, or an empty array */
    Inotify.Watcher[] get(int wd) {
        int i = find(wd);
        return i < 0 ? NONE : values[i];
    }

    /** Subscribes a watcher to a watch, once. */
    void add(int wd, Inotify.Watcher watcher) {
        assert wd > 0 : wd;
        int i = find(wd);
        if (i >= 0) {
            Inotify.Watcher[] old = values[i];
            if (!Arrays.asList(old).contains(watcher)) {
                Inotify.Watcher[] grown = Arrays.copyOf(old, old.length + 1);
                grown[old.length] = watcher;
                values[i] = grown;
            }
            return;
        }
        if ((size + 1) * 2 > keys.length) {
            rehash(keys.length * 2);
        }
        put(wd, new Inotify.Watcher[] {watcher});
        size++;
    }

    /**
     * Unsubscribes a watcher.
     *
     * @return whether the watch has no watcher left (and is gone from the table)
     */
    boolean remove(int wd, Inotify.Watcher watcher) {
        int i = find(wd);
        if (i < 0) {
            return false;
        }
        Inotify.Watcher[] old = values[i];
        int at = Arrays.asList(old).indexOf(watcher);
        if (at < 0) {
            return false;
        }
        if (old.length > 1) {
            Inotify.Watcher[] shrunk = new Inotify.Watcher[old.length - 1];
            System.arraycopy(old, 0, shrunk, 0, at);
            System.arraycopy(old, at + 1, shrunk, at, old.length - at - 1);
            values[i] = shrunk;
            return false;
        }
        delete(i);
        return true;
    }

    /** @return the number of watches */
    int size() {
        return size;
    }

    private int find(int wd) {
        int mask = keys.length - 1;
        for (int i = home(wd, mask); ; i = (i + 1) & mask) {
            if (keys[i] == wd) {
                return i;
            }
            if (keys[i] == 0) {
                return -1;
            }
        }
    }

    private void put(int wd, Inotify.Watcher[] watchers) {
        int mask = keys.length - 1;
        int i = home(wd, mask);
        while (keys[i] != 0) {
            i = (i + 1) & mask;
        }
        keys[i] = wd;
        values[i] = watchers;
    }

    /** Empties slot {@code i}, shifting back the entries whose probe run passed through it. */
    private void delete(int i) {
        int mask = keys.length - 1;
        keys[i] = 0;
        values[i] = null;
        size--;
        for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = home(keys[j], mask);
            boolean between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!between) {
                keys[i] = keys[j];
                values[i] = values[j];
                keys[j] = 0;
                values[j] = null;
                i = j;
            }
        }
    }

    private void rehash(int capacity) {
        int[] oldKeys = keys;
        Inotify.Watcher[][] oldValues = values;
        keys = new int[capacity];
        values = new Inotify.Watcher[capacity][];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    /** Watch descriptors are consecutive numbers: a multiplicative hash spreads them. */
    private static int home(int wd, int mask) {
        int h = wd * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }
}
