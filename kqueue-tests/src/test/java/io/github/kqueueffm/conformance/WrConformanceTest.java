package io.github.kqueueffm.conformance;

import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_EOF;
import static io.github.kqueueffm.KEvent.NOTE_LOWAT;
import static io.github.kqueueffm.tests.support.ReadWriteSupport.NO_EVENT_WAIT;
import static io.github.kqueueffm.tests.support.ReadWriteSupport.add;
import static io.github.kqueueffm.tests.support.ReadWriteSupport.await;
import static io.github.kqueueffm.tests.support.ReadWriteSupport.awaitMatching;
import static io.github.kqueueffm.tests.support.ReadWriteSupport.change;
import static io.github.kqueueffm.tests.support.ReadWriteSupport.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kqueueffm.Descriptors;
import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.tests.support.HostOs;
import io.github.kqueueffm.tests.support.Os;
import io.github.kqueueffm.tests.support.ReadWriteSupport;

import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conformance rows WR (docs/conformance.md#wr): EVFILT_WRITE. Sockets are a connected loopback TCP
 * pair unless a row says otherwise; the watched end is the client.
 */
class WrConformanceTest {

    @TempDir
    Path dir;

    private static void assertNoEvent(KQueue kq) throws Exception {
        assertEquals(List.of(), await(kq, NO_EVENT_WAIT), "expected no event within 100 ms");
    }

    private static void assertNoEventPoll(KQueue kq) throws Exception {
        assertEquals(List.of(), poll(kq), "expected a poll to return nothing");
    }

    private static KEvent single(List<KEvent> got, long ident) {
        assertEquals(1, got.size(), "expected exactly one event, got " + got);
        KEvent e = got.get(0);
        assertEquals(ident, e.ident(), "ident");
        assertEquals(EVFILT_WRITE, e.filter(), "filter");
        return e;
    }

    private static KEvent awaitOne(KQueue kq, long ident) throws Exception {
        return single(await(kq, ReadWriteSupport.EVENT_WAIT), ident);
    }

    /**
     * WR-01: EV_ADD on a connected TCP socket with an empty send buffer → event at once with data
     * = free space in the send buffer (> 0 and ≤ SO_SNDBUF, as getsockopt reads it;
     * docs/conformance.md#s3.9).
     */
    @Test
    void WR_01_emptySendBufferReportsFreeSpace() throws Exception {
        try (Os.TcpPair pair = Os.tcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            add(kq, fd, EVFILT_WRITE, 0);
            KEvent e = single(poll(kq), fd);
            int sndbuf = ReadWriteSupport.sndbuf(fd);
            assertTrue(e.data() > 0, "data > 0, got " + e.data());
            assertTrue(e.data() <= sndbuf, "data <= SO_SNDBUF (" + sndbuf + "), got " + e.data());
        }
    }

    /** WR-02: with EV_CLEAR the first poll returns the event and the second returns nothing while the socket stays writable. */
    @Test
    void WR_02_clearReportsOnce() throws Exception {
        try (Os.TcpPair pair = Os.tcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            add(kq, fd, EVFILT_WRITE, EV_CLEAR);
            single(poll(kq), fd);
            assertNoEvent(kq);
        }
    }

    /**
     * WR-03: with EV_CLEAR a new event follows a not-writable → writable transition: fill the send
     * buffer until send fails with EAGAIN, let the peer read everything → new event.
     */
    @Test
    void WR_03_clearFiresOnWritableTransition() throws Exception {
        try (Os.TcpPair pair = ReadWriteSupport.smallWindowTcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            add(kq, fd, EVFILT_WRITE, EV_CLEAR);
            single(poll(kq), fd);
            long sent = ReadWriteSupport.fill(fd);
            poll(kq); // edges seen while the buffer was filling are not what this row checks
            assertNoEvent(kq);
            ReadWriteSupport.drainExactly(pair.serverFd(), sent);
            awaitOne(kq, fd);
        }
    }

    /** WR-04: without EV_CLEAR the event is returned by every poll while the socket is writable. */
    @Test
    void WR_04_levelReportsEveryPoll() throws Exception {
        try (Os.TcpPair pair = Os.tcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            add(kq, fd, EVFILT_WRITE, 0);
            for (int i = 0; i < 3; i++) {
                single(poll(kq), fd);
            }
        }
    }

    /**
     * WR-05: send buffer full (peer not reading, send gives EAGAIN) → no event; after the peer
     * drains its receive buffer → event.
     */
    @Test
    void WR_05_fullSendBufferSilencesUntilDrained() throws Exception {
        try (Os.TcpPair pair = ReadWriteSupport.smallWindowTcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            long sent = ReadWriteSupport.fill(fd);
            add(kq, fd, EVFILT_WRITE, 0);
            assertNoEvent(kq);
            ReadWriteSupport.drainExactly(pair.serverFd(), sent);
            KEvent e = awaitMatching(kq, ev -> ev.ident() == fd && ev.filter() == EVFILT_WRITE);
            assertNotNull(e, "no event after the peer drained");
        }
    }

    /**
     * WR-06: NOTE_LOWAT: with a threshold larger than SO_SNDBUF no event within 100 ms; re-added
     * with threshold 1 → event.
     */
    @Test
    void WR_06_noteLowatThreshold() throws Exception {
        try (Os.TcpPair pair = Os.tcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            int sndbuf = ReadWriteSupport.sndbuf(fd);
            change(kq, fd, EVFILT_WRITE, EV_ADD, NOTE_LOWAT, sndbuf + 1L, 0);
            assertNoEvent(kq);
            change(kq, fd, EVFILT_WRITE, EV_ADD, NOTE_LOWAT, 1, 0);
            awaitOne(kq, fd);
        }
    }

    /** WR-07: pipe write end: the reader closes → event with EV_EOF and data = 0. */
    @Test
    void WR_07_pipeReaderCloseGivesEof() throws Exception {
        int[] p = Os.pipe();
        try (KQueue kq = KQueue.open()) {
            add(kq, p[1], EVFILT_WRITE, 0);
            assertEquals(0, single(poll(kq), p[1]).flags() & EV_EOF, "no EV_EOF while the reader is open");
            Os.close(p[0]);
            KEvent e = single(poll(kq), p[1]);
            assertEquals(EV_EOF, e.flags() & EV_EOF, "EV_EOF in " + e);
            assertEquals(0, e.data(), "data");
        } finally {
            Os.closeQuietly(p[0], p[1]);
        }
    }

    /**
     * WR-07, second half: a pipe whose reader is already closed refuses a new EVFILT_WRITE knote
     * with EPIPE (FreeBSD's pipe_kqfilter: "other end of pipe has been closed"); nothing is
     * registered, so an EV_DELETE then fails with ENOENT.
     */
    @Test
    void WR_07_writeKnoteOnAPipeWhoseReaderIsClosedIsRefusedWithEpipe() throws Exception {
        int[] p = Os.pipe();
        try (KQueue kq = KQueue.open()) {
            Os.close(p[0]);
            KQueueException e = assertThrows(KQueueException.class, () -> add(kq, p[1], EVFILT_WRITE, 0));
            assertEquals(Errno.EPIPE, e.errno());
            KQueueException gone = assertThrows(KQueueException.class,
                    () -> change(kq, p[1], EVFILT_WRITE, EV_DELETE, 0, 0, 0));
            assertEquals(Errno.ENOENT, gone.errno(), "no knote was made");
            assertEquals(0, poll(kq).size(), "no event");
        } finally {
            Os.closeQuietly(p[1]);
        }
    }

    /**
     * WR-16, first half: a FIFO keeps its pipe while anyone has it open, so on FreeBSD a write
     * knote made after the last reader closed is accepted and reports EV_EOF (not EPIPE).
     */
    @Test
    void WR_16_writeKnoteOnAFifoWithoutReaderReportsEof() throws Exception {
        Path fifo = dir.resolve("wr16b.fifo");
        ReadWriteSupport.mkfifo(fifo);
        int reader = ReadWriteSupport.open(fifo, HostOs.OpenFlag.READ_ONLY, HostOs.OpenFlag.NON_BLOCKING);
        int writer = ReadWriteSupport.open(fifo, HostOs.OpenFlag.WRITE_ONLY, HostOs.OpenFlag.NON_BLOCKING);
        try (KQueue kq = KQueue.open()) {
            Os.close(reader);
            add(kq, writer, EVFILT_WRITE, 0);
            assertEquals(EV_EOF, single(poll(kq), writer).flags() & EV_EOF, "EV_EOF: no reader");
        } finally {
            Os.closeQuietly(writer);
        }
    }

    /**
     * WR-08: pipe write end with an empty pipe → data = pipe capacity minus queued bytes (> 1;
     * 65536 by default on Linux, F_GETPIPE_SZ).
     */
    @Test
    void WR_08_pipeDataIsCapacity() throws Exception {
        int[] p = Os.pipe();
        try (KQueue kq = KQueue.open()) {
            int capacity = Os.pipeCapacity(p[1]);
            add(kq, p[1], EVFILT_WRITE, 0);
            KEvent e = single(poll(kq), p[1]);
            assertTrue(e.data() > 1, "data > 1, got " + e.data());
            assertEquals(capacity, e.data(), "data = F_GETPIPE_SZ - 0 queued bytes");
        } finally {
            Os.closeQuietly(p[0], p[1]);
        }
    }

    /** WR-09: pipe with fewer than PIPE_BUF (512) bytes free → no event. */
    @Test
    void WR_09_pipeAlmostFullGivesNoEvent() throws Exception {
        int[] p = Os.pipe();
        try (KQueue kq = KQueue.open()) {
            int capacity = Os.pipeCapacity(p[1]);
            ReadWriteSupport.writeFully(p[1], capacity - 100L);
            assertEquals(capacity - 100, Os.readable(p[0]), "queued bytes");
            add(kq, p[1], EVFILT_WRITE, 0);
            assertNoEventPoll(kq);
            assertNoEvent(kq);
        } finally {
            Os.closeQuietly(p[0], p[1]);
        }
    }

    /**
     * WR-09, Linux page slots: a full pipe read by less than its first page has 512 bytes or more
     * free but no free page slot, and write(2) fails with EAGAIN; EVFILT_WRITE is not returned
     * then (a level knote would otherwise be returned on every call while no write can succeed).
     * Once the first page is read out the knote is returned with data = capacity − queued.
     *
     * <p>Linux only: a pipe made of page slots (16 by default) is a Linux platform fact.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void WR_09_pipeWithoutAFreePageSlotGivesNoEvent() throws Exception {
        int[] p = Os.pipe();
        try (KQueue kq = KQueue.open()) {
            int capacity = Os.pipeCapacity(p[1]);
            int page = capacity / 16; // a default pipe has 16 page slots
            ReadWriteSupport.writeFully(p[1], capacity);
            assertEquals(1000, Os.read(p[0], 1000));
            assertEquals(Errno.EAGAIN.name(), Os.writeErrno(p[1], 1), "platform fact: no free slot, no write");
            add(kq, p[1], EVFILT_WRITE, 0);
            assertNoEventPoll(kq);
            assertNoEvent(kq);

            assertEquals(page - 1000, Os.read(p[0], page - 1000)); // the first page is free again
            KEvent e = single(poll(kq), p[1]);
            assertEquals(page, e.data(), "data = capacity - queued");
            assertEquals(1, Os.write(p[1], 1), "writable indeed");
        } finally {
            Os.closeQuietly(p[0], p[1]);
        }
    }

    /**
     * WR-10: the TCP peer closes and a local send draws a reset → event with EV_EOF and fflags =
     * EPIPE or ECONNRESET.
     */
    @Test
    void WR_10_peerCloseThenSendGivesEofWithError() throws Exception {
        try (Os.TcpPair pair = Os.tcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            add(kq, fd, EVFILT_WRITE, 0);
            pair.server().close();
            // wait for the FIN, so that the send below reaches a closed socket and draws a reset
            long deadline = System.nanoTime() + ReadWriteSupport.EVENT_WAIT.toNanos();
            while (!Os.pollReadable(fd) && System.nanoTime() < deadline) {
                ReadWriteSupport.sleep(2);
            }
            assertTrue(Os.pollReadable(fd), "the peer's FIN arrived");
            ReadWriteSupport.send(pair.client(), 16);
            KEvent e = awaitMatching(kq, ev -> ev.ident() == fd && (ev.flags() & EV_EOF) != 0);
            assertNotNull(e, "no EV_EOF event after the reset");
            Errno err = Errno.of(e.fflags());
            assertTrue(err == Errno.EPIPE || err == Errno.ECONNRESET,
                    "fflags = EPIPE or ECONNRESET, got " + e.fflags() + " (" + err + ")");
        }
    }

    /** WR-11: listening socket: EVFILT_WRITE never reports. */
    @Test
    @SuppressWarnings("try") // the connected client only has to exist
    void WR_11_listeningSocketNeverReports() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open(); KQueue kq = KQueue.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.configureBlocking(false);
            int fd = Descriptors.of(listener);
            add(kq, fd, EVFILT_WRITE, 0);
            assertNoEvent(kq);
            try (SocketChannel client = SocketChannel.open(listener.getLocalAddress())) {
                assertNoEvent(kq);
            }
        }
    }

    /** WR-12: unconnected UDP socket: event at once. */
    @Test
    void WR_12_unconnectedUdpIsWritable() throws Exception {
        try (DatagramChannel udp = DatagramChannel.open(); KQueue kq = KQueue.open()) {
            udp.configureBlocking(false);
            int fd = Descriptors.of(udp);
            add(kq, fd, EVFILT_WRITE, 0);
            single(poll(kq), fd);
        }
    }

    /** WR-13: regular file: event at once with data = 0, and again after a write (level). */
    @Test
    void WR_13_regularFileAlwaysWritable() throws Exception {
        Path file = Files.createTempFile(dir, "wr13", ".bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"); KQueue kq = KQueue.open()) {
            int fd = Descriptors.of(raf);
            add(kq, fd, EVFILT_WRITE, 0);
            assertEquals(0, single(poll(kq), fd).data());
            raf.write(new byte[100]);
            assertEquals(0, single(poll(kq), fd).data(), "again after a write");
        }
    }

    /** WR-14: regular file opened read-only: EVFILT_WRITE still reports (the open mode is not checked). */
    @Test
    void WR_14_readOnlyFileStillReports() throws Exception {
        Path file = Files.createTempFile(dir, "wr14", ".bin");
        Files.write(file, new byte[10]);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); KQueue kq = KQueue.open()) {
            int fd = Descriptors.of(ch);
            add(kq, fd, EVFILT_WRITE, 0);
            single(poll(kq), fd);
        }
    }

    /**
     * WR-15: non-blocking connect in progress: no event until the handshake completes, then an
     * event; to a closed port → event with EV_EOF and fflags = ECONNREFUSED.
     *
     * <p>To hold the handshake open on loopback the listener's accept queue is filled (backlog 1,
     * two completed connections not accepted): Linux then drops the SYN, and the client's SYN
     * retransmission (after about 1 s) completes the handshake once the queue has been emptied.
     */
    @Test
    void WR_15_nonBlockingConnect() throws Exception {
        List<SocketChannel> queued = new ArrayList<>();
        try (ServerSocketChannel listener = ServerSocketChannel.open(); KQueue kq = KQueue.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            try {
                queued.add(SocketChannel.open(listener.getLocalAddress()));
                queued.add(SocketChannel.open(listener.getLocalAddress()));
                ReadWriteSupport.sleep(20);
                try (SocketChannel connecting = SocketChannel.open()) {
                    connecting.configureBlocking(false);
                    assertFalse(connecting.connect(listener.getLocalAddress()), "connect completed at once");
                    int fd = Descriptors.of(connecting);
                    add(kq, fd, EVFILT_WRITE, 0);
                    assertEquals(HostOs.TcpState.SYN_SENT, ReadWriteSupport.tcpState(fd), "precondition: the handshake is held");
                    assertNoEvent(kq);
                    assertEquals(HostOs.TcpState.SYN_SENT, ReadWriteSupport.tcpState(fd), "precondition: still connecting");
                    // empty the accept queue; the retransmitted SYN then completes the handshake
                    listener.accept().close();
                    listener.accept().close();
                    KEvent e = single(await(kq, Duration.ofSeconds(5)), fd);
                    assertEquals(0, e.flags() & EV_EOF, "no EV_EOF: " + e);
                    assertTrue(connecting.finishConnect(), "the handshake completed");
                }
            } finally {
                for (SocketChannel c : queued) {
                    c.close();
                }
            }
        }
        try (SocketChannel refused = SocketChannel.open(); KQueue kq = KQueue.open()) {
            refused.configureBlocking(false);
            InetSocketAddress closed = ReadWriteSupport.closedLoopbackPort();
            boolean done = refused.connect(closed);
            assertFalse(done, "connect to a closed port completed at once");
            int fd = Descriptors.of(refused);
            add(kq, fd, EVFILT_WRITE, 0);
            KEvent e = awaitMatching(kq, ev -> ev.ident() == fd && (ev.flags() & EV_EOF) != 0);
            assertNotNull(e, "no EV_EOF event for the refused connect");
            assertEquals(Errno.ECONNREFUSED.value(), e.fflags(), "fflags = ECONNREFUSED, got " + Errno.of(e.fflags()));
        }
    }

    /**
     * WR-16: FIFO write end: the reader closes → EV_EOF; when a new reader opens the FIFO, EV_EOF
     * is no longer reported.
     */
    @Test
    void WR_16_fifoEofClearedByNewReader() throws Exception {
        Path fifo = dir.resolve("wr16.fifo");
        ReadWriteSupport.mkfifo(fifo);
        int reader = ReadWriteSupport.open(fifo, HostOs.OpenFlag.READ_ONLY, HostOs.OpenFlag.NON_BLOCKING);
        int writer = ReadWriteSupport.open(fifo, HostOs.OpenFlag.WRITE_ONLY, HostOs.OpenFlag.NON_BLOCKING);
        int reader2 = -1;
        try (KQueue kq = KQueue.open()) {
            add(kq, writer, EVFILT_WRITE, 0);
            assertEquals(0, single(poll(kq), writer).flags() & EV_EOF, "no EV_EOF while a reader is open");
            Os.close(reader);
            reader = -1;
            KEvent eof = single(poll(kq), writer);
            assertEquals(EV_EOF, eof.flags() & EV_EOF, "EV_EOF after the reader closed: " + eof);
            reader2 = ReadWriteSupport.open(fifo, HostOs.OpenFlag.READ_ONLY, HostOs.OpenFlag.NON_BLOCKING);
            for (KEvent e : poll(kq)) {
                assertEquals(0, e.flags() & EV_EOF, "EV_EOF still reported with a new reader: " + e);
            }
            assertEquals(0, single(poll(kq), writer).flags() & EV_EOF, "writable again, without EV_EOF");
        } finally {
            Os.closeQuietly(writer);
            if (reader >= 0) {
                Os.closeQuietly(reader);
            }
            if (reader2 >= 0) {
                Os.closeQuietly(reader2);
            }
        }
    }

    /** WR-17: eventfd: data = the largest value that can be added without blocking (0xFFFFFFFFFFFFFFFE − counter). */
    @Test
    void WR_17_eventfdRoom() throws Exception {
        int efd = ReadWriteSupport.eventfd(5);
        try (KQueue kq = KQueue.open()) {
            add(kq, efd, EVFILT_WRITE, 0);
            assertEquals(0xFFFFFFFFFFFFFFFEL - 5, single(poll(kq), efd).data(), "0xFFFFFFFFFFFFFFFE - 5");
            assertEquals(5, ReadWriteSupport.readEventfd(efd));
            assertEquals(0xFFFFFFFFFFFFFFFEL, single(poll(kq), efd).data(), "0xFFFFFFFFFFFFFFFE - 0");
        } finally {
            Os.closeQuietly(efd);
        }
    }

    /**
     * WR-18: AF_UNIX stream socket whose peer does not read: once the peer's receive buffer is
     * full, no event; after the peer reads, an event with data > 0.
     */
    @Test
    void WR_18_unixSocketFullThenDrained() throws Exception {
        int[] sp = Os.socketpair();
        try (KQueue kq = KQueue.open()) {
            long sent = ReadWriteSupport.fill(sp[0]);
            add(kq, sp[0], EVFILT_WRITE, 0);
            assertNoEvent(kq);
            ReadWriteSupport.drainExactly(sp[1], sent);
            KEvent e = awaitOne(kq, sp[0]);
            assertTrue(e.data() > 0, "data > 0, got " + e.data());
        } finally {
            Os.closeQuietly(sp[0], sp[1]);
        }
    }
}
