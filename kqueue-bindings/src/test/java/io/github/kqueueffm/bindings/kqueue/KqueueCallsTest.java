package io.github.kqueueffm.bindings.kqueue;

import io.github.kqueueffm.bindings.ErrnoNames;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written kqueue bindings: the POSIX calls on this host, the refusals of a bad library
 * path, and — when {@code kqueue.native.library} names libkqueue — {@code kqueue} and
 * {@code kevent} with a raw 32-byte record, results as value or −errno.
 */
class KqueueCallsTest {
    @Test
    void posixCallsReturnTheValueOrMinusErrno() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertEquals(0, PosixCalls.cloexecPipe(fds));
            int read = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
            int write = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
            MemorySegment bytes = arena.allocateFrom("abc");
            assertEquals(3, PosixCalls.write(write, bytes, 3));
            MemorySegment into = arena.allocate(8);
            assertEquals(3, PosixCalls.read(read, into, 8));
            assertEquals("abc", into.getString(0));
            assertEquals(0, PosixCalls.close(read));
            assertEquals(0, PosixCalls.close(write));
            assertEquals(-ErrnoNames.number("EBADF"), PosixCalls.close(read));
            int devNull = PosixCalls.open(arena.allocateFrom("/dev/null"), PosixCalls.O_RDONLY);
            assertTrue(devNull >= 0);
            assertEquals(0, PosixCalls.fcntl(devNull, PosixCalls.F_SETFD, PosixCalls.FD_CLOEXEC));
            assertEquals(0, PosixCalls.close(devNull));
            assertEquals(-ErrnoNames.number("ENOENT"), PosixCalls.open(arena.allocateFrom("/no/such/file"), 0));
        }
    }

    @Test
    void aLibraryIsNamedByAnAbsolutePathThatLoads() {
        assertThrows(IllegalArgumentException.class, () -> KqueueCalls.library(Path.of("libkqueue.so")));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KqueueCalls.library(Path.of("/no/such/libkqueue.so")));
        assertTrue(e.getMessage().contains("/no/such/libkqueue.so"), e.getMessage());
    }

    @Test
    void libkqueuesKeventOnARawRecord() {
        String library = System.getProperty("kqueue.native.library");
        Assumptions.assumeTrue(library != null && !library.isBlank(), "kqueue.native.library is not set");
        KqueueCalls calls = KqueueCalls.library(Path.of(library));
        int kq = calls.kqueue();
        assertTrue(kq >= 0, "kqueue() " + kq);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment record = arena.allocate(32);
            MemorySegment zero = arena.allocate(KqueueCalls.TIMESPEC);
            record.set(ValueLayout.JAVA_LONG, 0, 1);                // ident
            record.set(ValueLayout.JAVA_SHORT, 8, (short) -11);     // EVFILT_USER
            record.set(ValueLayout.JAVA_SHORT, 10, (short) 0x1);    // EV_ADD
            record.set(ValueLayout.JAVA_INT, 12, 0x01000000);       // NOTE_TRIGGER
            assertEquals(0, calls.keventNow(kq, record, 1, MemorySegment.NULL, 0, zero));
            record.set(ValueLayout.JAVA_SHORT, 10, (short) 0);
            assertEquals(0, calls.keventNow(kq, record, 1, MemorySegment.NULL, 0, zero));
            assertEquals(1, calls.kevent(kq, MemorySegment.NULL, 0, record, 1, zero));
            assertEquals(-11, record.get(ValueLayout.JAVA_SHORT, 8));
            record.set(ValueLayout.JAVA_SHORT, 8, (short) -99);
            assertEquals(-ErrnoNames.number("EINVAL"), calls.keventNow(kq, record, 1, MemorySegment.NULL, 0, zero));
        } finally {
            PosixCalls.close(kq);
        }
    }
}
