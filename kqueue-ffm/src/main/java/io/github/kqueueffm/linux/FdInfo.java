package io.github.kqueueffm.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads {@code /proc/self/fdinfo/N}, the only place Linux shows an eventfd's counter without
 * consuming it and tells a pidfd from other anonymous-inode descriptors. Used only for those
 * uncommon descriptor kinds, never on the hot path.
 */
final class FdInfo {
    private FdInfo() {
    }

    /** @return the fdinfo text, or "" if the descriptor is gone */
    static String read(int fd) {
        try {
            return Files.readString(Path.of("/proc/self/fdinfo/" + fd));
        } catch (IOException e) {
            return "";
        }
    }

    /** @return the value of a "name:" line, or null */
    static String field(String info, String name) {
        int at = info.indexOf("\n" + name + ":");
        if (at < 0 && info.startsWith(name + ":")) {
            at = -1;
        } else if (at < 0) {
            return null;
        }
        int start = at + name.length() + 2;
        int end = info.indexOf('\n', start);
        return info.substring(start, end < 0 ? info.length() : end).trim();
    }

    /** @return the eventfd counter, or −1 if the descriptor is not an eventfd (or gone) */
    static long eventfdCount(int fd) {
        String count = field(read(fd), "eventfd-count");
        return count == null ? -1 : Long.parseUnsignedLong(count, 16);
    }
}
