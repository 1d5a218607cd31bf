package io.github.kqueueffm.linux;

import io.github.kqueueffm.core.HugePages;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link TransparentHugePages} against this kernel's THP settings and {@code /proc/self/smaps}. */
class TransparentHugePagesTest {
    private static final Path ENABLED = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    @Test
    void offeredExactlyWhenTheKernelHasThemOn() throws IOException {
        boolean on = Files.exists(ENABLED) && !Files.readString(ENABLED).contains("[never]");
        assertEquals(on, TransparentHugePages.host() != null, Files.exists(ENABLED) ? Files.readString(ENABLED) : "no THP");
    }

    @Test
    void mapsZeroedAlignedAdvisedBlocksAndUnmapsThem() throws IOException {
        HugePages pages = TransparentHugePages.host();
        assumeTrue(pages != null, "this kernel has transparent huge pages off (never) or absent");
        long size = 2 * pages.pageSize();
        MemorySegment block = pages.map(size);
        assertNotNull(block);
        try {
            assertEquals(size, block.byteSize());
            assertEquals(0, block.address() % pages.pageSize(), "aligned to the huge page size");
            for (long at = 0; at < size; at += 4096) {
                assertEquals(0, block.get(ValueLayout.JAVA_LONG, at), "zero-filled at " + at);
                block.set(ValueLayout.JAVA_LONG, at, at + 1);
            }
            assertEquals(size - 4096 + 1, block.get(ValueLayout.JAVA_LONG, size - 4096));
            List<String> mapping = smapsOf(block.address());
            assertEquals(size / 1024, kilobytes(mapping, "Size:"), "exactly the block is mapped: " + mapping);
            assertTrue(mapping.stream().anyMatch(line -> line.startsWith("VmFlags:") && line.contains(" hg")),
                    "advised MADV_HUGEPAGE (hg): " + mapping);
        } finally {
            pages.unmap(block);
        }
        assertTrue(smapsOf(block.address()).isEmpty(), "unmapped");
    }

    @Test
    void refusesBlocksOfPartHugePages() {
        HugePages pages = TransparentHugePages.host();
        assumeTrue(pages != null, "this kernel has transparent huge pages off (never) or absent");
        assertThrows(IllegalArgumentException.class, () -> pages.map(pages.pageSize() + 4096));
        assertThrows(IllegalArgumentException.class, () -> pages.map(0));
    }

    /** The smaps lines of the mapping that starts at {@code address}; empty if none does. */
    private static List<String> smapsOf(long address) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        String start = Long.toHexString(address) + "-";
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                    end++;
                }
                return lines.subList(i, end);
            }
        }
        return List.of();
    }

    private static long kilobytes(List<String> mapping, String field) {
        String line = mapping.stream().filter(l -> l.startsWith(field)).findFirst().orElseThrow();
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
    }
}
