package io.github.kqueueffm.conformance;

import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DISPATCH;
import static io.github.kqueueffm.KEvent.EV_EOF;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_RECEIPT;
import static io.github.kqueueffm.KEvent.NOTE_FILE_POLL;
import static io.github.kqueueffm.KEvent.NOTE_LOWAT;
import static io.github.kqueueffm.tests.support.ReadWriteSupport.NO_EVENT_WAIT;
import static io.github.kqueueffm.tests.support.ReadWriteSupport.add;
import static io.github.kqueueffm.tests.support.ReadWriteSupport.await;
import static io.github.kqueueffm.tests.support.ReadWriteSupport.awaitMatching;
import static io.github.kqueueffm.tests.support.ReadWriteSupport.change;
import static io.github.kqueueffm.tests.support.ReadWriteSupport.changeWithRoom;
import static io.github.kqueueffm.tests.support.ReadWriteSupport.events;
import static io.github.kqueueffm.tests.support.ReadWriteSupport.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kqueueffm.Descriptors;
import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.tests.support.HostOs;
import io.github.kqueueffm.tests.support.Os;
import io.github.kqueueffm.tests.support.ReadWriteSupport;

import java.io.FileOutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conformance rows RD (docs/conformance.md#rd): EVFILT_READ. Sockets are a connected loopback TCP
 * pair unless a row says otherwise; the watched end is the client.
 */
class RdConformanceTest {
    private static final long UDATA = 0x5eed_0001L;

    @TempDir
    Path dir;

    private static void assertNoEvent(KQueue kq) throws Exception {
        List<KEvent> got = await(kq, NO_EVENT_WAIT);
        assertEquals(List.of(), got, "expected no event within 100 ms");
    }

    private static void assertNoEventPoll(KQueue kq) throws Exception {
        List<KEvent> got = poll(kq);
        assertEquals(List.of(), got, "expected a poll to return nothing");
    }

    private static KEvent single(List<KEvent> got, long ident) {
        assertEquals(1, got.size(), "expected exactly one event, got " + got);
        KEvent e = got.get(0);
        assertEquals(ident, e.ident(), "ident");
        assertEquals(EVFILT_READ, e.filter(), "filter");
        return e;
    }

    private static KEvent awaitOne(KQueue kq, long ident) throws Exception {
        return single(await(kq, ReadWriteSupport.EVENT_WAIT), ident);
    }

    private static Path regularFile(Path dir, int size) throws Exception {
        Path file = Files.createTempFile(dir, "rd", ".bin");
        Files.write(file, new byte[size]);
        return file;
    }

    /** RD-01: EV_ADD on a socket with nothing queued → no event. */
    @Test
    void RD_01_addOnIdleSocketGivesNoEvent() throws Exception {
        try (Os.TcpPair pair = Os.tcpPair(); KQueue kq = KQueue.open()) {
            add(kq, pair.clientFd(), EVFILT_READ, 0);
            assertNoEvent(kq);
        }
    }

    /** RD-02: the peer sends 1 byte → {ident=fd, EVFILT_READ, flags=0, fflags=0, data=1, udata as registered}. */
    @Test
    void RD_02_peerSendsOneByte() throws Exception {
        try (Os.TcpPair pair = Os.tcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            change(kq, fd, EVFILT_READ, EV_ADD, 0, 0, UDATA);
            ReadWriteSupport.send(pair.server(), 1);
            KEvent e = awaitOne(kq, fd);
            assertEquals(0, e.flags(), "flags");
            assertEquals(0, e.fflags(), "fflags");
            assertEquals(1, e.data(), "data");
            assertEquals(UDATA, e.udata(), "udata");
        }
    }

    /** RD-03: level: while the byte is unread every poll returns the event; after reading it a poll returns 0. */
    @Test
    void RD_03_levelTriggeredUntilRead() throws Exception {
        try (Os.TcpPair pair = Os.tcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            add(kq, fd, EVFILT_READ, 0);
            ReadWriteSupport.send(pair.server(), 1);
            assertEquals(1, awaitOne(kq, fd).data());
            for (int i = 0; i < 3; i++) {
                assertEquals(1, single(poll(kq), fd).data(), "poll " + i + " while the byte is unread");
            }
            assertEquals(1, Os.read(fd, 16));
            assertNoEventPoll(kq);
        }
    }

    /** RD-04: data = bytes queued: the peer sends 2 bytes in one send → data = 2. */
    @Test
    void RD_04_dataIsBytesQueued() throws Exception {
        try (Os.TcpPair pair = Os.tcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            add(kq, fd, EVFILT_READ, 0);
            assertEquals(2, pair.server().write(ByteBuffer.wrap(new byte[] {1, 2})));
            assertEquals(2, awaitOne(kq, fd).data());
        }
    }

    /**
     * RD-05: with EV_CLEAR, after the 2-byte event, reading 1 byte (1 still queued) gives no new
     * event; the next arriving byte gives a new event.
     */
    @Test
    void RD_05_clearRearmsOnlyOnNewData() throws Exception {
        try (Os.TcpPair pair = Os.tcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            add(kq, fd, EVFILT_READ, EV_CLEAR);
            assertEquals(2, pair.server().write(ByteBuffer.wrap(new byte[] {1, 2})));
            assertEquals(2, awaitOne(kq, fd).data());
            assertEquals(1, Os.read(fd, 1));
            assertNoEvent(kq);
            ReadWriteSupport.send(pair.server(), 1);
            awaitOne(kq, fd);
        }
    }

    /**
     * RD-06: listening socket: no event while no connection is pending; after one client connects
     * → event with data = 1; after accept → no event.
     */
    @Test
    @SuppressWarnings("try") // the connected client only has to exist
    void RD_06_listeningSocketReportsPendingConnection() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open(); KQueue kq = KQueue.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.configureBlocking(false);
            int fd = Descriptors.of(listener);
            add(kq, fd, EVFILT_READ, 0);
            assertNoEvent(kq);
            try (SocketChannel client = SocketChannel.open(listener.getLocalAddress())) {
                assertEquals(1, awaitOne(kq, fd).data(), "data = pending connections");
                try (SocketChannel accepted = listener.accept()) {
                    assertNotNull(accepted);
                    assertNoEvent(kq);
                }
            }
        }
    }

    /** RD-07: listening socket with 2 completed connections not yet accepted → data = 2; with 3 → data = 3. */
    @Test
    void RD_07_listenBacklogCountsCompletedConnections() throws Exception {
        List<SocketChannel> clients = new ArrayList<>();
        try (ServerSocketChannel listener = ServerSocketChannel.open(); KQueue kq = KQueue.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.configureBlocking(false);
            int fd = Descriptors.of(listener);
            add(kq, fd, EVFILT_READ, 0);
            try {
                for (int count = 1; count <= 3; count++) {
                    clients.add(SocketChannel.open(listener.getLocalAddress()));
                    if (count < 2) {
                        continue;
                    }
                    long want = count;
                    // The handshake of the newest client completes asynchronously on the listener side.
                    KEvent e = awaitMatching(kq, ev -> ev.ident() == fd && ev.data() >= want);
                    assertNotNull(e, "no event with data >= " + want);
                    assertEquals(want, e.data(), "data = completed connections not yet accepted");
                    assertEquals(want, single(poll(kq), fd).data(), "the next poll reports the same depth");
                }
            } finally {
                for (SocketChannel c : clients) {
                    c.close();
                }
            }
        }
    }

    /** RD-08: peer shutdown(SHUT_RDWR) → {flags=EV_EOF, fflags=0, data=0}, returned by every poll (level). */
    @Test
    void RD_08_peerShutdownGivesEofEveryPoll() throws Exception {
        try (Os.TcpPair pair = Os.tcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            add(kq, fd, EVFILT_READ, 0);
            Os.shutdown(pair.serverFd(), HostOs.Shutdown.BOTH);
            KEvent first = awaitMatching(kq, e -> e.ident() == fd && (e.flags() & EV_EOF) != 0);
            assertNotNull(first, "no EV_EOF event");
            for (int i = 0; i < 3; i++) {
                KEvent e = single(poll(kq), fd);
                assertEquals(EV_EOF, e.flags(), "flags (poll " + i + ")");
                assertEquals(0, e.fflags(), "fflags (poll " + i + ")");
                assertEquals(0, e.data(), "data (poll " + i + ")");
            }
        }
    }

    /**
     * RD-09: re-adding that EOF knote with EV_ADD+EV_CLEAR neither clears EV_EOF nor makes it
     * edge-triggered; if the knote was created with EV_RECEIPT, EV_RECEIPT is in the returned flags.
     */
    @Test
    void RD_09_readdWithClearKeepsEofAndLevel() throws Exception {
        try (Os.TcpPair pair = Os.tcpPair(); KQueue plain = KQueue.open(); KQueue receipt = KQueue.open()) {
            int fd = pair.clientFd();
            add(plain, fd, EVFILT_READ, 0);
            List<KEvent> r = changeWithRoom(receipt, fd, EVFILT_READ, EV_ADD | EV_RECEIPT, 0, 0, 0);
            assertEquals(1, r.size(), "receipt entry");
            assertEquals(EV_ERROR, r.get(0).flags() & EV_ERROR);
            assertEquals(0, r.get(0).data());

            Os.shutdown(pair.serverFd(), HostOs.Shutdown.BOTH);
            assertNotNull(awaitMatching(plain, e -> (e.flags() & EV_EOF) != 0), "no EV_EOF (plain knote)");
            assertNotNull(awaitMatching(receipt, e -> (e.flags() & EV_EOF) != 0), "no EV_EOF (receipt knote)");

            add(plain, fd, EVFILT_READ, EV_CLEAR);
            add(receipt, fd, EVFILT_READ, EV_CLEAR);
            for (int i = 0; i < 3; i++) {
                KEvent p = single(poll(plain), fd);
                assertEquals(EV_EOF, p.flags(), "plain knote flags after re-add, poll " + i);
                KEvent q = single(poll(receipt), fd);
                assertEquals(EV_EOF | EV_RECEIPT, q.flags(), "receipt knote flags after re-add, poll " + i);
            }
        }
    }

    /** RD-10: with EV_CLEAR, peer close gives one EV_EOF event and no further event. */
    @Test
    void RD_10_clearGivesOneEofEvent() throws Exception {
        try (Os.TcpPair pair = Os.tcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            add(kq, fd, EVFILT_READ, EV_CLEAR);
            pair.server().close();
            KEvent e = awaitOne(kq, fd);
            assertEquals(EV_EOF, e.flags() & EV_EOF, "EV_EOF in " + e);
            assertNoEvent(kq);
        }
    }

    /** RD-11: the peer sends 8 bytes then shutdown(SHUT_WR) → one event with EV_EOF and data = 8. */
    @Test
    void RD_11_eofWithBufferedData() throws Exception {
        try (Os.TcpPair pair = Os.tcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            add(kq, fd, EVFILT_READ, 0);
            ReadWriteSupport.send(pair.server(), 8);
            Os.shutdown(pair.serverFd(), HostOs.Shutdown.WRITE);
            KEvent e = awaitMatching(kq, ev -> ev.ident() == fd && (ev.flags() & EV_EOF) != 0);
            assertNotNull(e, "no EV_EOF event");
            assertEquals(8, e.data(), "data = bytes still readable");
            KEvent again = single(poll(kq), fd);
            assertEquals(EV_EOF, again.flags() & EV_EOF);
            assertEquals(8, again.data());
            assertEquals(8, Os.read(fd, 64), "the bytes are still readable");
        }
    }

    /**
     * RD-12: the peer resets (SO_LINGER {1, 0} then close) → event with EV_EOF and fflags =
     * ECONNRESET (the socket error, not a placeholder 1).
     */
    @Test
    void RD_12_resetGivesEconnreset() throws Exception {
        try (Os.TcpPair pair = Os.tcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            add(kq, fd, EVFILT_READ, 0);
            ReadWriteSupport.lingerZero(pair.serverFd());
            pair.server().close();
            KEvent e = awaitMatching(kq, ev -> ev.ident() == fd && (ev.flags() & EV_EOF) != 0);
            assertNotNull(e, "no EV_EOF event");
            assertEquals(Errno.ECONNRESET.value(), e.fflags(), "fflags = ECONNRESET, got " + Errno.of(e.fflags()));
        }
    }

    /** RD-13: AF_UNIX stream socketpair: closing the peer → EV_EOF with data = 0. */
    @Test
    void RD_13_unixPeerCloseGivesEof() throws Exception {
        int[] sp = Os.socketpair();
        try (KQueue kq = KQueue.open()) {
            add(kq, sp[0], EVFILT_READ, 0);
            assertNoEventPoll(kq);
            Os.close(sp[1]);
            KEvent e = awaitOne(kq, sp[0]);
            assertEquals(EV_EOF, e.flags() & EV_EOF, "EV_EOF in " + e);
            assertEquals(0, e.data(), "data");
        } finally {
            Os.closeQuietly(sp[0], sp[1]);
        }
    }

    /**
     * RD-14: NOTE_LOWAT with data = 16 (EV_ADD+EV_CLEAR): 8 queued bytes → no event; 16 more →
     * event with data ≥ 16.
     */
    @Test
    void RD_14_noteLowatThreshold() throws Exception {
        try (Os.TcpPair pair = Os.tcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            change(kq, fd, EVFILT_READ, EV_ADD | EV_CLEAR, NOTE_LOWAT, 16, 0);
            ReadWriteSupport.send(pair.server(), 8);
            assertNoEvent(kq);
            ReadWriteSupport.send(pair.server(), 16);
            KEvent e = awaitOne(kq, fd);
            assertTrue(e.data() >= 16, "data >= 16, got " + e.data());
        }
    }

    /** RD-15: SO_RCVLOWAT = 10 set on the socket, no NOTE_LOWAT: 5 queued bytes → no event; 10 → event. */
    @Test
    void RD_15_soRcvlowatHonoured() throws Exception {
        try (Os.TcpPair pair = Os.tcpPair(); KQueue kq = KQueue.open()) {
            int fd = pair.clientFd();
            ReadWriteSupport.setInt(fd, HostOs.SocketOption.SO_RCVLOWAT, 10);
            add(kq, fd, EVFILT_READ, 0);
            ReadWriteSupport.send(pair.server(), 5);
            assertNoEvent(kq);
            ReadWriteSupport.send(pair.server(), 5);
            awaitOne(kq, fd);
        }
    }

    /** RD-16: two kqueues watch one socket with NOTE_LOWAT 1 and 100; 10 bytes arrive → only the first reports. */
    @Test
    void RD_16_lowatIsPerKnote() throws Exception {
        try (Os.TcpPair pair = Os.tcpPair(); KQueue low = KQueue.open(); KQueue high = KQueue.open()) {
            int fd = pair.clientFd();
            change(low, fd, EVFILT_READ, EV_ADD, NOTE_LOWAT, 1, 0);
            change(high, fd, EVFILT_READ, EV_ADD, NOTE_LOWAT, 100, 0);
            ReadWriteSupport.send(pair.server(), 10);
            assertEquals(10, awaitOne(low, fd).data());
            assertNoEvent(high);
        }
    }

    /**
     * RD-17: UDP: two 10-byte datagrams queued → FreeBSD reports data = 20 (payload of all queued
     * datagrams).
     *
     * <p><b>Not met on Linux (docs/conformance.md#s3.8).</b> SIOCINQ/FIONREAD report only the first
     * datagram and nothing returns the total without dequeuing, so the library reports the size of
     * the next datagram. This test asserts that Linux behaviour: data = 10 with two datagrams
     * queued, and still 10 after one was received.
     */
    @Test
    void RD_17_udpDataIsNextDatagramSizeOnLinux() throws Exception {
        try (DatagramChannel rx = DatagramChannel.open(); DatagramChannel tx = DatagramChannel.open();
             KQueue kq = KQueue.open()) {
            rx.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            rx.configureBlocking(false);
            int fd = Descriptors.of(rx);
            add(kq, fd, EVFILT_READ, 0);
            tx.send(ByteBuffer.allocate(10), rx.getLocalAddress());
            tx.send(ByteBuffer.allocate(10), rx.getLocalAddress());
            assertEquals(10, awaitOne(kq, fd).data(), "Linux: size of the next datagram (FreeBSD: 20)");
            assertNotNull(rx.receive(ByteBuffer.allocate(64)));
            assertEquals(10, single(poll(kq), fd).data(), "one datagram left");
        }
    }

    /**
     * RD-18: a connected UDP socket whose send drew an ICMP port-unreachable reports EVFILT_READ
     * (without EV_EOF) while the socket error is pending.
     */
    @Test
    void RD_18_udpIcmpErrorReportsWithoutEof() throws Exception {
        try (DatagramChannel udp = DatagramChannel.open(); KQueue kq = KQueue.open()) {
            udp.connect(ReadWriteSupport.closedLoopbackPort());
            udp.configureBlocking(false);
            int fd = Descriptors.of(udp);
            add(kq, fd, EVFILT_READ, 0);
            assertNoEventPoll(kq);
            udp.write(ByteBuffer.allocate(4));
            KEvent e = awaitMatching(kq, ev -> ev.ident() == fd);
            assertNotNull(e, "no event after the ICMP port-unreachable");
            assertEquals(0, e.flags() & EV_EOF, "no EV_EOF: " + e);
            KEvent again = single(poll(kq), fd);
            assertEquals(0, again.flags() & EV_EOF, "no EV_EOF: " + again);
            assertEquals(Errno.ECONNREFUSED.value(), ReadWriteSupport.soError(fd),
                    "the socket error is still pending for the application");
            assertNoEventPoll(kq);
        }
    }

    /** RD-19: pipe: two writes of 11 bytes before the poll → one event with data = 22. */
    @Test
    void RD_19_pipeDataAggregated() throws Exception {
        int[] p = Os.pipe();
        try (KQueue kq = KQueue.open()) {
            add(kq, p[0], EVFILT_READ, 0);
            assertEquals(11, Os.write(p[1], 11));
            assertEquals(11, Os.write(p[1], 11));
            assertEquals(22, single(poll(kq), p[0]).data());
        } finally {
            Os.closeQuietly(p[0], p[1]);
        }
    }

    /**
     * RD-20: pipe: the last writer closes → {flags=EV_EOF, data=0}, returned by every poll;
     * re-adding with EV_CLEAR does not clear it, and a knote created with EV_RECEIPT keeps
     * EV_RECEIPT in its events.
     */
    @Test
    void RD_20_pipeWriterCloseGivesEof() throws Exception {
        int[] p = Os.pipe();
        try (KQueue plain = KQueue.open(); KQueue receipt = KQueue.open()) {
            add(plain, p[0], EVFILT_READ, 0);
            List<KEvent> r = changeWithRoom(receipt, p[0], EVFILT_READ, EV_ADD | EV_RECEIPT, 0, 0, 0);
            assertEquals(1, r.size(), "receipt entry");
            Os.close(p[1]);
            for (int i = 0; i < 2; i++) {
                KEvent e = single(poll(plain), p[0]);
                assertEquals(EV_EOF, e.flags(), "flags, poll " + i);
                assertEquals(0, e.data(), "data, poll " + i);
                KEvent q = single(poll(receipt), p[0]);
                assertEquals(EV_EOF | EV_RECEIPT, q.flags(), "receipt knote flags, poll " + i);
                assertEquals(0, q.data());
            }
            add(plain, p[0], EVFILT_READ, EV_CLEAR);
            add(receipt, p[0], EVFILT_READ, EV_CLEAR);
            for (int i = 0; i < 2; i++) {
                KEvent e = single(poll(plain), p[0]);
                assertEquals(EV_EOF, e.flags(), "flags after the EV_CLEAR re-add, poll " + i);
                assertEquals(0, e.data());
                KEvent q = single(poll(receipt), p[0]);
                assertEquals(EV_EOF | EV_RECEIPT, q.flags(), "receipt knote after the EV_CLEAR re-add, poll " + i);
            }
        } finally {
            Os.closeQuietly(p[0], p[1]);
        }
    }

    /** RD-21: two pipes whose writers both close: one poll with nevents ≥ 2 returns both EV_EOF events, and so does the next. */
    @Test
    void RD_21_twoPipesBothEof() throws Exception {
        int[] a = Os.pipe();
        int[] b = Os.pipe();
        try (KQueue kq = KQueue.open()) {
            add(kq, a[0], EVFILT_READ, 0);
            add(kq, b[0], EVFILT_READ, 0);
            Os.close(a[1]);
            Os.close(b[1]);
            for (int i = 0; i < 2; i++) {
                List<KEvent> got = events(kq, 4, Duration.ZERO);
                assertEquals(2, got.size(), "poll " + i + ": " + got);
                List<Long> idents = new ArrayList<>();
                for (KEvent e : got) {
                    assertEquals(EVFILT_READ, e.filter());
                    assertEquals(EV_EOF, e.flags() & EV_EOF, "EV_EOF in " + e);
                    idents.add(e.ident());
                }
                assertTrue(idents.contains((long) a[0]) && idents.contains((long) b[0]), "both pipes: " + got);
            }
        } finally {
            Os.closeQuietly(a[0], a[1], b[0], b[1]);
        }
    }

    /** RD-22: the writer writes 3 bytes then closes → one event with EV_EOF and data = 3. */
    @Test
    void RD_22_pipeEofWithBufferedData() throws Exception {
        int[] p = Os.pipe();
        try (KQueue kq = KQueue.open()) {
            add(kq, p[0], EVFILT_READ, 0);
            assertEquals(3, Os.write(p[1], 3));
            Os.close(p[1]);
            KEvent e = single(poll(kq), p[0]);
            assertEquals(EV_EOF, e.flags() & EV_EOF, "EV_EOF in " + e);
            assertEquals(3, e.data());
        } finally {
            Os.closeQuietly(p[0], p[1]);
        }
    }

    /**
     * RD-23: FIFO: after the only writer closes the reader reports EV_EOF; once a new writer opens
     * the FIFO, EV_EOF is no longer reported and the knote waits for data.
     */
    @Test
    void RD_23_fifoEofClearedByNewWriter() throws Exception {
        Path fifo = dir.resolve("rd23.fifo");
        ReadWriteSupport.mkfifo(fifo);
        int reader = ReadWriteSupport.open(fifo, HostOs.OpenFlag.READ_ONLY, HostOs.OpenFlag.NON_BLOCKING);
        int writer = ReadWriteSupport.open(fifo, HostOs.OpenFlag.WRITE_ONLY, HostOs.OpenFlag.NON_BLOCKING);
        int writer2 = -1;
        try (KQueue kq = KQueue.open()) {
            add(kq, reader, EVFILT_READ, 0);
            assertNoEventPoll(kq);
            Os.close(writer);
            writer = -1;
            KEvent eof = single(poll(kq), reader);
            assertEquals(EV_EOF, eof.flags() & EV_EOF, "EV_EOF after the writer closed: " + eof);
            writer2 = ReadWriteSupport.open(fifo, HostOs.OpenFlag.WRITE_ONLY, HostOs.OpenFlag.NON_BLOCKING);
            assertNoEventPoll(kq);
            assertEquals(1, Os.write(writer2, 1));
            KEvent data = single(poll(kq), reader);
            assertEquals(0, data.flags() & EV_EOF, "no EV_EOF with a writer present: " + data);
            assertEquals(1, data.data());
        } finally {
            Os.closeQuietly(reader);
            if (writer >= 0) {
                Os.closeQuietly(writer);
            }
            if (writer2 >= 0) {
                Os.closeQuietly(writer2);
            }
        }
    }

    /** RD-24: regular file at offset 0: EV_ADD → event at once with data = file size. */
    @Test
    void RD_24_regularFileReportsSize() throws Exception {
        Path file = regularFile(dir, 100);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r"); KQueue kq = KQueue.open()) {
            int fd = Descriptors.of(raf);
            add(kq, fd, EVFILT_READ, 0);
            assertEquals(100, single(poll(kq), fd).data());
        }
    }

    /** RD-25: regular file: offset at size − 1 → data = 1; offset at size → no event. */
    @Test
    void RD_25_regularFileOffsetCounts() throws Exception {
        Path file = regularFile(dir, 100);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r"); KQueue kq = KQueue.open()) {
            int fd = Descriptors.of(raf);
            raf.seek(99);
            add(kq, fd, EVFILT_READ, 0);
            assertEquals(1, single(poll(kq), fd).data());
            raf.seek(100);
            assertNoEventPoll(kq);
        }
    }

    /** RD-26: regular file: offset 10 bytes beyond the end → event with data = −10. */
    @Test
    void RD_26_regularFileBeyondEndIsNegative() throws Exception {
        Path file = regularFile(dir, 100);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r"); KQueue kq = KQueue.open()) {
            int fd = Descriptors.of(raf);
            raf.seek(110);
            add(kq, fd, EVFILT_READ, 0);
            assertEquals(-10, single(poll(kq), fd).data());
        }
    }

    /**
     * RD-27: regular file at EOF: another descriptor appends 4 bytes → event with data = 4;
     * seeking to the new end → no event; repeated for 3 cycles.
     */
    @Test
    void RD_27_regularFileGrowthRearms() throws Exception {
        Path file = regularFile(dir, 10);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r");
             FileOutputStream appender = new FileOutputStream(file.toFile(), true);
             KQueue kq = KQueue.open()) {
            int fd = Descriptors.of(raf);
            raf.seek(raf.length());
            add(kq, fd, EVFILT_READ, 0);
            assertNoEvent(kq);
            for (int cycle = 0; cycle < 3; cycle++) {
                appender.write(new byte[] {1, 2, 3, 4});
                KEvent e = awaitOne(kq, fd);
                assertEquals(4, e.data(), "cycle " + cycle + ": data after appending 4 bytes");
                assertEquals(4, single(poll(kq), fd).data(), "cycle " + cycle + ": level until the offset moves");
                raf.seek(raf.length());
                assertNoEvent(kq);
            }
        }
    }

    /** RD-28: RD-27 also holds after the file was unlinked while both descriptors stay open. */
    @Test
    void RD_28_regularFileGrowthAfterUnlink() throws Exception {
        Path file = regularFile(dir, 10);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r");
             FileOutputStream appender = new FileOutputStream(file.toFile(), true);
             KQueue kq = KQueue.open()) {
            int fd = Descriptors.of(raf);
            raf.seek(raf.length());
            add(kq, fd, EVFILT_READ, 0);
            assertNoEvent(kq);
            Files.delete(file);
            for (int cycle = 0; cycle < 3; cycle++) {
                appender.write(new byte[] {1, 2, 3, 4});
                KEvent e = awaitOne(kq, fd);
                assertEquals(4, e.data(), "cycle " + cycle + ": data after appending 4 bytes");
                raf.seek(raf.length());
                assertNoEvent(kq);
            }
        }
    }

    /** RD-29: RD-27 also holds after the file was renamed. */
    @Test
    void RD_29_regularFileGrowthAfterRename() throws Exception {
        Path file = regularFile(dir, 10);
        Path renamed = dir.resolve("rd29-renamed.bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r"); KQueue kq = KQueue.open()) {
            int fd = Descriptors.of(raf);
            raf.seek(raf.length());
            add(kq, fd, EVFILT_READ, 0);
            assertNoEvent(kq);
            Files.move(file, renamed);
            try (FileOutputStream appender = new FileOutputStream(renamed.toFile(), true)) {
                for (int cycle = 0; cycle < 3; cycle++) {
                    appender.write(new byte[] {1, 2, 3, 4});
                    KEvent e = awaitOne(kq, fd);
                    assertEquals(4, e.data(), "cycle " + cycle + ": data after appending 4 bytes");
                    raf.seek(raf.length());
                    assertNoEvent(kq);
                }
            }
        }
    }

    /** RD-30: regular file with NOTE_FILE_POLL: the event is returned even at EOF, data = size − offset. */
    @Test
    void RD_30_noteFilePollReportsAtEof() throws Exception {
        Path file = regularFile(dir, 100);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r"); KQueue kq = KQueue.open()) {
            int fd = Descriptors.of(raf);
            raf.seek(100);
            change(kq, fd, EVFILT_READ, EV_ADD, NOTE_FILE_POLL, 0, 0);
            assertEquals(0, single(poll(kq), fd).data(), "at EOF: data = 0");
            assertEquals(0, single(poll(kq), fd).data(), "again at EOF");
            raf.seek(30);
            assertEquals(70, single(poll(kq), fd).data(), "data = size - offset");
        }
    }

    /** RD-31: eventfd with counter 5 → data = 5 and the counter is not consumed (a read still returns 5). */
    @Test
    void RD_31_eventfdCounterNotConsumed() throws Exception {
        int efd = ReadWriteSupport.eventfd(5);
        try (KQueue kq = KQueue.open()) {
            add(kq, efd, EVFILT_READ, 0);
            assertEquals(5, single(poll(kq), efd).data());
            assertEquals(5, single(poll(kq), efd).data(), "not consumed by the first poll");
            assertEquals(5, ReadWriteSupport.readEventfd(efd), "a read still returns 5");
            assertNoEventPoll(kq);
        } finally {
            Os.closeQuietly(efd);
        }
    }

    /** RD-32: a re-add of an existing socket or pipe read knote without EV_CLEAR (new udata, or EV_DISPATCH) succeeds. */
    @Test
    void RD_32_readdWithoutClearSucceeds() throws Exception {
        int[] p = Os.pipe();
        try (Os.TcpPair pair = Os.tcpPair(); KQueue kq = KQueue.open()) {
            int sock = pair.clientFd();
            // pipe: re-add with a new udata, then with EV_DISPATCH
            change(kq, p[0], EVFILT_READ, EV_ADD, 0, 0, 1);
            List<KEvent> r = changeWithRoom(kq, p[0], EVFILT_READ, EV_ADD, 0, 0, 2);
            assertEquals(List.of(), r, "re-add with new udata (pipe) must not fail");
            r = changeWithRoom(kq, p[0], EVFILT_READ, EV_ADD | EV_DISPATCH, 0, 0, 2);
            assertEquals(List.of(), r, "re-add with EV_DISPATCH (pipe) must not fail");
            // socket: the same
            change(kq, sock, EVFILT_READ, EV_ADD, 0, 0, 3);
            r = changeWithRoom(kq, sock, EVFILT_READ, EV_ADD, 0, 0, 4);
            assertEquals(List.of(), r, "re-add with new udata (socket) must not fail");
            r = changeWithRoom(kq, sock, EVFILT_READ, EV_ADD | EV_DISPATCH, 0, 0, 4);
            assertEquals(List.of(), r, "re-add with EV_DISPATCH (socket) must not fail");

            assertEquals(1, Os.write(p[1], 1));
            ReadWriteSupport.send(pair.server(), 1);
            KEvent pipeEvent = null;
            KEvent sockEvent = null;
            long deadline = System.nanoTime() + ReadWriteSupport.EVENT_WAIT.toNanos();
            while ((pipeEvent == null || sockEvent == null) && System.nanoTime() < deadline) {
                for (KEvent e : await(kq, Duration.ofMillis(50))) {
                    if (e.ident() == p[0]) {
                        pipeEvent = e;
                    } else if (e.ident() == sock) {
                        sockEvent = e;
                    }
                }
            }
            assertNotNull(pipeEvent, "pipe knote still reports");
            assertNotNull(sockEvent, "socket knote still reports");
            assertEquals(2, pipeEvent.udata(), "pipe udata from the re-add");
            assertEquals(4, sockEvent.udata(), "socket udata from the re-add");
        } finally {
            Os.closeQuietly(p[0], p[1]);
        }
    }
}
