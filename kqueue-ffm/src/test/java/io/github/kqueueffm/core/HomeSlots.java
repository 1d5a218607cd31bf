package io.github.kqueueffm.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Crafts non-descriptor keys that collide in {@link KnoteTable}'s hash, by calling its private
 * {@code mix} (reflection, so a renamed or changed hash fails here loudly instead of leaving the
 * collision tests without collisions). Home slots are taken modulo {@link #BOUND}: keys with the
 * same home here share their home slot in every table of at most {@code BOUND} slots, before and
 * after any growth.
 */
final class HomeSlots {
    /** A power of two no test table reaches (tables are at most half full). */
    static final int BOUND = 1 << 12;

    private static final MethodHandle MIX;

    static {
        try {
            MIX = MethodHandles.privateLookupIn(KnoteTable.class, MethodHandles.lookup())
                    .findStatic(KnoteTable.class, "mix", MethodType.methodType(int.class, long.class, short.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private HomeSlots() {
    }

    /**
     * @param ident a key's ident
     * @param filter a key's filter
     * @return the key's home slot modulo {@link #BOUND}
     */
    static int home(long ident, short filter) {
        try {
            return (int) MIX.invokeExact(ident, filter) & (BOUND - 1);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /**
     * @param home the wanted home slot, in [0, BOUND)
     * @param filter the keys' filter
     * @param count how many idents to find
     * @return the smallest {@code count} non-negative idents whose key with {@code filter} has that home
     */
    static long[] idents(int home, short filter, int count) {
        long[] idents = new long[count];
        int found = 0;
        for (long ident = 0; found < count; ident++) {
            if (home(ident, filter) == home) {
                idents[found++] = ident;
            }
        }
        return idents;
    }
}
