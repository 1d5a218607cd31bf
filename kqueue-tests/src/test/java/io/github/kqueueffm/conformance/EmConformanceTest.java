package io.github.kqueueffm.conformance;

import static io.github.kqueueffm.KEvent.EVFILT_EMPTY;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.tests.support.ReadWriteSupport.NO_EVENT_WAIT;
import static io.github.kqueueffm.tests.support.ReadWriteSupport.add;
import static io.github.kqueueffm.tests.support.ReadWriteSupport.await;
import static io.github.kqueueffm.tests.support.ReadWriteSupport.changeWithRoom;
import static io.github.kqueueffm.tests.support.ReadWriteSupport.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kqueueffm.Descriptors;
import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.tests.support.Os;
import io.github.kqueueffm.tests.support.ReadWriteSupport;

import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conformance rows EM (docs/conformance.md#em): EVFILT_EMPTY (a socket's send buffer holds no data;
 * for TCP nothing unsent and nothing unacknowledged). On Linux the "all acknowledged" moment has no
 * wakeup and is found by re-checking SIOCOUTQ (docs/conformance.md#s3.10), so the expected events
 * are awaited for up to 3 s.
 */
class EmConformanceTest {
    private static final Duration EMPTY_WAIT = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private static void assertNoEvent(KQueue kq) throws Exception {
        assertEquals(List.of(), await(kq, NO_EVENT_WAIT), "expected no event within 100 ms");
    }

    private static KEvent single(List<KEvent> got, long ident) {
        assertEquals(1, got.size(), "expected exactly one event, got " + got);
        KEvent e = got.get(0);
        assertEquals(ident, e.ident(), "ident");
        assertEquals(EVFILT_EMPTY, e.filter(), "filter");
        return e;
    }

    /** EM-01: connected TCP socket with nothing queued: EV_ADD → event at once with data = 0. */
    @Test
    void EM_01_idleTcpSocketIsEmpty() throws Exception {
        try (Os.TcpPair pair = Os.tcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            add(kq, fd, EVFILT_EMPTY, 0);
            assertEquals(0, single(poll(kq), fd).data());
        }
    }

    /**
     * EM-02: after sending more than the peer's receive window while the peer does not read: no
     * event; after the peer reads everything and all data is acknowledged → event with data = 0.
     */
    @Test
    void EM_02_emptyAfterPeerReadsEverything() throws Exception {
        try (Os.TcpPair pair = ReadWriteSupport.smallWindowTcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            long sent = ReadWriteSupport.fill(fd);
            assertTrue(ReadWriteSupport.outq(fd) > 0, "data is queued (SIOCOUTQ > 0)");
            add(kq, fd, EVFILT_EMPTY, 0);
            assertNoEvent(kq);
            ReadWriteSupport.drainExactly(pair.serverFd(), sent);
            KEvent e = single(await(kq, EMPTY_WAIT), fd);
            assertEquals(0, e.data());
            assertEquals(0, ReadWriteSupport.outq(fd), "everything acknowledged");
        }
    }

    /** EM-03: with EV_CLEAR: one event per transition to empty. */
    @Test
    void EM_03_clearGivesOneEventPerTransition() throws Exception {
        try (Os.TcpPair pair = ReadWriteSupport.smallWindowTcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            add(kq, fd, EVFILT_EMPTY, EV_CLEAR);
            single(poll(kq), fd); // empty at registration
            assertNoEvent(kq);
            for (int transition = 0; transition < 2; transition++) {
                long sent = ReadWriteSupport.fill(fd);
                // While the peer's window was still open the queue may have emptied between two
                // writes (a real transition); only the steady non-empty state is checked here.
                poll(kq);
                assertTrue(ReadWriteSupport.outq(fd) > 0, "data is queued (SIOCOUTQ > 0)");
                assertNoEvent(kq);
                ReadWriteSupport.drainExactly(pair.serverFd(), sent);
                KEvent e = single(await(kq, EMPTY_WAIT), fd);
                assertEquals(0, e.data(), "transition " + transition);
                assertNoEvent(kq);
            }
        }
    }

    /** EM-04: listening socket: event at once. */
    @Test
    void EM_04_listeningSocketIsEmpty() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open(); KQueue kq = KQueue.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int fd = Descriptors.of(listener);
            add(kq, fd, EVFILT_EMPTY, 0);
            single(poll(kq), fd);
        }
    }

    /** EM-05: UDP socket: event at once (datagrams do not linger in the send buffer). */
    @Test
    void EM_05_udpSocketIsEmpty() throws Exception {
        try (DatagramChannel rx = DatagramChannel.open(); DatagramChannel tx = DatagramChannel.open();
             KQueue kq = KQueue.open()) {
            rx.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            tx.connect(rx.getLocalAddress());
            assertEquals(100, tx.write(ByteBuffer.allocate(100)));
            int fd = Descriptors.of(tx);
            add(kq, fd, EVFILT_EMPTY, 0);
            single(poll(kq), fd);
        }
    }

    /** EM-06: EVFILT_EMPTY on a pipe or a regular file → EINVAL. */
    @Test
    void EM_06_pipeAndRegularFileRejected() throws Exception {
        int[] p = Os.pipe();
        Path file = Files.createTempFile(dir, "em06", ".bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"); KQueue kq = KQueue.open()) {
            // no room for output: kevent fails with the errno
            KQueueException pipeRead = assertThrows(KQueueException.class, () -> add(kq, p[0], EVFILT_EMPTY, 0));
            assertEquals(Errno.EINVAL, pipeRead.errno(), "pipe read end");
            KQueueException pipeWrite = assertThrows(KQueueException.class, () -> add(kq, p[1], EVFILT_EMPTY, 0));
            assertEquals(Errno.EINVAL, pipeWrite.errno(), "pipe write end");
            int fd = Descriptors.of(raf);
            KQueueException fileErr = assertThrows(KQueueException.class, () -> add(kq, fd, EVFILT_EMPTY, 0));
            assertEquals(Errno.EINVAL, fileErr.errno(), "regular file");
            // with room: an EV_ERROR entry carrying EINVAL
            for (int ident : new int[] {p[0], fd}) {
                List<KEvent> got = changeWithRoom(kq, ident, EVFILT_EMPTY, EV_ADD, 0, 0, 0);
                assertEquals(1, got.size(), "one EV_ERROR entry");
                assertEquals(EV_ERROR, got.get(0).flags() & EV_ERROR, "EV_ERROR in " + got.get(0));
                assertEquals(Errno.EINVAL.value(), got.get(0).data(), "data = EINVAL");
            }
        } finally {
            Os.closeQuietly(p[0], p[1]);
        }
    }

    /**
     * EM-07: the peer resets the connection while data is still queued: the queued data is
     * discarded and the knote reports with data = 0.
     */
    @Test
    void EM_07_resetDiscardsQueuedData() throws Exception {
        try (Os.TcpPair pair = ReadWriteSupport.smallWindowTcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            ReadWriteSupport.fill(fd);
            assertTrue(ReadWriteSupport.outq(fd) > 0, "data is queued (SIOCOUTQ > 0)");
            add(kq, fd, EVFILT_EMPTY, 0);
            assertNoEvent(kq);
            ReadWriteSupport.lingerZero(pair.serverFd());
            pair.server().close();
            KEvent e = single(await(kq, EMPTY_WAIT), fd);
            assertEquals(0, e.data(), "data = 0 after the reset");
        }
    }
}
