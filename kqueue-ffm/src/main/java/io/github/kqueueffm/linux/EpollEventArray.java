package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxStructs;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A flyweight over a native array of {@code struct epoll_event}, the one place that reads and
 * writes its layout (after Netty's {@code EpollEventArray}): every harvest ({@code epoll_wait} of
 * the main set, of a nested set, of the virtual-thread relay) is decoded here, and every
 * {@code epoll_ctl} argument is encoded here.
 *
 * <pre>
 * typedef union epoll_data {
 *     void     *ptr;
 *     int       fd;
 *     uint32_t  u32;
 *     uint64_t  u64;
 * } epoll_data_t;
 *
 * struct epoll_event {
 *     uint32_t     events;    // EPOLLIN, EPOLLOUT, ... (used)
 *     epoll_data_t data;      // u64 (used): a tag, see below
 * } __EPOLL_PACKED;
 * </pre>
 *
 * <p>{@code __EPOLL_PACKED} is {@code __attribute__((packed))} on x86_64 only: there the struct is
 * 12 bytes with {@code data} at offset 4 (not 8-aligned), on aarch64 16 bytes with {@code data} at
 * 8. Offsets come from the generated layout of the running architecture and {@code data} is read
 * with an unaligned access.
 *
 * <p>The kqueue's tags put a generation in the high 32 bits and a descriptor number in the low 32:
 * generation 0 names the kqueue's own sources (a negative number one of its nested sets),
 * generations from 1 a watched descriptor's record ({@link FdInterest}).
 */
final class EpollEventArray {
    private static final long SIZE = LinuxStructs.EPOLL_EVENT_SIZE;
    private static final long EVENTS = LinuxStructs.EPOLL_EVENT_EVENTS;
    private static final long DATA = LinuxStructs.EPOLL_EVENT_DATA;

    private final MemorySegment memory;
    private final int length;

    /**
     * @param memory at least {@code length * sizeof(struct epoll_event)} bytes, 8-aligned
     * @param length the number of entries
     */
    EpollEventArray(MemorySegment memory, int length) {
        if (memory.byteSize() < length * SIZE) {
            throw new IllegalArgumentException(memory.byteSize() + " bytes for " + length + " epoll_events");
        }
        this.memory = memory;
        this.length = length;
    }

    /** @return the bytes {@code length} entries need */
    static long bytes(int length) {
        return length * SIZE;
    }

    /** @return the native array, for epoll_wait and epoll_ctl */
    MemorySegment memory() {
        return memory;
    }

    /** @return the number of entries */
    int length() {
        return length;
    }

    /** @return entry {@code i}'s {@code events} */
    int events(int i) {
        return memory.get(ValueLayout.JAVA_INT_UNALIGNED, i * SIZE + EVENTS);
    }

    /** @return entry {@code i}'s {@code data.u64} */
    long data(int i) {
        return memory.get(ValueLayout.JAVA_LONG_UNALIGNED, i * SIZE + DATA);
    }

    /** Fills entry {@code i} (an epoll_ctl argument). */
    void set(int i, int events, long data) {
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, i * SIZE + EVENTS, events);
        memory.set(ValueLayout.JAVA_LONG_UNALIGNED, i * SIZE + DATA, data);
    }

    /** @return the tag naming descriptor {@code fd} of generation {@code generation} */
    static long tag(int generation, int fd) {
        return ((long) generation << 32) | (fd & 0xFFFFFFFFL);
    }

    /** @return the descriptor number of a tag */
    static int fd(long tag) {
        return (int) tag;
    }

    /** @return the generation of a tag */
    static int generation(long tag) {
        return (int) (tag >>> 32);
    }
}
