package io.github.kqueueffm.linux;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link EpollEventArray}: the one reader and writer of {@code struct epoll_event[]}. */
class EpollEventArrayTest {

    @Test
    void entriesHaveTheCStructsLayoutOfThisArchitecture() {
        String arch = System.getProperty("os.arch");
        // __EPOLL_PACKED on x86_64 only: 12 bytes, data unaligned at 4; elsewhere 16, data at 8
        long size = arch.equals("amd64") || arch.equals("x86_64") ? 12 : 16;
        long dataOffset = size - 8;
        try (Arena arena = Arena.ofConfined()) {
            EpollEventArray array = new EpollEventArray(arena.allocate(EpollEventArray.bytes(3), 8), 3);
            assertEquals(3 * size, EpollEventArray.bytes(3), "sizeof(struct epoll_event) * 3");
            array.set(2, 0x2019, 0x0102030405060708L);
            MemorySegment raw = array.memory();
            assertEquals(0x2019, raw.get(ValueLayout.JAVA_INT_UNALIGNED, 2 * size), "events of entry 2");
            assertEquals(0x0102030405060708L, raw.get(ValueLayout.JAVA_LONG_UNALIGNED, 2 * size + dataOffset),
                    "data of entry 2");
            assertEquals(ByteOrder.LITTLE_ENDIAN, ByteOrder.nativeOrder(), "both architectures are little-endian");
        }
    }

    @Test
    void whatIsWrittenIsReadBackPerEntry() {
        try (Arena arena = Arena.ofConfined()) {
            EpollEventArray array = new EpollEventArray(arena.allocate(EpollEventArray.bytes(4), 8), 4);
            for (int i = 0; i < 4; i++) {
                array.set(i, 1 << i, -1L - i); // data with every high bit set: no sign or width slip
            }
            for (int i = 0; i < 4; i++) {
                assertEquals(1 << i, array.events(i), "events " + i);
                assertEquals(-1L - i, array.data(i), "data " + i);
            }
            assertEquals(4, array.length());
        }
    }

    @Test
    void tagsCarryGenerationAndDescriptor() {
        long watched = EpollEventArray.tag(7, 1_000_000);
        assertEquals(7, EpollEventArray.generation(watched));
        assertEquals(1_000_000, EpollEventArray.fd(watched));
        long nested = EpollEventArray.tag(0, -2); // a nested set's tag
        assertEquals(0, EpollEventArray.generation(nested), "a negative descriptor must not leak into the generation");
        assertEquals(-2, EpollEventArray.fd(nested));
        long last = EpollEventArray.tag(Integer.MAX_VALUE, Integer.MAX_VALUE);
        assertEquals(Integer.MAX_VALUE, EpollEventArray.generation(last));
        assertEquals(Integer.MAX_VALUE, EpollEventArray.fd(last));
    }

    @Test
    void memoryTooSmallForTheLengthIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(EpollEventArray.bytes(2), 8);
            assertThrows(IllegalArgumentException.class, () -> new EpollEventArray(small, 3));
        }
    }
}
