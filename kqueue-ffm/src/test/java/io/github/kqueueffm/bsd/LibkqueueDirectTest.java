package io.github.kqueueffm.bsd;

import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.bindings.kqueue.PosixCalls;
import io.github.kqueueffm.core.EventQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.NOTE_TRIGGER;
import static io.github.kqueueffm.KEvent.NOTE_USECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The passthrough itself, on a real kqueue library: libkqueue named by {@code kqueue.native.library}
 * (skipped without it). What the conformance suite cannot see from outside: the wakeup pipe's record
 * never reaches the caller, the translation is applied in both directions, close and interrupt end
 * blocked calls on platform and virtual threads, the {@link KqueueRelay} (the BSD kernels' way of
 * parking virtual threads, here watching a pipe) unparks on readiness, and helper threads end with
 * the last kqueue.
 */
@EnabledIfSystemProperty(named = "kqueue.native.library", matches = "/.+", disabledReason = "kqueue.native.library"
        + " is not set: run with -Dkqueue.native.library=/absolute/path/to/libkqueue.so")
class LibkqueueDirectTest {
    private static NativePlatform platform;

    @BeforeAll
    static void library() {
        platform = new NativePlatform(NativeHosts.libkqueue(Path.of(System.getProperty("kqueue.native.library"))));
    }

    @AfterAll
    static void noKqueueLeft() {
        if (platform != null) {
            assertEquals(0, platform.offload().idleWorkers(), "offload workers end with the last kqueue");
        }
    }

    private static int ebadf() {
        return platform.errnoNumber("EBADF");
    }

    @Test
    void changesAndEventsAreTranslatedAndTheWakeupIsHidden() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            EventQueue kq = platform.openKQueue(10);
            try {
                KEventList changes = KEventList.allocate(arena, 3);
                KEventList events = KEventList.allocate(arena, 4);
                changes.set(0, 7, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 77);
                changes.set(1, 7, EVFILT_USER, 0, NOTE_TRIGGER, 0, 77);
                changes.set(2, 8, EVFILT_TIMER, EV_ADD | EV_ONESHOT, NOTE_USECONDS, 20_000, 88);
                kq.kevent(changes, 3, null, 0, 0);
                int n = kq.kevent(null, 0, events, 4, 0);
                assertEquals(1, n, "the user event, not the wakeup pipe");
                assertEquals(EVFILT_USER, events.filter(0));
                assertEquals(77, events.udata(0));
                long start = System.nanoTime();
                n = kq.kevent(null, 0, events, 4, TimeUnit.SECONDS.toNanos(2));
                assertEquals(1, n);
                assertEquals(EVFILT_TIMER, events.filter(0));
                assertEquals(NOTE_USECONDS, events.fflags(0), "the host's unit bits back as FreeBSD's");
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(15), "20 ms in microseconds");
            } finally {
                kq.close();
            }
        }
    }

    @Test
    void closeEndsBlockedPlatformAndVirtualCallersWithEbadf() throws Exception {
        EventQueue kq = platform.openKQueue(10);
        AtomicReference<Throwable> platformResult = new AtomicReference<>();
        AtomicReference<Throwable> virtualResult = new AtomicReference<>();
        Thread p = Thread.ofPlatform().start(() -> platformResult.set(blockForever(kq)));
        Thread v = Thread.ofVirtual().start(() -> virtualResult.set(blockForever(kq)));
        Thread.sleep(200);
        assertTrue(p.isAlive() && v.isAlive(), "both wait");
        kq.close();
        p.join(2000);
        v.join(2000);
        assertEquals(ebadf(), ((KQueueException) platformResult.get()).errnoValue());
        assertEquals(ebadf(), ((KQueueException) virtualResult.get()).errnoValue());
        assertFalse(kq.isOpen());
        assertEquals(-1, kq.pollableDescriptor());
    }

    @Test
    void anInterruptEndsAVirtualThreadsCallWithEintrAndKeepsTheStatus() throws Exception {
        EventQueue kq = platform.openKQueue(10);
        try {
            CompletableFuture<String> result = new CompletableFuture<>();
            Thread v = Thread.ofVirtual().start(() -> {
                Throwable t = blockForever(kq);
                result.complete(platform.errnoName(((KQueueException) t).errnoValue())
                        + " " + Thread.currentThread().isInterrupted());
            });
            Thread.sleep(200);
            v.interrupt();
            assertEquals("EINTR true", result.get(2, TimeUnit.SECONDS));
        } finally {
            kq.close();
        }
    }

    @Test
    void theRelayUnparksWhenTheWatchedDescriptorTurnsReadable() throws Exception {
        KqueueRelay relay = new KqueueRelay(platform.calls(), platform.translator(), platform.errnoNumber("EINTR"));
        try (Arena arena = Arena.ofShared()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertEquals(0, PosixCalls.cloexecPipe(fds));
            int read = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
            int write = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
            try {
                CompletableFuture<Long> parkedFor = new CompletableFuture<>();
                Thread.ofVirtual().start(() -> {
                    long start = System.nanoTime();
                    boolean parked = relay.awaitReadable(read, TimeUnit.SECONDS.toNanos(10));
                    parkedFor.complete(parked ? System.nanoTime() - start : -1);
                });
                Thread.sleep(100);
                assertTrue(relay.isRunning());
                PosixCalls.write(write, fds, 1);
                long nanos = parkedFor.get(5, TimeUnit.SECONDS);
                assertTrue(nanos > 0 && nanos < TimeUnit.SECONDS.toNanos(5), "unparked by readiness: " + nanos);

                long start = System.nanoTime();
                PosixCalls.read(read, fds, 1);
                assertTrue(relay.awaitReadable(read, TimeUnit.MILLISECONDS.toNanos(100)));
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(90), "its timeout otherwise");
            } finally {
                relay.stop();
                PosixCalls.close(read);
                PosixCalls.close(write);
            }
            assertFalse(relay.isRunning());
        }
    }

    /** KQ-36's second half, found by the differential run: entries written before a failure stay. */
    @Test
    void errorEntriesWrittenBeforeTheCallFailedStayWritten() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            EventQueue kq = platform.openKQueue(10);
            try {
                KEventList changes = KEventList.allocate(arena, 3);
                KEventList events = KEventList.allocate(arena, 1);
                changes.set(0, 98, EVFILT_USER, io.github.kqueueffm.KEvent.EV_DELETE, 0, 0, 9);
                changes.set(1, 3, EVFILT_USER, EV_ADD, 0, 0, 0);
                changes.set(2, 5, (short) 1, EV_ADD, 0, 0, 0);
                KQueueException e = assertThrows(KQueueException.class, () -> kq.kevent(changes, 3, events, 1, 0));
                assertEquals(platform.errnoNumber("EINVAL"), e.errnoValue());
                assertEquals(98, events.ident(0));
                assertEquals(EVFILT_USER, events.filter(0));
                assertEquals(9, events.udata(0));
                assertEquals(platform.errnoNumber("ENOENT"), events.data(0));
                assertTrue((events.flags(0) & io.github.kqueueffm.KEvent.EV_ERROR) != 0);
            } finally {
                kq.close();
            }
        }
    }

    /** Polls take the lock-free path: racing close(), each one succeeds or fails with EBADF, nothing else. */
    @Test
    void pollsRacingCloseSucceedOrFailWithEbadf() throws Exception {
        for (int round = 0; round < 20; round++) {
            EventQueue kq = platform.openKQueue(10);
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(3);
            Thread[] pollers = new Thread[3];
            for (int t = 0; t < pollers.length; t++) {
                pollers[t] = Thread.ofPlatform().start(() -> {
                    try (KEventList changes = KEventList.allocate(1); KEventList events = KEventList.allocate(2)) {
                        changes.set(0, 1, EVFILT_USER, EV_ADD | EV_CLEAR, NOTE_TRIGGER, 0, 0);
                        started.countDown();
                        while (true) {
                            kq.kevent(changes, 1, events, 2, 0);
                        }
                    } catch (KQueueException e) {
                        if (e.errnoValue() != ebadf()) {
                            unexpected.set(e);
                        }
                    } catch (Throwable e) {
                        unexpected.set(e);
                    }
                });
            }
            started.await();
            Thread.sleep(5);
            kq.close();
            for (Thread t : pollers) {
                t.join(2000);
                assertFalse(t.isAlive(), "every poller ended with EBADF");
            }
            assertEquals(null, unexpected.get());
        }
    }

    @Test
    void aFreedEventlistIsEfault() throws Exception {
        EventQueue kq = platform.openKQueue(10);
        try {
            KEventList events = KEventList.allocate(1);
            events.close();
            KQueueException e = assertThrows(KQueueException.class, () -> kq.kevent(null, 0, events, 1, 0));
            assertEquals(platform.errnoNumber("EFAULT"), e.errnoValue());
        } finally {
            kq.close();
        }
    }

    private static Throwable blockForever(EventQueue kq) {
        try (KEventList events = KEventList.allocate(1)) {
            kq.kevent(null, 0, events, 1, -1);
            return new AssertionError("returned");
        } catch (Throwable t) {
            return t;
        }
    }

    @Test
    void descriptorFiltersSeeTheCallersDescriptors() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertEquals(0, PosixCalls.cloexecPipe(fds));
            int read = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
            EventQueue kq = platform.openKQueue(10);
            try {
                KEventList list = KEventList.allocate(arena, 1);
                list.set(0, read, EVFILT_READ, EV_ADD, 0, 0, 5);
                assertEquals(0, kq.kevent(list, 1, list, 1, 0));
                PosixCalls.write(fds.getAtIndex(ValueLayout.JAVA_INT, 1), fds, 3);
                assertEquals(1, kq.kevent(null, 0, list, 1, 0));
                assertEquals(read, list.ident(0));
                assertEquals(3, list.data(0));
            } finally {
                kq.close();
                PosixCalls.close(read);
                PosixCalls.close(fds.getAtIndex(ValueLayout.JAVA_INT, 1));
            }
        }
    }
}
