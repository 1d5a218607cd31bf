package io.github.kqueueffm.docs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Row IDs of the conformance catalogue ({@code AREA-NN}): the areas in catalogue order, how IDs are
 * written in prose (single IDs and ranges such as {@code RD-24 – RD-30}) and in test method names
 * ({@code RD_24_...}), and the two places a list of all rows can be read from.
 */
final class Rows {

    /** The row areas in the order the catalogue lists them. */
    static final List<String> AREAS =
            List.of("KQ", "FL", "RD", "WR", "EM", "TM", "US", "SG", "PR", "PD", "VN", "MT", "RS");

    /** Catalogue order: by area as in {@link #AREAS}, then by number. */
    static final Comparator<String> ORDER = Comparator
            .comparingInt((String id) -> areaIndex(id))
            .thenComparingInt(Rows::number);

    /** One ID, or a range of one area written with an en dash, a hyphen or an ellipsis. */
    private static final Pattern MENTION =
            Pattern.compile("\\b([A-Z]{2})-(\\d{2})\\b(?:\\s*[–…-]\\s*\\1-(\\d{2})\\b)?");

    /** A test method named after a row: {@code RD_24_...}. */
    private static final Pattern METHOD = Pattern.compile("([A-Z]{2})_(\\d{2})(?:_.*)?");

    /** A row of a catalogue table: {@code | RD-24 | ...}. */
    private static final Pattern CATALOGUE_ROW = Pattern.compile("(?m)^\\| ([A-Z]{2}-\\d{2}) \\|");

    /** A row of the index's tables, which puts an anchor before the ID: {@code | <a id="RD-24"></a>RD-24 |}. */
    private static final Pattern INDEX_ROW = Pattern.compile("(?m)^\\| <a id=\"[^\"]+\"></a>([A-Z]{2}-\\d{2}) \\|");

    private Rows() {
    }

    /** Every row ID {@code text} mentions, ranges expanded, in order of first mention. */
    static Set<String> mentioned(String text) {
        Set<String> ids = new LinkedHashSet<>();
        Matcher m = MENTION.matcher(text);
        while (m.find()) {
            int first = Integer.parseInt(m.group(2));
            int last = m.group(3) == null ? first : Integer.parseInt(m.group(3));
            for (int n = first; n <= last; n++) {
                ids.add(id(m.group(1), n));
            }
        }
        return ids;
    }

    /** The row a test method is named after, or null if its name does not start with a row ID. */
    static String ofMethod(String methodName) {
        Matcher m = METHOD.matcher(methodName);
        return m.matches() ? m.group(1) + "-" + m.group(2) : null;
    }

    /** The rows of the catalogue's tables, in catalogue order. */
    static List<String> fromCatalogue(String catalogue) {
        return collect(CATALOGUE_ROW.matcher(catalogue));
    }

    /** The rows listed by a generated index (docs/conformance.md), in its order. */
    static List<String> fromIndex(String index) {
        return collect(INDEX_ROW.matcher(index));
    }

    /** The area of a row ID: {@code "RD"} for {@code "RD-24"}. */
    static String area(String id) {
        return id.substring(0, 2);
    }

    /** The lower-case anchor of a row in the index: {@code "rd-24"}. */
    static String anchor(String id) {
        return id.toLowerCase(Locale.ROOT);
    }

    private static List<String> collect(Matcher m) {
        List<String> ids = new ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static String id(String area, int number) {
        return String.format("%s-%02d", area, number);
    }

    private static int areaIndex(String id) {
        int i = AREAS.indexOf(area(id));
        return i < 0 ? AREAS.size() : i;
    }

    private static int number(String id) {
        return Integer.parseInt(id.substring(3));
    }
}
