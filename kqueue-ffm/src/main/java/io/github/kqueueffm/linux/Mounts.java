package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxCalls;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static io.github.kqueueffm.bindings.linux.LinuxConstants.SEEK_SET;

/** The mount IDs in /proc/self/mountinfo, read from the start of an open descriptor. */
final class Mounts {
    private Mounts() {
    }

    static Set<Long> ids(int fd) {
        Set<Long> ids = new HashSet<>();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(8192);
            LinuxCalls.lseek(fd, 0, SEEK_SET);
            for (long n; (n = LinuxCalls.read(fd, buffer, 8192)) > 0; ) {
                text.write(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), 0, (int) n);
            }
        }
        for (String line : text.toString(StandardCharsets.US_ASCII).split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                ids.add(Long.parseLong(line.substring(0, space)));
            }
        }
        return ids;
    }
}
