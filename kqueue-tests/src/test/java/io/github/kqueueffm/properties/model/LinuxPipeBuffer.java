package io.github.kqueueffm.properties.model;

import java.util.ArrayDeque;

/**
 * The byte accounting of a Linux anonymous pipe (fs/pipe.c), as a platform fact the model needs:
 * a ring of at most {@code capacity / pageSize} page buffers. A write first merges its last
 * {@code n % pageSize} bytes into the newest page if all of them fit there, then fills fresh pages;
 * a non-blocking write stops (short, or EAGAIN) when every slot is in use. A read consumes from the
 * oldest page and frees it when empty. So a pipe can be full (no slot free, a write fails) with far
 * fewer than {@code capacity} bytes queued.
 *
 * <p>This is not kevent semantics: it only lets the model predict what write(2) returns and when
 * the pipe is "slot-full", the one state where FreeBSD's rule (writable from 512 free bytes up)
 * and Linux's readiness (a free slot) disagree.
 */
public final class LinuxPipeBuffer {
    private final int capacity;
    private final int pageSize;
    private final int slots;
    /** Bytes left in each page buffer in use, oldest first; {@code offsets} parallel. */
    private final ArrayDeque<int[]> pages = new ArrayDeque<>(); // {offset, len}
    private long queued;

    /**
     * @param capacity F_GETPIPE_SZ
     * @param pageSize the page size
     */
    public LinuxPipeBuffer(int capacity, int pageSize) {
        this.capacity = capacity;
        this.pageSize = pageSize;
        this.slots = Math.max(1, capacity / pageSize);
    }

    /** @return F_GETPIPE_SZ */
    public int capacity() {
        return capacity;
    }

    /** @return bytes queued (FIONREAD) */
    public long queued() {
        return queued;
    }

    /** @return whether every slot is in use (Linux: a write fails with EAGAIN, poll shows no POLLOUT) */
    public boolean slotFull() {
        return pages.size() >= slots;
    }

    /**
     * What a non-blocking write(2) of {@code n} bytes does, applied to this buffer.
     *
     * @param n bytes to write, at least 1
     * @return bytes written, or −1 for EAGAIN
     */
    public long write(long n) {
        long total = n;
        long written = 0;
        int chars = (int) (total % pageSize);
        if (chars != 0 && !pages.isEmpty()) {
            int[] last = pages.peekLast();
            if (last[0] + last[1] + chars <= pageSize) {
                last[1] += chars;
                written += chars;
                total -= chars;
            }
        }
        while (total > 0) {
            if (slotFull()) {
                break;
            }
            int copy = (int) Math.min(pageSize, total);
            pages.addLast(new int[] {0, copy});
            written += copy;
            total -= copy;
        }
        queued += written;
        return written == 0 ? -1 : written;
    }

    /**
     * What read(2) of up to {@code n} bytes consumes.
     *
     * @param n bytes asked for
     * @return bytes read (0 when nothing is queued)
     */
    public long read(long n) {
        long left = n;
        long read = 0;
        while (left > 0 && !pages.isEmpty()) {
            int[] first = pages.peekFirst();
            int take = (int) Math.min(first[1], left);
            first[0] += take;
            first[1] -= take;
            read += take;
            left -= take;
            if (first[1] == 0) {
                pages.removeFirst();
            }
        }
        queued -= read;
        return read;
    }

    @Override
    public String toString() {
        return queued + " bytes in " + pages.size() + "/" + slots + " pages";
    }
}
