package io.github.kqueueffm.kqwatch;

import io.github.kqueueffm.Descriptors;
import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.Processes;
import io.github.kqueueffm.Signals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import static io.github.kqueueffm.KEvent.EVFILT_EMPTY;
import static io.github.kqueueffm.KEvent.EVFILT_PROC;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_SIGNAL;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EVFILT_VNODE;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.NOTE_EXIT;
import static io.github.kqueueffm.KEvent.NOTE_FFCOPY;
import static io.github.kqueueffm.KEvent.NOTE_FORK;
import static io.github.kqueueffm.KEvent.NOTE_NSECONDS;
import static io.github.kqueueffm.KEvent.NOTE_TRIGGER;

/** kqwatch without arguments: every implemented filter shown on real objects. */
final class Demonstration {
    private Demonstration() {
    }

    /** Shows every implemented filter on real objects, then returns. */
    static void run(EventPrinter printer) throws IOException {
        try (KQueue kq = KQueue.open();
             KEventList changes = KEventList.allocate(16);
             KEventList events = KEventList.allocate(16);
             ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                 SocketChannel server = listener.accept()) {
                Pipe pipe = Pipe.open();
                client.configureBlocking(false);
                server.configureBlocking(false);
                int clientFd = Descriptors.of(client);
                int pipeFd = Descriptors.of(pipe.source());

                printer.say("a 50 ms one-shot timer and a 200 µs periodic timer (EVFILT_TIMER)");
                changes.set(0, 1, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 50, 0);
                changes.set(1, 2, EVFILT_TIMER, EV_ADD, NOTE_NSECONDS, 200_000, 0);
                kq.kevent(changes, 2, null, 0, Duration.ZERO);
                printer.print(events, kq.kevent(null, 0, events, 16, Duration.ofSeconds(2)));
                changes.set(0, 2, EVFILT_TIMER, EV_DELETE, 0, 0, 0);
                kq.kevent(changes, 1, null, 0, Duration.ZERO);
                printer.print(events, kq.kevent(null, 0, events, 16, Duration.ofSeconds(2)));

                printer.say("a user event triggered with fflags 0xbeef (EVFILT_USER)");
                changes.set(0, 42, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, 0);
                changes.set(1, 42, EVFILT_USER, 0, NOTE_TRIGGER | NOTE_FFCOPY | 0xbeef, 7, 0);
                printer.print(events, kq.kevent(changes, 2, events, 16, Duration.ZERO));

                printer.say("a TCP loopback connection: writable, send queue empty, then 5 bytes arrive");
                changes.set(0, clientFd, EVFILT_WRITE, EV_ADD | EV_ONESHOT, 0, 0, 0);
                changes.set(1, clientFd, EVFILT_EMPTY, EV_ADD | EV_ONESHOT, 0, 0, 0);
                changes.set(2, clientFd, EVFILT_READ, EV_ADD, 0, 0, 0);
                kq.kevent(changes, 3, null, 0, Duration.ZERO);
                printer.print(events, kq.kevent(null, 0, events, 16, Duration.ofSeconds(1)));
                server.write(ByteBuffer.wrap("hello".getBytes()));
                printer.print(events, kq.kevent(null, 0, events, 16, Duration.ofSeconds(1)));
                server.shutdownOutput();
                printer.say("the peer shuts down its side: EV_EOF with the 5 bytes still readable");
                printer.print(events, kq.kevent(null, 0, events, 16, Duration.ofSeconds(1)));
                changes.set(0, clientFd, EVFILT_READ, EV_DELETE, 0, 0, 0);
                kq.kevent(changes, 1, null, 0, Duration.ZERO);

                printer.say("a pipe: 3 bytes written, then the writer closes");
                changes.set(0, pipeFd, EVFILT_READ, EV_ADD | EV_CLEAR, 0, 0, 0);
                kq.kevent(changes, 1, null, 0, Duration.ZERO);
                pipe.sink().write(ByteBuffer.wrap(new byte[3]));
                printer.print(events, kq.kevent(null, 0, events, 16, Duration.ofSeconds(1)));
                pipe.sink().close();
                printer.print(events, kq.kevent(null, 0, events, 16, Duration.ofSeconds(1)));
                pipe.source().close();
                printer.say("the pipe is closed: its knote goes with it, nothing more is reported");
                printer.print(events, kq.kevent(null, 0, events, 16, Duration.ofMillis(100)));

                demonstrateProcessSignalAndFile(kq, changes, events, printer);
                printer.say("done");
            }
        }
    }

    /** A child that forks and exits 7, SIGURG sent to ourselves, a file written and renamed. */
    private static void demonstrateProcessSignalAndFile(KQueue kq, KEventList changes, KEventList events,
            EventPrinter printer) throws IOException {
        printer.say("a child process: NOTE_FORK when it forks, NOTE_EXIT with its wait status (exit 7 = 0x700)");
        Process child = new ProcessBuilder("sh", "-c", "read x; sh -c true; exit 7").start();
        try {
            changes.set(0, Processes.pid(child), EVFILT_PROC, EV_ADD, NOTE_EXIT | NOTE_FORK, 0, 0);
            kq.kevent(changes, 1, null, 0, Duration.ZERO);
            child.getOutputStream().write('\n');
            child.getOutputStream().close();
            awaitFlag(kq, events, printer, EVFILT_PROC, NOTE_EXIT);
        } finally {
            child.destroyForcibly();
        }

        printer.say("a signal sent to ourselves (SIGURG, normally ignored; EVFILT_SIGNAL counts it)");
        int urg = Signals.number("URG");
        changes.set(0, urg, EVFILT_SIGNAL, EV_ADD, 0, 0, 0);
        kq.kevent(changes, 1, null, 0, Duration.ZERO);
        sendToSelf("URG");
        awaitFlag(kq, events, printer, EVFILT_SIGNAL, 0);
        changes.set(0, urg, EVFILT_SIGNAL, EV_DELETE, 0, 0, 0);
        kq.kevent(changes, 1, null, 0, Duration.ZERO);

        printer.say("a file: appended to (NOTE_WRITE|NOTE_EXTEND), then renamed (NOTE_RENAME)");
        Path dir = Files.createTempDirectory("kqwatch");
        Path file = Files.writeString(dir.resolve("watched.txt"), "hello");
        int fd = Descriptors.open(file);
        try {
            changes.set(0, fd, EVFILT_VNODE, EV_ADD | EV_CLEAR, Watch.ALL_VNODE_NOTES, 0, 0);
            kq.kevent(changes, 1, null, 0, Duration.ZERO);
            Files.writeString(file, " world", StandardOpenOption.APPEND);
            printer.print(events, kq.kevent(null, 0, events, 16, Duration.ofSeconds(1)));
            Files.move(file, dir.resolve("renamed.txt"));
            printer.print(events, kq.kevent(null, 0, events, 16, Duration.ofSeconds(1)));
        } finally {
            Descriptors.close(fd);
            Files.deleteIfExists(dir.resolve("renamed.txt"));
            Files.deleteIfExists(dir);
        }
    }

    /**
     * Sends a signal to this process the way a user would, with the shell's {@code kill}: the JDK
     * has no public call that sends an arbitrary signal, and kqwatch uses the library's public API
     * only.
     */
    private static void sendToSelf(String signal) throws IOException {
        Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + ProcessHandle.current().pid())
                .redirectErrorStream(true).start();
        try {
            if (kill.waitFor() != 0) {
                throw new IOException("kill -" + signal + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending SIG" + signal, e);
        }
    }

    /** Prints events until one of {@code filter} carrying {@code fflag} (or any, for 0) arrived. */
    private static void awaitFlag(KQueue kq, KEventList events, EventPrinter printer, short filter, int fflag)
            throws KQueueException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() - deadline < 0) {
            int n = kq.kevent(null, 0, events, 16, Duration.ofSeconds(1));
            printer.print(events, n);
            for (int i = 0; i < n; i++) {
                if (events.filter(i) == filter && (fflag == 0 || (events.fflags(i) & fflag) != 0)) {
                    return;
                }
            }
        }
        throw new KQueueException(Errno.ETIMEDOUT, "no event from filter " + filter);
    }
}
