package io.github.kqueueffm.bsd.abi;

import io.github.kqueueffm.bindings.linux.LinuxBindings;
import io.github.kqueueffm.bsd.KeventAbi;
import io.github.kqueueffm.linux.LinuxSignals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each hand-written table of {@code io.github.kqueueffm.bsd.abi} against the facts
 * {@code scripts/abi-extract.py} extracted from that host's headers
 * ({@code src/test/resources/abi/<host>.properties}): every number in a table is the header's
 * number for the same name, every FreeBSD filter and flag the header defines under the same name
 * is in the table, and the record layout is what the header's {@code struct kevent} gives.
 */
class KeventAbiTablesTest {

    /**
     * One table and its data file, with the FreeBSD timer options the host spells differently
     * but means the same: {@code renamed} (FreeBSD name → host name) and {@code byDefault}
     * (FreeBSD names that are the host's default and have no bit: they translate to 0).
     */
    record Host(String file, KeventAbi abi, Map<String, String> renamed, Set<String> byDefault) {
        @Override
        public String toString() {
            return file;
        }

        /** The host's value of a FreeBSD NOTE_* name, or null when the host has no such note. */
        Integer note(HeaderFacts facts, String freeBsdName) {
            if (byDefault.contains(freeBsdName)) {
                return 0;
            }
            return facts.notes().get(renamed.getOrDefault(freeBsdName, freeBsdName));
        }
    }

    static Stream<Host> hosts() {
        // macOS and libkqueue: timers count milliseconds unless a unit bit says otherwise, and
        // NOTE_ABSOLUTE is an absolute CLOCK_REALTIME deadline as FreeBSD's NOTE_ABSTIME is.
        Map<String, String> absolute = Map.of("NOTE_ABSTIME", "NOTE_ABSOLUTE");
        Set<String> milliseconds = Set.of("NOTE_MSECONDS");
        return Stream.of(
                new Host("freebsd", FreeBsdAbi.ABI, Map.of(), Set.of()),
                new Host("macos", MacOsAbi.ABI, absolute, milliseconds),
                new Host("netbsd", NetBsdAbi.ABI, Map.of(), Set.of()),
                new Host("netbsd10", NetBsdAbi.NETBSD_10, Map.of(), Set.of()),
                new Host("openbsd", OpenBsdAbi.ABI, Map.of(), Set.of()),
                // DragonFly's timers take milliseconds only; the header has no unit bits.
                new Host("dragonfly", DragonFlyAbi.ABI, Map.of(), milliseconds),
                new Host("libkqueue", LibkqueueAbi.ABI, absolute, milliseconds));
    }

    @ParameterizedTest
    @MethodSource("hosts")
    void recordLayoutIsWhatTheHeadersStructGives(Host host) {
        HeaderFacts facts = HeaderFacts.load(host.file());
        Map<String, Long> offsets = StructLayout.offsets(facts.fields(), facts.pack());
        KeventAbi abi = host.abi();
        assertEquals(offsets.get("size"), abi.recordSize(), "sizeof(struct kevent)");
        assertEquals(offsets.get("ident"), abi.identOffset(), "ident");
        assertEquals(offsets.get("filter"), abi.filterOffset(), "filter");
        assertEquals(offsets.get("flags"), abi.flagsOffset(), "flags");
        assertEquals(offsets.get("fflags"), abi.fflagsOffset(), "fflags");
        assertEquals(offsets.get("data"), abi.dataOffset(), "data");
        assertEquals(offsets.get("udata"), abi.udataOffset(), "udata");
        assertEquals(Objects.requireNonNullElse(offsets.get("ext"), -1L), abi.extOffset(), "ext");

        Map<String, StructLayout.Field> fields = new TreeMap<>();
        facts.fields().forEach(f -> fields.put(f.name(), f));
        assertEquals(abi.filterSize(), StructLayout.size(fields.get("filter").type()), "size of filter");
        assertEquals(abi.flagsSize(), StructLayout.size(fields.get("flags").type()), "size of flags");
        for (String eight : List.of("ident", "data", "udata")) {
            assertEquals(8, StructLayout.size(fields.get(eight).type()), "size of " + eight);
        }
        assertEquals(4, StructLayout.size(fields.get("fflags").type()), "size of fflags");
        if (fields.containsKey("ext")) {
            assertEquals(new StructLayout.Field(fields.get("ext").type(), "ext", 4), fields.get("ext"));
            assertEquals(8, StructLayout.size(fields.get("ext").type()), "size of ext[i]");
        }
        if (!facts.measured().isEmpty()) {
            assertEquals(new TreeMap<>(offsets), new TreeMap<>(facts.measured()),
                    "offsets computed here vs measured by gcc (see the data file for the command)");
        }
    }

    @ParameterizedTest
    @MethodSource("hosts")
    void filtersAreTheHeadersAndNoneIsForgotten(Host host) {
        HeaderFacts facts = HeaderFacts.load(host.file());
        Map<Integer, Integer> table = new TreeMap<>();
        host.abi().filters().forEach((k, v) -> table.put(k.intValue(), v));
        assertTranslation("filter", table, FreeBsdNames.filters(), facts.filters());
    }

    @ParameterizedTest
    @MethodSource("hosts")
    void flagsAreTheHeadersAndNoneIsForgotten(Host host) {
        HeaderFacts facts = HeaderFacts.load(host.file());
        assertTranslation("flag", host.abi().flags(), FreeBsdNames.flagBits(), facts.flags());
    }

    @ParameterizedTest
    @MethodSource("hosts")
    void filterFlagsAreTheHeadersAndNoneIsForgotten(Host host) {
        HeaderFacts facts = HeaderFacts.load(host.file());
        KeventAbi abi = host.abi();
        List<String> wrong = new ArrayList<>();
        for (Short filter : abi.fflags().keySet()) {
            if (!abi.filters().containsKey(filter)) {
                wrong.add("fflags for filter " + filter + ", which the host does not have");
            }
        }
        for (Short filter : abi.filters().keySet()) {
            List<String> names = FreeBsdNames.NOTES.getOrDefault(filter, List.of());
            Map<Integer, Integer> map = abi.fflags().get(filter);
            if (map == null) {
                // Passed as they are: the host must have every note of this filter, at our value.
                for (String name : names) {
                    Integer host1 = host.note(facts, name);
                    if (!Objects.equals(host1, FreeBsdNames.VALUES.get(name))) {
                        wrong.add("filter " + filter + " passes fflags as they are, but " + name + " is "
                                + hex(FreeBsdNames.VALUES.get(name)) + " here and " + hex(host1) + " on the host");
                    }
                }
                continue;
            }
            for (Map.Entry<Integer, Integer> e : map.entrySet()) {
                boolean named = names.stream().anyMatch(n -> FreeBsdNames.VALUES.get(n).equals(e.getKey())
                        && e.getValue().equals(host.note(facts, n)));
                if (!named) {
                    wrong.add("filter " + filter + ": " + hex(e.getKey()) + " -> " + hex(e.getValue())
                            + " is no note of the same name in the header");
                }
            }
            for (String name : names) {
                Integer hostValue = host.note(facts, name);
                int ours = FreeBsdNames.VALUES.get(name);
                if (hostValue != null && FreeBsdNames.isBit(ours) && !hostValue.equals(map.get(ours))) {
                    wrong.add("filter " + filter + ": " + name + " " + hex(ours) + " should map to "
                            + hex(hostValue) + ", the table has " + hex(map.get(ours)));
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @ParameterizedTest
    @MethodSource("hosts")
    void errnosAreEveryErrnoOfTheHeader(Host host) {
        assertSameNumbers("errno", HeaderFacts.load(host.file()).errnos(), host.abi().errnos());
    }

    @ParameterizedTest
    @MethodSource("hosts")
    void signalsAreEverySignalOfTheHeader(Host host) {
        assertSameNumbers("signal", HeaderFacts.load(host.file()).signals(), host.abi().signals());
    }

    @ParameterizedTest
    @MethodSource("hosts")
    void sourceNamesTheHeadersVersion(Host host) {
        String version = HeaderFacts.load(host.file()).version();
        assertTrue(host.abi().source().contains(version),
                () -> "source \"" + host.abi().source() + "\" does not name " + version);
    }

    @ParameterizedTest
    @MethodSource("hosts")
    void onlyFreeBsdTakesOurRecordsAsTheyAre(Host host) {
        assertEquals(host.file().equals("freebsd"), host.abi().isFreeBsdLayout());
    }

    /** Our API's constants are FreeBSD's: same value wherever the header has the name, and no name it lacks. */
    @Test
    void ourConstantsAreFreeBsdsHeader() {
        HeaderFacts freebsd = HeaderFacts.load("freebsd");
        List<String> wrong = new ArrayList<>();
        FreeBsdNames.VALUES.forEach((name, value) -> {
            Integer header = name.startsWith("EVFILT_") ? freebsd.filters().get(name)
                    : name.startsWith("EV_") ? freebsd.flags().get(name)
                    : name.startsWith("NOTE_") ? freebsd.notes().get(name) : value;
            // EVFILT_SYSCOUNT counts FreeBSD 14's filters; the header is 15's, which added two.
            if (!name.equals("EVFILT_SYSCOUNT") && !value.equals(header)) {
                wrong.add(name + " is " + hex(value) + " in KEvent and " + hex(header) + " in the header");
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /** libkqueue's host is Linux: its numbers must be the ones the generated Linux bindings read. */
    @Test
    void libkqueueNumbersAreTheRunningLinuxOnes() {
        assumeTrue(LinuxBindings.isAvailable(), "no generated Linux bindings for this OS and architecture");
        Map<String, Integer> generated = new TreeMap<>(LinuxBindings.errnoConstants());
        generated.keySet().removeIf(name -> !name.matches("E[A-Z0-9]+"));
        assertSameNumbers("Linux errno", generated, LibkqueueAbi.ABI.errnos());
        // The bindings generate the signals the emulation uses, not aliases such as SIGIOT.
        List<String> checked = new ArrayList<>();
        LibkqueueAbi.ABI.signals().forEach((name, number) -> {
            int generatedNumber;
            try {
                generatedNumber = LinuxSignals.number(name);
            } catch (IllegalArgumentException notGenerated) {
                return;
            }
            assertEquals(generatedNumber, number, name);
            checked.add(name);
        });
        assertTrue(checked.containsAll(List.of("SIGHUP", "SIGUSR1", "SIGUSR2", "SIGCHLD", "SIGWINCH", "SIGSYS")),
                () -> "checked only " + checked);
    }

    /**
     * A table of FreeBSD value → host value against the names: every entry is some name's
     * FreeBSD value and that name's host value, and every FreeBSD name the host defines is there.
     */
    private static void assertTranslation(String what, Map<Integer, Integer> table, Map<String, Integer> ours,
            Map<String, Integer> header) {
        List<String> wrong = new ArrayList<>();
        table.forEach((freeBsd, hostValue) -> {
            boolean named = ours.entrySet().stream().anyMatch(
                    e -> e.getValue().equals(freeBsd) && hostValue.equals(header.get(e.getKey())));
            if (!named) {
                wrong.add(what + " " + hex(freeBsd) + " -> " + hex(hostValue) + " has no name with these values");
            }
        });
        ours.forEach((name, freeBsd) -> {
            Integer hostValue = header.get(name);
            if (hostValue != null && !hostValue.equals(table.get(freeBsd))) {
                wrong.add(name + " (" + hex(freeBsd) + ") is " + hex(hostValue) + " in the header, "
                        + hex(table.get(freeBsd)) + " in the table");
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    private static void assertSameNumbers(String what, Map<String, Integer> header, Map<String, Integer> table) {
        Set<String> names = new TreeSet<>(header.keySet());
        names.addAll(table.keySet());
        List<String> wrong = new ArrayList<>();
        for (String name : names) {
            if (!Objects.equals(header.get(name), table.get(name))) {
                wrong.add(what + " " + name + ": header " + header.get(name) + ", table " + table.get(name));
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    private static String hex(Integer value) {
        return value == null ? "none" : value < 0 && value > -100 ? value.toString() : "0x" + Integer.toHexString(value);
    }
}
