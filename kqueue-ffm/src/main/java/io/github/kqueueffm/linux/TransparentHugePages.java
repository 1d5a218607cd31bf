package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxConstants;
import io.github.kqueueffm.core.HugePages;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Huge pages through Linux's transparent huge pages: an anonymous mapping aligned to the PMD size
 * and advised {@code MADV_HUGEPAGE}, which the kernel backs with huge pages when it has them (in
 * both the {@code always} and the {@code madvise} modes) and with base pages otherwise, so a
 * mapping never fails for want of huge pages.
 */
final class TransparentHugePages implements HugePages {
    private static final Path ENABLED = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    private static final Path PMD_SIZE = Path.of("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size");
    /** Larger huge pages (512 MB on 64 KB-page arm64 kernels) would hold far more than they save. */
    private static final long LARGEST = 4L << 20;
    private static final HugePages HOST = probe();

    private final long pageSize;

    private TransparentHugePages(long pageSize) {
        this.pageSize = pageSize;
    }

    /**
     * The host's huge pages.
     *
     * @return them, or null if THP is off ({@code never}), absent or has pages above 4 MB
     */
    static HugePages host() {
        return HOST;
    }

    private static HugePages probe() {
        try {
            if (Files.readString(ENABLED).contains("[never]")) {
                return null;
            }
            long size = Long.parseLong(Files.readString(PMD_SIZE).strip());
            return size > 0 && size <= LARGEST && Long.bitCount(size) == 1 ? new TransparentHugePages(size) : null;
        } catch (IOException | NumberFormatException | SecurityException e) {
            return null; // no THP in this kernel or container: base pages
        }
    }

    @Override
    public long pageSize() {
        return pageSize;
    }

    @Override
    public MemorySegment map(long size) {
        if (size <= 0 || size % pageSize != 0) {
            throw new IllegalArgumentException("not whole huge pages: " + size);
        }
        // mmap aligns to base pages only: map a huge page more and unmap what lies outside
        long mapped = LinuxCalls.mmapAnonymous(size + pageSize);
        if (mapped < 0) {
            return null;
        }
        long start = (mapped + pageSize - 1) & -pageSize;
        long end = start + size;
        unmapped(mapped, start - mapped);
        unmapped(end, mapped + size + pageSize - end);
        LinuxCalls.madvise(start, size, LinuxConstants.MADV_HUGEPAGE); // advice: refused, it is base pages
        return MemorySegment.ofAddress(start).reinterpret(size);
    }

    @Override
    public void unmap(MemorySegment block) {
        unmapped(block.address(), block.byteSize());
    }

    private static void unmapped(long address, long length) {
        if (length > 0) {
            int result = LinuxCalls.munmap(address, length);
            if (result < 0) {
                throw new IllegalStateException("munmap: errno " + -result); // a range we mapped: an engine bug
            }
        }
    }
}
