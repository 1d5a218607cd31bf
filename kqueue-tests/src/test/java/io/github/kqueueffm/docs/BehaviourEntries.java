package io.github.kqueueffm.docs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The entries of BEHAVIOUR.md and the rows each names. An entry is a bullet ({@code - **Title**
 * (RD-17, ...). ...}) or a paragraph under a platform section; it belongs to the nearest heading,
 * whose GitHub anchor is where a link to the entry points (bullets have no anchors of their own).
 * "How to read this file" only explains the format, so the IDs it shows as examples name nothing.
 */
final class BehaviourEntries {

    /** The section of BEHAVIOUR.md that describes the file rather than a difference. */
    static final String NOT_ENTRIES = "How to read this file";

    /** "(SG rows)": an entry that concerns every row of an area. */
    private static final Pattern WHOLE_AREA = Pattern.compile("\\b([A-Z]{2}) rows\\b");

    private static final Pattern BOLD_TITLE = Pattern.compile("^- \\*\\*(.+?)\\*\\*");

    /**
     * One entry.
     *
     * @param platform the platform section, without its parenthesis ("Linux", "All platforms")
     * @param section  the subsection, or null for an entry directly under the platform
     * @param anchor   the GitHub anchor of the nearest heading
     * @param title    the entry's bold title, or null for a paragraph without one
     * @param rows     the rows the entry names, ranges expanded
     * @param areas    the areas the entry concerns as a whole ("SG rows")
     */
    record Entry(String platform, String section, String anchor, String title, Set<String> rows,
                 Set<String> areas) {

        /** "Linux › EVFILT_READ › Datagram sockets": where the entry is, for link texts. */
        String label() {
            StringBuilder s = new StringBuilder(platform);
            if (section != null) {
                s.append(" › ").append(section);
            }
            if (title != null) {
                s.append(" › ").append(title);
            }
            return s.toString();
        }
    }

    private BehaviourEntries() {
    }

    /** The entries of {@code markdown} (the text of BEHAVIOUR.md) that name at least one row or area. */
    static List<Entry> parse(String markdown) {
        Parser p = new Parser();
        markdown.lines().forEach(p::line);
        p.flush();
        return p.entries;
    }

    private static String headingText(String line) {
        return line.replaceFirst("^#+\\s+", "").strip();
    }

    /** Walks the lines once, cutting them into blocks under the current headings. */
    private static final class Parser {
        final List<Entry> entries = new ArrayList<>();
        final Slugs slugs = new Slugs();
        String platform;
        String section;
        String anchor;
        final StringBuilder block = new StringBuilder();

        void line(String line) {
            if (line.startsWith("#")) {
                flush();
                int level = line.indexOf(' ');
                String text = headingText(line);
                anchor = slugs.of(text);
                if (level == 2) {
                    platform = text.replaceFirst("\\s*\\(.*\\)$", "");
                    section = null;
                } else if (level == 3) {
                    section = text;
                }
            } else if (line.isBlank()) {
                flush();
            } else {
                if (line.startsWith("- ")) {
                    flush();
                }
                block.append(line.strip()).append('\n');
            }
        }

        void flush() {
            if (block.isEmpty()) {
                return;
            }
            String text = block.toString();
            block.setLength(0);
            if (platform == null || platform.equals(NOT_ENTRIES)) {
                return;
            }
            Set<String> rows = Rows.mentioned(text);
            Set<String> areas = new LinkedHashSet<>();
            Matcher whole = WHOLE_AREA.matcher(text);
            while (whole.find()) {
                if (Rows.AREAS.contains(whole.group(1))) {
                    areas.add(whole.group(1));
                }
            }
            if (rows.isEmpty() && areas.isEmpty()) {
                return;
            }
            Matcher bold = BOLD_TITLE.matcher(text);
            String title = bold.find() ? bold.group(1).replace("`", "") : null;
            entries.add(new Entry(platform, section, anchor, title, Set.copyOf(rows), Set.copyOf(areas)));
        }
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to '-', repeats numbered. */
    static final class Slugs {
        private final Map<String, Integer> seen = new HashMap<>();

        String of(String heading) {
            String slug = heading.toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N}\\p{M}_ -]", "")
                    .replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum) - 1;
            return n == 0 ? slug : slug + "-" + n;
        }
    }
}
