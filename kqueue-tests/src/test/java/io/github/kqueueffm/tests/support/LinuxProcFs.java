package io.github.kqueueffm.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What {@link LinuxHostOs} reads from Linux's {@code /proc}: descriptor listings and link targets,
 * thread ids, process state, uid, command name, blocked-signal sets and capabilities. Linux only;
 * the tests reach it through {@link HostOs}.
 */
final class LinuxProcFs {
    /** CAP_NET_ADMIN's bit in the capability sets of {@code /proc/<pid>/status}. */
    static final int CAP_NET_ADMIN = 12;

    private LinuxProcFs() {
    }

    /** The numbers in /proc/self/fd, the listing's own descriptor included. */
    static int[] openDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.mapToInt(p -> Integer.parseInt(p.getFileName().toString())).sorted().toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The link target of each open descriptor of a process. The directory is listed first and the
     * links read after the listing closed, so the listing's own descriptor is left out.
     */
    static Map<Integer, String> descriptorTargets(long pid) {
        Path dir = Path.of("/proc", pid == ProcessHandle.current().pid() ? "self" : Long.toString(pid), "fd");
        List<Path> entries;
        try (Stream<Path> fds = Files.list(dir)) {
            entries = fds.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Integer, String> out = new TreeMap<>();
        for (Path p : entries) {
            try {
                out.put(Integer.parseInt(p.getFileName().toString()), Files.readSymbolicLink(p).toString());
            } catch (IOException gone) {
                // closed meanwhile (the listing's own descriptor among them)
            }
        }
        return out;
    }

    /** The ids of this process's threads. */
    static long[] threadIds() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.mapToLong(p -> Long.parseLong(p.getFileName().toString())).sorted().toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code /proc/<pid>} exists (until the process is reaped). */
    static boolean exists(long pid) {
        return Files.exists(Path.of("/proc", Long.toString(pid)));
    }

    /** The fields of /proc/pid/stat after the command name: [0] = state (field 3), [1] = ppid, ...; null if gone. */
    static String[] statFields(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
        } catch (IOException e) {
            return null;
        }
    }

    /** The real uid (first field of "Uid:" in /proc/pid/status), or -1 if gone. */
    static long uid(long pid) {
        for (String line : status(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("Uid:")) {
                return Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    /** /proc/pid/comm, or null if gone. */
    static String command(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** The {@code SigBlk} sets of every thread of this process (threads that exit meanwhile are left out). */
    static List<BigInteger> blockedSetsOfAllThreads() {
        List<BigInteger> sets = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("SigBlk:")) {
                            sets.add(new BigInteger(line.substring("SigBlk:".length()).trim(), 16));
                        }
                    }
                } catch (NoSuchFileException gone) {
                    // the thread exited meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sets;
    }

    /** Whether a capability is in CapEff of /proc/self/status. */
    static boolean hasEffectiveCapability(int cap) {
        for (String line : status(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                long bits = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                return (bits & (1L << cap)) != 0;
            }
        }
        return false;
    }

    /** Whether /proc/self/uid_map is the identity map of the initial user namespace. */
    static boolean inInitialUserNamespace() {
        try {
            String[] f = Files.readString(Path.of("/proc/self/uid_map")).trim().split("\\s+");
            return f.length == 3 && f[0].equals("0") && f[1].equals("0") && f[2].equals("4294967295");
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> status(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
