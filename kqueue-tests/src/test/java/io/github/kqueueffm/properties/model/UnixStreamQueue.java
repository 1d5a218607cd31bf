package io.github.kqueueffm.properties.model;

import java.util.ArrayDeque;

/**
 * The receive queue of one end of an AF_UNIX stream socketpair on Linux: one buffer per write
 * (Linux does not coalesce stream writes on AF_UNIX), consumed in order. A platform fact the model
 * needs only to know when a read frees a whole buffer, which is what wakes the writer on Linux.
 */
public final class UnixStreamQueue {
    private final ArrayDeque<long[]> buffers = new ArrayDeque<>(); // {len left}
    private long queued;

    /** @return bytes queued (FIONREAD) */
    public long queued() {
        return queued;
    }

    /** @return buffers in the queue */
    public int buffers() {
        return buffers.size();
    }

    /**
     * Appends one write's bytes.
     *
     * @param n bytes written, at least 1
     */
    public void append(long n) {
        buffers.addLast(new long[] {n});
        queued += n;
    }

    /**
     * Consumes up to {@code n} bytes.
     *
     * @param n bytes asked for
     * @return {bytes read, buffers freed}
     */
    public long[] read(long n) {
        long left = n;
        long read = 0;
        long freed = 0;
        while (left > 0 && !buffers.isEmpty()) {
            long[] first = buffers.peekFirst();
            long take = Math.min(first[0], left);
            first[0] -= take;
            read += take;
            left -= take;
            if (first[0] == 0) {
                buffers.removeFirst();
                freed++;
            }
        }
        queued -= read;
        return new long[] {read, freed};
    }

    @Override
    public String toString() {
        return queued + " bytes in " + buffers.size() + " buffers";
    }
}
