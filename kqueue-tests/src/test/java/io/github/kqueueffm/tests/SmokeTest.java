package io.github.kqueueffm.tests;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.tests.support.Os;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.github.kqueueffm.KEvent.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A first end-to-end run of each implemented filter on real kernel objects. */
class SmokeTest {
    @Test
    void userTimerPipeSocketpair() throws Exception {
        int[] pipe = Os.pipe();
        try (KQueue kq = KQueue.open(); KEventList ch = KEventList.allocate(8); KEventList ev = KEventList.allocate(8)) {
            ch.set(0, 1, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 11);
            ch.set(1, 1, EVFILT_USER, 0, NOTE_TRIGGER, 0, 12);
            assertEquals(1, kq.kevent(ch, 2, ev, 8, Duration.ZERO));
            assertEquals(new KEvent(1, EVFILT_USER, EV_CLEAR, 0, 0, 12), ev.get(0));
            assertEquals(0, kq.kevent(null, 0, ev, 8, Duration.ZERO));

            ch.set(0, pipe[0], EVFILT_READ, EV_ADD, 0, 0, 5);
            assertEquals(0, kq.kevent(ch, 1, ev, 8, Duration.ZERO));
            Os.write(pipe[1], 3);
            assertEquals(1, kq.kevent(null, 0, ev, 8, Duration.ZERO));
            assertEquals(new KEvent(pipe[0], EVFILT_READ, 0, 0, 3, 5), ev.get(0));
            assertEquals(1, kq.kevent(null, 0, ev, 8, Duration.ZERO));
            Os.read(pipe[0], 3);
            assertEquals(0, kq.kevent(null, 0, ev, 8, Duration.ZERO));

            long start = System.nanoTime();
            ch.set(0, 7, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 50, 0);
            assertEquals(1, kq.kevent(ch, 1, ev, 8, Duration.ofSeconds(2)));
            long elapsed = System.nanoTime() - start;
            assertEquals(new KEvent(7, EVFILT_TIMER, EV_ONESHOT | EV_CLEAR, 0, 1, 0), ev.get(0));
            org.junit.jupiter.api.Assertions.assertTrue(elapsed >= 50_000_000L, "early: " + elapsed);
        } finally {
            Os.closeQuietly(pipe);
        }
    }

    @Test
    void processExitStatusAndFork() throws Exception {
        Process child = new ProcessBuilder("sh", "-c", "read x; sh -c 'exit 3'; exit 64").start();
        try (KQueue kq = KQueue.open(); KEventList ch = KEventList.allocate(2); KEventList ev = KEventList.allocate(8)) {
            ch.set(0, io.github.kqueueffm.Processes.pid(child), EVFILT_PROC, EV_ADD, NOTE_EXIT | NOTE_FORK, 0, 9);
            int first = kq.kevent(ch, 1, ev, 8, Duration.ZERO);
            assertEquals(0, first, first > 0 ? ev.get(0).toString() : "");
            child.getOutputStream().write('\n');
            child.getOutputStream().close();
            long fflags = 0;
            long data = -1;
            long deadline = System.nanoTime() + 5_000_000_000L;
            while ((fflags & NOTE_EXIT) == 0 && System.nanoTime() < deadline) {
                int n = kq.kevent(null, 0, ev, 8, Duration.ofSeconds(1));
                for (int i = 0; i < n; i++) {
                    fflags |= Integer.toUnsignedLong(ev.fflags(i));
                    if ((ev.fflags(i) & NOTE_EXIT) != 0) {
                        data = ev.data(i);
                        assertEquals(EV_EOF | EV_ONESHOT | EV_CLEAR, ev.flags(i));
                    }
                }
            }
            assertEquals(64 << 8, data);
            org.junit.jupiter.api.Assertions.assertTrue((fflags & NOTE_FORK) != 0, "NOTE_FORK seen");
            assertEquals(64, child.waitFor());
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void vnodeWriteExtendAttribAndDelete(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("f"), "abc");
        int fd = io.github.kqueueffm.Descriptors.open(file);
        try (KQueue kq = KQueue.open(); KEventList ch = KEventList.allocate(1); KEventList ev = KEventList.allocate(4)) {
            ch.set(0, fd, EVFILT_VNODE, EV_ADD | EV_CLEAR, NOTE_WRITE | NOTE_EXTEND | NOTE_ATTRIB | NOTE_DELETE, 0, 0);
            assertEquals(0, kq.kevent(ch, 1, ev, 4, Duration.ZERO));
            java.nio.file.Files.writeString(file, "more", java.nio.file.StandardOpenOption.APPEND);
            assertEquals(1, kq.kevent(null, 0, ev, 4, Duration.ofSeconds(1)));
            assertEquals(NOTE_WRITE | NOTE_EXTEND, ev.fflags(0));
            java.nio.file.Files.delete(file);
            assertEquals(1, kq.kevent(null, 0, ev, 4, Duration.ofSeconds(1)));
            assertEquals(NOTE_DELETE, ev.fflags(0) & NOTE_DELETE);
        } finally {
            io.github.kqueueffm.Descriptors.close(fd);
        }
    }
}
