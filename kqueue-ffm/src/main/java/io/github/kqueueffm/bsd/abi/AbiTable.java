package io.github.kqueueffm.bsd.abi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the rows of a host's table into the maps of a {@link io.github.kqueueffm.bsd.KeventAbi}.
 * Rows are {@code {FreeBSD value, host value}}; a FreeBSD value listed twice is a mistake in the
 * table and fails class initialisation, as does a malformed name table.
 */
final class AbiTable {
    private AbiTable() {
    }

    /**
     * @param rows {@code {FreeBSD EVFILT_*, host EVFILT_*}}
     * @return FreeBSD filter → host filter
     */
    static Map<Short, Integer> filters(int[][] rows) {
        Map<Short, Integer> map = new LinkedHashMap<>();
        for (int[] row : rows) {
            put(map, (short) row[0], row[1]);
        }
        return Map.copyOf(map);
    }

    /**
     * @param rows {@code {FreeBSD bit, host bit}} ({@code EV_*} or {@code NOTE_*})
     * @return FreeBSD bit → host bit
     */
    static Map<Integer, Integer> bits(int[][] rows) {
        Map<Integer, Integer> map = new LinkedHashMap<>();
        for (int[] row : rows) {
            put(map, row[0], row[1]);
        }
        return Map.copyOf(map);
    }

    /**
     * @param table whitespace-separated pairs {@code NAME number}, as the header defines them
     * @return name → number
     */
    static Map<String, Integer> numbers(String table) {
        String[] words = table.strip().split("\\s+");
        if (words.length % 2 != 0) {
            throw new IllegalArgumentException("a name without a number in " + table);
        }
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < words.length; i += 2) {
            put(map, words[i], Integer.parseInt(words[i + 1]));
        }
        return Map.copyOf(map);
    }

    private static <K> void put(Map<K, Integer> map, K key, int value) {
        if (map.put(key, value) != null) {
            throw new IllegalArgumentException("listed twice: " + key);
        }
    }
}
