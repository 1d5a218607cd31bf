package io.github.kqueueffm.bsd.abi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What one host's headers say, as {@code scripts/abi-extract.py} wrote it to
 * {@code src/test/resources/abi/<host>.properties}: the numbers by name, the declaration of
 * {@code struct kevent} and, where gcc was at hand, the offsets it measured.
 *
 * @param version   a version string the table's source must name
 * @param filters   EVFILT_* name → number
 * @param flags     EV_* name → bits
 * @param notes     NOTE_* name → bits
 * @param errnos    errno name → number
 * @param signals   signal name → number
 * @param fields    {@code struct kevent}'s fields in order
 * @param pack      the {@code #pragma pack} in effect, 0 for none
 * @param measured  field name (and {@code size}) → offset measured by gcc, empty when not measured
 */
record HeaderFacts(String version, Map<String, Integer> filters, Map<String, Integer> flags,
        Map<String, Integer> notes, Map<String, Integer> errnos, Map<String, Integer> signals,
        List<StructLayout.Field> fields, int pack, Map<String, Long> measured) {

    static HeaderFacts load(String host) {
        Properties p = new Properties();
        try (InputStream in = HeaderFacts.class.getResourceAsStream("/abi/" + host + ".properties")) {
            if (in == null) {
                throw new IllegalArgumentException("no data file abi/" + host + ".properties");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HeaderFacts(p.getProperty("version"), numbers(p, "filter."), numbers(p, "flag."),
                numbers(p, "note."), numbers(p, "errno."), numbers(p, "signal."),
                fields(p.getProperty("struct.kevent")), Integer.parseInt(p.getProperty("struct.kevent.pack")),
                offsets(p.getProperty("struct.kevent.gcc", "")));
    }

    private static Map<String, Integer> numbers(Properties p, String prefix) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                map.put(key.substring(prefix.length()), Long.decode(p.getProperty(key)).intValue());
            }
        }
        return map;
    }

    /** {@code "uintptr_t ident; short filter; ...; __uint64_t ext[4]"}. */
    private static List<StructLayout.Field> fields(String declaration) {
        List<StructLayout.Field> fields = new ArrayList<>();
        for (String field : declaration.split(";")) {
            String f = field.strip();
            int space = f.lastIndexOf(' ');
            String name = f.substring(space + 1);
            int count = 1;
            if (name.endsWith("]")) {
                count = Integer.parseInt(name.substring(name.indexOf('[') + 1, name.length() - 1));
                name = name.substring(0, name.indexOf('['));
            }
            fields.add(new StructLayout.Field(f.substring(0, space).strip(), name, count));
        }
        return fields;
    }

    /** {@code "size=32 ident=0 filter=8 ..."}. */
    private static Map<String, Long> offsets(String text) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (String pair : text.strip().split("\\s+")) {
            if (!pair.isEmpty()) {
                String[] kv = pair.split("=");
                map.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return map;
    }
}
