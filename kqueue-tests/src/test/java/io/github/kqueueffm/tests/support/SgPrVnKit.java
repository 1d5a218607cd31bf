package io.github.kqueueffm.tests.support;

import io.github.kqueueffm.Descriptors;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.github.kqueueffm.KEvent.EVFILT_PROC;
import static io.github.kqueueffm.KEvent.EVFILT_PROCDESC;
import static io.github.kqueueffm.KEvent.EVFILT_SIGNAL;
import static io.github.kqueueffm.KEvent.EVFILT_VNODE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.NOTE_ATTRIB;
import static io.github.kqueueffm.KEvent.NOTE_EXIT;
import static io.github.kqueueffm.KEvent.NOTE_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The standard-activation sources (docs/conformance.md#s1.4) of the SG, PR and VN tags for rows
 * outside their own areas (FL, MT, KQ, RS): waiting until a signal sent to this process has been
 * counted, a regular temp file and its activation, a signal's whole native disposition for "as
 * before" checks, and {@link Sources}, one source of each of EVFILT_SIGNAL, EVFILT_PROC,
 * EVFILT_PROCDESC and EVFILT_VNODE for the rows that speak of "knotes of every filter". Built on
 * {@link SignalSupport} (dispositions, {@code kill}, handler threads) and {@link ProcessSupport}
 * (gated children).
 */
public final class SgPrVnKit {
    /** How long a signal's delivery may take: the JVM counts it on a thread started after {@code kill()}. */
    public static final Duration DELIVERY = Duration.ofSeconds(1);
    /**
     * The gated child of the PR standard activation (docs/conformance.md#s1.4): it blocks on its
     * stdin, then {@code exit(0)}s.
     */
    public static final String GATE_SCRIPT = "read x; exit 0";
    /** Counts {@link #touch} calls, so that each sets a new time. */
    private static final AtomicLong TOUCHES = new AtomicLong();

    private SgPrVnKit() {
    }

    // ------------------------------------------------------------------ signals

    /**
     * Sends {@code kill(getpid(), signo)} and waits until {@code observer}, a kqueue holding an
     * EVFILT_SIGNAL knote for it, returns the signal's event (consuming the events it returns),
     * then joins the JVM's handler threads for the signal: afterwards every knote of the signal, in
     * every kqueue, has been counted.
     *
     * @param observer a kqueue with a knote for the signal
     * @param name the signal's name without the SIG prefix ({@code "USR1"})
     * @throws KQueueException if waiting on the observer fails
     */
    public static void killAndAwait(KQueue observer, String name) throws KQueueException {
        int signo = SignalSupport.number(name);
        SignalSupport.killSelf(signo);
        long end = System.nanoTime() + DELIVERY.toNanos();
        boolean seen = false;
        while (!seen) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                fail("kill(getpid(), SIG" + name + "): no EVFILT_SIGNAL event within " + DELIVERY.toMillis() + " ms");
            }
            for (KEvent e : KeventCalls.waitEvents(observer, Duration.ofNanos(left))) {
                seen |= e.filter() == EVFILT_SIGNAL && e.ident() == signo;
            }
        }
        joinHandlerThreads(name);
    }

    /**
     * Joins the JVM's live {@code "SIG<name> handler"} threads (at most {@link #DELIVERY} each).
     *
     * @param name the signal's name without the SIG prefix
     */
    public static void joinHandlerThreads(String name) {
        try {
            SignalSupport.joinHandlerThreads(name, DELIVERY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The native disposition of a signal as {@code sigaction(signo, NULL, &old)} reports it: every
     * field the kernel keeps, as text ({@link HostOs#signalDisposition}).
     *
     * @param signo the host's signal number
     * @return the disposition, hex-encoded
     */
    public static String disposition(int signo) {
        return HostOs.current().signalDisposition(signo);
    }

    // ------------------------------------------------------------------ processes

    /**
     * Starts the gated child of the PR standard activation (docs/conformance.md#s1.4)
     * ({@link #GATE_SCRIPT}).
     *
     * @return the running child; close it
     */
    public static ProcessSupport.Child gatedChild() {
        try {
            return ProcessSupport.Child.start(GATE_SCRIPT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Releases the gate of a {@link #gatedChild()} and waits (at most 5 s) until it has exited with
     * status 0 and the JDK has reaped it.
     *
     * @param child the child
     */
    public static void releaseGate(ProcessSupport.Child child) {
        try {
            child.release();
            assertEquals(0, child.awaitExit(), "exit status of the gated " + child);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ------------------------------------------------------------------ files

    /**
     * Creates an empty regular temp file.
     *
     * @return its path
     */
    public static Path tempFile() {
        try {
            return Files.createTempFile("kqueue-vn", ".tmp");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The VN activation: changes a file's modification time ({@code Files.setLastModifiedTime}),
     * to a value different from the previous call's. Reported as NOTE_ATTRIB.
     *
     * @param file the file
     */
    public static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L + 1000L * TOUCHES.incrementAndGet()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Closes a descriptor opened by {@link Descriptors#open} or
     * {@link io.github.kqueueffm.Processes#openDescriptor}, ignoring EBADF.
     *
     * @param fd the descriptor, or −1
     */
    public static void closeQuietly(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            Descriptors.close(fd);
        } catch (KQueueException ignored) {
            // already closed
        }
    }

    /**
     * Deletes a file if it exists, ignoring errors.
     *
     * @param file the file, or null
     */
    public static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort
        }
    }

    // ------------------------------------------------------------------ all four together

    /**
     * One source for each of EVFILT_SIGNAL (SIGUSR1 at SIG_IGN), EVFILT_PROC and EVFILT_PROCDESC (a
     * live gated child and a process descriptor of it) and EVFILT_VNODE (a temp file opened with
     * {@link Descriptors#open}), for the rows that speak of "knotes of every filter". Open it before
     * the kqueues and close it after them (SIGUSR1's disposition is restored last).
     */
    public static final class Sources implements AutoCloseable {
        /** The watched signal's name. */
        public static final String SIGNAL = "USR1";
        /** SIGUSR1 at SIG_IGN while this is open. */
        public final SignalSupport.Disposition signal;
        /** The live child (its gate is never released). */
        public final ProcessSupport.Child child;
        /** The child's pid, the EVFILT_PROC ident. */
        public final long pid;
        /** A process descriptor of the child, the EVFILT_PROCDESC ident. */
        public final int pidfd;
        /** The temp file. */
        public final Path file;
        /** A descriptor of the temp file, the EVFILT_VNODE ident. */
        public final int vnodeFd;

        private Sources(SignalSupport.Disposition signal, ProcessSupport.Child child, int pidfd, Path file,
                int vnodeFd) {
            this.signal = signal;
            this.child = child;
            this.pid = child.ident();
            this.pidfd = pidfd;
            this.file = file;
            this.vnodeFd = vnodeFd;
        }

        /**
         * Opens every source.
         *
         * @return the sources; close them
         * @throws KQueueException if a descriptor cannot be opened
         */
        public static Sources open() throws KQueueException {
            SignalSupport.Disposition signal = SignalSupport.Disposition.ignore(SIGNAL);
            ProcessSupport.Child child = null;
            int pidfd = -1;
            Path file = null;
            try {
                child = gatedChild();
                pidfd = child.openDescriptor();
                file = tempFile();
                int vnodeFd = Descriptors.open(file);
                return new Sources(signal, child, pidfd, file, vnodeFd);
            } catch (KQueueException | RuntimeException e) {
                closeQuietly(pidfd);
                if (child != null) {
                    child.close();
                }
                deleteQuietly(file);
                signal.close();
                throw e;
            }
        }

        /**
         * The four registrations: {@code ch(SIGUSR1, SIGNAL, EV_ADD)},
         * {@code ch(pid, PROC, EV_ADD, NOTE_EXIT)}, {@code ch(pidfd, PROCDESC, EV_ADD, NOTE_EXIT)},
         * {@code ch(fd, VNODE, EV_ADD, NOTE_ATTRIB+NOTE_WRITE)}.
         *
         * @return the changes
         */
        public List<KEvent> changes() {
            return List.of(
                    KEvent.of(signal.number(), EVFILT_SIGNAL, EV_ADD, 0, 0, 0),
                    KEvent.of(pid, EVFILT_PROC, EV_ADD, NOTE_EXIT, 0, 0),
                    KEvent.of(pidfd, EVFILT_PROCDESC, EV_ADD, NOTE_EXIT, 0, 0),
                    KEvent.of(vnodeFd, EVFILT_VNODE, EV_ADD, NOTE_ATTRIB | NOTE_WRITE, 0, 0));
        }

        /**
         * Applies {@link #changes()} on a kqueue (nevents = 0).
         *
         * @param kq the kqueue
         * @throws KQueueException if a registration fails
         */
        public void register(KQueue kq) throws KQueueException {
            KeventCalls.apply(kq, changes().toArray(KEvent[]::new));
        }

        /**
         * Makes the signal and vnode knotes of {@code kq} active: sends SIGUSR1 and waits until
         * {@code kq} returned its signal event (the events returned meanwhile are consumed), sends
         * it once more and joins the JVM's handler threads (so a count is pending), then changes
         * the file's times. The child keeps running, so its knotes stay registered and quiet.
         *
         * @param kq a kqueue on which {@link #register} was applied
         * @throws KQueueException if a kevent call fails
         */
        public void activate(KQueue kq) throws KQueueException {
            killAndAwait(kq, SIGNAL);
            SignalSupport.killSelf(signal.number());
            joinHandlerThreads(SIGNAL);
            touch(file);
        }

        /** Closes the descriptors, kills and reaps the child, deletes the file, restores SIGUSR1. */
        @Override
        public void close() {
            closeQuietly(vnodeFd);
            closeQuietly(pidfd);
            child.close();
            deleteQuietly(file);
            signal.close();
        }
    }
}
