package io.github.kqueueffm.bindings;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrnoCaptureTest {
    @Test
    void closeOfMinusOneReportsEbadf() {
        assertEquals(-ErrnoNames.number("EBADF"), LinuxCalls.close(-1), "close(-1) returns -EBADF");
        assertEquals("EBADF", ErrnoNames.name(ErrnoCapture.errno()), "and leaves EBADF in the capture");
    }

    @Test
    void errnoIsPerThread() throws Exception {
        assertEquals(-ErrnoNames.number("EBADF"), LinuxCalls.close(-1));
        Thread other = Thread.ofPlatform().start(() -> {
            LinuxCalls.fcntl(-1, 12345, 0); // EBADF too, but from another thread
            LinuxCalls.epollCreate1(-1); // EINVAL
        });
        other.join();
        assertEquals("EBADF", ErrnoNames.name(ErrnoCapture.errno()));
    }

    @Test
    void errnoNamesCoverTheCommonNumbers() {
        assertEquals("EINVAL", ErrnoNames.name(-LinuxCalls.epollCreate1(-1)));
        assertEquals("EAGAIN", ErrnoNames.name(ErrnoNames.number("EWOULDBLOCK")));
        assertEquals("errno 99999", ErrnoNames.name(99999));
        for (String name : new String[] {"EBADF", "EINVAL", "ENOENT", "ENOMEM", "ESRCH", "EINTR", "EFAULT",
            "EMFILE", "EPERM", "ENXIO", "ELOOP", "ECONNRESET", "EPIPE", "ECHILD"}) {
            assertTrue(ErrnoNames.number(name) > 0, name);
            assertEquals(name, ErrnoNames.name(ErrnoNames.number(name)));
        }
    }

    @Test
    void failingCallsAllocateNothingInSteadyState() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        int ebadf = ErrnoNames.number("EBADF");
        // Warm up until the JIT has compiled the loop (interpreted method-handle code allocates):
        // at most 300 rounds, then measure a fresh round.
        for (int round = 0; round < 300; round++) {
            long start = threads.getThreadAllocatedBytes(tid);
            runFailingCalls(ebadf);
            if (threads.getThreadAllocatedBytes(tid) == start && round >= 10) {
                break;
            }
        }
        long before = threads.getThreadAllocatedBytes(tid);
        int failures = runFailingCalls(ebadf);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertEquals(10_000, failures);
        assertEquals(0, allocated, "bytes allocated by 10 000 failing calls");
    }

    private static int runFailingCalls(int ebadf) {
        int failures = 0;
        for (int i = 0; i < 10_000; i++) {
            if (LinuxCalls.close(-1) == -ebadf) {
                failures++;
            }
        }
        return failures;
    }
}
