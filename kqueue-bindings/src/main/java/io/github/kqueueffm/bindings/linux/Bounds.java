package io.github.kqueueffm.bindings.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The checks {@link LinuxCalls} makes before a downcall that hands the kernel or the C library a
 * caller's segment: the native code will touch as many bytes as the length argument or the C type
 * says, and the segment must hold them. A failing check throws {@link IndexOutOfBoundsException},
 * as the segment's own accessors would for the same access, before anything is called; a negative
 * length fails the same way. The checks allocate nothing unless they throw.
 *
 * <p>{@link MemorySegment#NULL} passes wherever the C argument may be {@code NULL} ({@link #fitsOrNull});
 * elsewhere it is a zero-byte segment and holds nothing.
 */
final class Bounds {
    private Bounds() {
    }

    /**
     * {@code segment} holds {@code bytes} bytes from its start.
     *
     * @throws IndexOutOfBoundsException if {@code bytes} is negative or more than the segment holds
     */
    static void fits(MemorySegment segment, long bytes, String call) {
        if (bytes < 0 || bytes > segment.byteSize()) {
            throw outside(call, bytes, segment);
        }
    }

    /**
     * {@code segment} is {@code NULL} or holds {@code bytes} bytes.
     *
     * @throws IndexOutOfBoundsException if it is neither
     */
    static void fitsOrNull(MemorySegment segment, long bytes, String call) {
        if (segment.address() != 0 || segment.byteSize() != 0) {
            fits(segment, bytes, call);
        }
    }

    /**
     * {@code segment} holds {@code count} elements of {@code elementSize} bytes.
     *
     * @throws IndexOutOfBoundsException if {@code count} is negative or more than the segment holds
     */
    static void fitsArray(MemorySegment segment, long count, long elementSize, String call) {
        if (count < 0 || count > segment.byteSize() / elementSize) {
            throw new IndexOutOfBoundsException(call + ": " + count + " elements of " + elementSize
                    + " bytes do not fit a segment of " + segment.byteSize() + " bytes");
        }
    }

    /**
     * {@code path} holds a NUL-terminated string: the C side reads up to the first NUL byte.
     *
     * @throws IndexOutOfBoundsException if the segment has no NUL byte
     */
    static void terminated(MemorySegment path, String call) {
        long size = path.byteSize();
        for (long i = 0; i < size; i++) {
            if (path.get(ValueLayout.JAVA_BYTE, i) == 0) {
                return;
            }
        }
        throw new IndexOutOfBoundsException(call + ": no NUL byte in a path segment of " + size + " bytes");
    }

    private static IndexOutOfBoundsException outside(String call, long bytes, MemorySegment segment) {
        return new IndexOutOfBoundsException(call + ": " + (bytes < 0 ? "negative length " + bytes
                : bytes + " bytes do not fit a segment of " + segment.byteSize() + " bytes"));
    }
}
