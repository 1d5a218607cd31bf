package io.github.kqueueffm.tests.support;

import io.github.kqueueffm.Descriptors;
import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
import static io.github.kqueueffm.KEvent.NOTE_ATTRIB;
import static io.github.kqueueffm.KEvent.NOTE_EXIT;
import static io.github.kqueueffm.KEvent.NOTE_TRIGGER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The standard activations of docs/conformance.md#s1.4, one constant per tag, for the bracketed
 * rows ({@code [RD WR TM US ...]}) that run as one {@code @ParameterizedTest} per listed filter:
 *
 * <pre>{@code
 * @ParameterizedTest
 * @EnumSource(value = StandardActivation.class, names = {"RD", "WR", "TM", "US"})
 * void FL_09_deleteStopsEvents(StandardActivation tag) throws Exception {
 *     try (KQueue kq = KQueue.open(); StandardActivation.Fixture f = tag.open()) {
 *         f.add(kq, 0, 0);            // ch(ident, filter, EV_ADD + the tag's flags, fflags, data, 0)
 *         f.activate(kq);             // the standard activation
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <table>
 *   <caption>What each tag opens and does</caption>
 *   <tr><th>tag</th><th>knote</th><th>activation</th></tr>
 *   <tr><td>RD</td><td>EVFILT_READ on the read end of a fresh pipe</td><td>write 1 byte to the write end</td></tr>
 *   <tr><td>WR</td><td>EVFILT_WRITE on the client side of a fresh loopback TCP pair</td><td>none: writable at once</td></tr>
 *   <tr><td>EM</td><td>EVFILT_EMPTY on the client side of a fresh, idle loopback TCP pair</td><td>none</td></tr>
 *   <tr><td>TM</td><td>EVFILT_TIMER ident 7, EV_ONESHOT, data = 50 (ms)</td><td>sleep 150 ms</td></tr>
 *   <tr><td>US</td><td>EVFILT_USER ident 7, EV_CLEAR</td><td>{@code ch(7, USER, 0, NOTE_TRIGGER)}</td></tr>
 *   <tr><td>SG</td><td>EVFILT_SIGNAL on the host's SIGUSR1, set to SIG_IGN (through
 *       {@code sun.misc.Signal}) while the fixture is open</td><td>{@code kill(getpid(), SIGUSR1)},
 *       then wait until the signal has been counted (see below)</td></tr>
 *   <tr><td>PR</td><td>EVFILT_PROC NOTE_EXIT on a fresh child {@code sh -c 'read x; exit 0'}
 *       blocked on its stdin pipe (the gate)</td><td>write a line to its stdin; wait until it has
 *       exited (status 0)</td></tr>
 *   <tr><td>VN</td><td>EVFILT_VNODE NOTE_ATTRIB on a fresh regular temp file, opened with
 *       {@link Descriptors#open}</td><td>change its modification time
 *       ({@code Files.setLastModifiedTime}: {@code futimens} on a descriptor the JDK opens)</td></tr>
 * </table>
 *
 * <p>Notes for users:
 * <ul>
 *   <li>The US activation is itself a change on the knote. It carries the udata last given to
 *       {@link Fixture#add}, because a trigger without EV_KEEPUDATA stores its udata (FL-21);
 *       and on a deleted knote it fails with ENOENT (US-21), see
 *       {@link Fixture#activationIsChange()}.</li>
 *   <li>TM, SG and PR are asynchronous and may be late (docs/conformance.md#s1.2): wait for their
 *       events with {@link Fixture#eventTimeout()}; check "no event" with
 *       {@link Fixture#noEventTimeout()} (100 ms for TM, SG, PR and for the TCP-based WR and EM, a
 *       poll otherwise). VN is changed by this process, so its events are there at once.</li>
 *   <li>The standard TM knote is one-shot. Rows that need a knote able to fire again and again
 *       (EV_DISPATCH, sticky EV_RECEIPT) use {@link #openRepeating()}: for TM a periodic 50 ms
 *       timer (EV_CLEAR implied by the filter), for RD, WR, EM, US, SG and VN the standard knote.
 *       PR has no repeating variant (a process exits once, and its knote is then gone as
 *       EV_ONESHOT): a row that activates PR more than once takes a fresh child for each round
 *       with {@link Fixture#renew()}.</li>
 *   <li>SG: the JVM runs a Java signal handler on a new thread after {@code kill()} returned
 *       (docs/conformance.md#s3.11). So that "after the activation" means "after the signal was
 *       counted", the fixture keeps a private observer kqueue with its own SIGUSR1 knote;
 *       {@link Fixture#activate} sends the signal, waits (at most 1 s) for the observer's event and
 *       then for the JVM's {@code "SIGUSR1 handler"} threads to finish. Since the observer's knote
 *       lives as long as the fixture, the library's handler stays installed while the fixture is
 *       open, also after the test's own knote was deleted. At close the fixture deletes the knotes
 *       it registered in kqueues that are still open, closes the observer and only then restores
 *       SIGUSR1's previous disposition.</li>
 *   <li>SG and PR: FreeBSD (and the library) set EV_CLEAR on these knotes themselves; a PR knote
 *       becomes EV_ONESHOT+EV_EOF at the exit.</li>
 * </ul>
 */
public enum StandardActivation {
    /** EVFILT_READ on a pipe's read end; activation writes 1 byte. */
    RD,
    /** EVFILT_WRITE on a connected loopback TCP socket; writable at once. */
    WR,
    /** EVFILT_EMPTY on an idle connected loopback TCP socket; empty at once. */
    EM,
    /** EVFILT_TIMER ident 7, EV_ONESHOT, 50 ms; activation waits 150 ms. */
    TM,
    /** EVFILT_USER ident 7, EV_CLEAR; activation is {@code ch(7, USER, 0, NOTE_TRIGGER)}. */
    US,
    /** EVFILT_SIGNAL SIGUSR1 (SIG_IGN); activation is {@code kill(getpid(), SIGUSR1)}. */
    SG,
    /** EVFILT_PROC NOTE_EXIT on a child blocked on a pipe gate; activation releases the gate. */
    PR,
    /** EVFILT_VNODE NOTE_ATTRIB on a regular temp file; activation changes its times. */
    VN;

    /** The ident of the TM and US knotes. */
    public static final long IDENT = 7;
    /** The TM period / expiry in milliseconds. */
    public static final long TIMER_MS = 50;
    /** The TM activation: how long {@link Fixture#activate} sleeps. */
    public static final Duration TIMER_ACTIVATION = Duration.ofMillis(150);
    /** The SG signal's name (its ident is the host's number of it). */
    public static final String SIGNAL = "USR1";

    /**
     * Opens fresh real objects for the standard knote of this tag (nothing is registered yet).
     *
     * @return the fixture; close it
     */
    public Fixture open() {
        return new Fixture(this, false);
    }

    /**
     * Like {@link #open()}, but a knote that can fire any number of times: for TM a periodic
     * 50 ms timer (no EV_ONESHOT), for the other tags but PR the standard knote.
     *
     * @return the fixture; close it
     * @throws IllegalStateException for PR: a process exits once (use
     *         {@link Fixture#renew()} for a fresh child)
     */
    public Fixture openRepeating() {
        if (this == PR) {
            throw new IllegalStateException("PR cannot fire twice: a process exits once; use renew()");
        }
        return new Fixture(this, true);
    }

    /**
     * The filter of this tag.
     *
     * @return {@code EVFILT_*}
     */
    public short filter() {
        return switch (this) {
            case RD -> EVFILT_READ;
            case WR -> EVFILT_WRITE;
            case EM -> EVFILT_EMPTY;
            case TM -> EVFILT_TIMER;
            case US -> EVFILT_USER;
            case SG -> EVFILT_SIGNAL;
            case PR -> EVFILT_PROC;
            case VN -> EVFILT_VNODE;
        };
    }

    /**
     * The real objects behind one standard knote, how to register and activate it, and what to
     * expect. Not thread-safe.
     */
    public static final class Fixture implements AutoCloseable {
        private final StandardActivation tag;
        private final boolean repeating;
        private final List<KQueue> registeredIn = new ArrayList<>();
        private int[] pipe;
        private Os.TcpPair tcp;
        private SignalSupport.Disposition signal;
        private KQueue observer;
        private ProcessSupport.Child child;
        private long pid;
        private Path file;
        private int vnodeFd = -1;
        private long lastUdata;

        private Fixture(StandardActivation tag, boolean repeating) {
            this.tag = tag;
            this.repeating = repeating;
            try {
                switch (tag) {
                    case RD -> pipe = Os.pipe();
                    case WR, EM -> tcp = Os.tcpPair();
                    case TM, US -> { }
                    case SG -> {
                        signal = SignalSupport.Disposition.ignore(SIGNAL);
                        observer = KQueue.open();
                        KeventCalls.apply(observer, KEvent.of(signal.number(), EVFILT_SIGNAL, EV_ADD, 0, 0, 0));
                    }
                    case PR -> startChild();
                    case VN -> {
                        file = SgPrVnKit.tempFile();
                        vnodeFd = Descriptors.open(file);
                    }
                }
            } catch (IOException e) {
                close();
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        private void startChild() {
            child = SgPrVnKit.gatedChild();
            pid = child.ident();
        }

        /**
         * PR: replaces the child by a fresh one blocked on its gate (the old one is killed and
         * reaped), so that the next activation can happen: {@link #ident()} changes. No-op for
         * the other tags, whose sources can be activated again and again.
         */
        public void renew() {
            if (tag == PR) {
                child.close();
                child = null;
                startChild();
            }
        }

        /** @return the tag */
        public StandardActivation tag() {
            return tag;
        }

        /**
         * @return the knote's ident: the descriptor for RD, WR, EM, VN; 7 for TM and US; the
         *         host's SIGUSR1 number for SG; the child's pid for PR
         */
        public long ident() {
            return switch (tag) {
                case RD -> pipe[0];
                case WR, EM -> tcp.clientFd();
                case TM, US -> IDENT;
                case SG -> signal.number();
                case PR -> pid;
                case VN -> vnodeFd;
            };
        }

        /** @return the knote's filter */
        public short filter() {
            return tag.filter();
        }

        /**
         * The flags the standard knote is created with besides EV_ADD: EV_ONESHOT for TM (none
         * for the repeating TM), EV_CLEAR for US, none otherwise (SG and PR knotes get EV_CLEAR
         * from the filter).
         *
         * @return the flags
         */
        public int standardFlags() {
            return switch (tag) {
                case TM -> repeating ? 0 : EV_ONESHOT;
                case US -> EV_CLEAR;
                default -> 0;
            };
        }

        /** @return the fflags of the registration: NOTE_EXIT for PR, NOTE_ATTRIB for VN, 0 otherwise */
        public int fflags() {
            return switch (tag) {
                case PR -> NOTE_EXIT;
                case VN -> NOTE_ATTRIB;
                default -> 0;
            };
        }

        /** @return the data of the registration: 50 (ms) for TM, 0 otherwise */
        public long data() {
            return tag == TM ? TIMER_MS : 0;
        }

        /**
         * {@code ch(ident, filter, flags, fflags(), data(), udata)}: a change on this knote with
         * its registration parameters.
         *
         * @param flags the change's flags, used as given
         * @param udata the change's udata
         * @return the change
         */
        public KEvent change(int flags, long udata) {
            return KEvent.of(ident(), filter(), flags, fflags(), data(), udata);
        }

        /**
         * Registers (or re-adds) the knote: applies
         * {@code change(EV_ADD + standardFlags() + extraFlags, udata)} with nevents = 0.
         *
         * @param kq the kqueue
         * @param extraFlags further flags (EV_DISABLE, EV_DISPATCH, ...)
         * @param udata the udata
         * @throws KQueueException if the change fails
         */
        public void add(KQueue kq, int extraFlags, long udata) throws KQueueException {
            KeventCalls.apply(kq, change(EV_ADD | standardFlags() | extraFlags, udata));
            lastUdata = udata;
            if (!registeredIn.contains(kq)) {
                registeredIn.add(kq);
            }
        }

        /**
         * Applies {@code change(flags, udata)} with nevents = 0 (EV_DELETE, EV_ENABLE, ...).
         *
         * @param kq the kqueue
         * @param flags the flags, used as given
         * @param udata the udata
         * @throws KQueueException if the change fails
         */
        public void apply(KQueue kq, int flags, long udata) throws KQueueException {
            KeventCalls.apply(kq, change(flags, udata));
        }

        /**
         * The standard activation of docs/conformance.md#s1.4. RD writes 1 byte into the pipe; WR
         * and EM do nothing; TM sleeps 150 ms; US applies
         * {@code ch(7, USER, 0, NOTE_TRIGGER, 0, udata)} on {@code kq} with the udata last given to
         * {@link #add} (nevents = 0, so on a missing knote this throws ENOENT); SG sends
         * {@code kill(getpid(), SIGUSR1)} and waits until the signal has been counted (the observer
         * kqueue returned it and the JVM's handler threads are done, at most 1 s each); PR writes a
         * line to the child's stdin and waits (at most 5 s) until it has exited with status 0 —
         * only once per child, see {@link #renew()}; VN changes the file's modification time.
         *
         * @param kq the kqueue (used by US only: a trigger is per kqueue)
         * @throws KQueueException if the US trigger fails
         */
        public void activate(KQueue kq) throws KQueueException {
            switch (tag) {
                case RD -> assertEquals(1, Os.write(pipe[1], 1), "write(2) of 1 byte into the pipe");
                case WR, EM -> { }
                case TM -> sleep(TIMER_ACTIVATION);
                case US -> KeventCalls.apply(kq, KEvent.of(IDENT, EVFILT_USER, 0, NOTE_TRIGGER, 0, lastUdata));
                case SG -> SgPrVnKit.killAndAwait(observer, SIGNAL);
                case PR -> SgPrVnKit.releaseGate(child);
                case VN -> SgPrVnKit.touch(file);
            }
        }

        /**
         * Whether the activation is a change on the knote (US): it then names the knote, fails
         * with ENOENT once the knote is gone, and acts on one kqueue only.
         *
         * @return true for US
         */
        public boolean activationIsChange() {
            return tag == US;
        }

        /**
         * Whether the source is asynchronous in the sense of docs/conformance.md#s1.2 (timers, TCP
         * peers, signals, processes): "no event" is then checked with a 100 ms wait rather than a
         * poll.
         *
         * @return true for TM, WR, EM, SG, PR
         */
        public boolean asynchronous() {
            return switch (tag) {
                case TM, WR, EM, SG, PR -> true;
                case RD, US, VN -> false;
            };
        }

        /**
         * How long to wait for an event that is due: a poll for RD, US and VN ("at once"), 1 s
         * for the others (timers may be late, docs/conformance.md#s1.2; a JVM counts a signal on a
         * thread it starts after {@code kill()} returned; the wait returns as soon as the event is
         * there).
         *
         * @return the timeout
         */
        public Duration eventTimeout() {
            return switch (tag) {
                case RD, US, VN -> Duration.ZERO;
                case WR, EM, TM, SG, PR -> Duration.ofSeconds(1);
            };
        }

        /**
         * The timeout of a "no event" check (docs/conformance.md#s1.2): 100 ms for asynchronous
         * sources, a poll otherwise.
         *
         * @return the timeout
         */
        public Duration noEventTimeout() {
            return asynchronous() ? KeventCalls.NO_EVENT_WAIT : Duration.ZERO;
        }

        /**
         * Asserts the data of an event that follows exactly one activation since registration:
         * RD 1 (byte), WR &gt; 0 (free send space), EM 0, TM 1 (expiry), US 0 (the change's data),
         * SG 1 (one delivery), PR 0 (wait status of {@code exit(0)}), VN 0 (VN-34).
         *
         * @param data the event's data
         */
        public void assertDataAfterOneActivation(long data) {
            switch (tag) {
                case RD, TM, SG -> assertEquals(1, data, tag + ": data after one activation");
                case WR -> assertTrue(data > 0, "WR: data (free space) must be > 0, was " + data);
                case EM, US, PR, VN -> assertEquals(0, data, tag + ": data after one activation");
            }
        }

        /**
         * Asserts the notes an event reports after activations since registration, for the tags
         * whose knotes watch notes: PR fflags = NOTE_EXIT, VN fflags = NOTE_ATTRIB (VN-07). Checks
         * nothing for the other tags.
         *
         * @param fflags the event's fflags
         */
        public void assertNotes(int fflags) {
            if (tag == PR || tag == VN) {
                assertEquals("0x" + Integer.toHexString(fflags()), "0x" + Integer.toHexString(fflags),
                        tag + ": fflags of the event");
            }
        }

        /**
         * Reads everything queued in the pipe (RD), so that the condition no longer holds; no-op
         * for the other tags.
         */
        public void drain() {
            if (tag == RD) {
                while (Os.read(pipe[0], 4096) > 0) {
                    // keep reading
                }
            }
        }

        /**
         * Closes the objects opened for the knote. SG first deletes the knotes it registered in
         * kqueues that are still open and closes its observer, then restores SIGUSR1's previous
         * disposition; PR kills and reaps the child; VN closes the descriptor and deletes the file.
         */
        @Override
        public void close() {
            if (signal != null) {
                try {
                    for (KQueue kq : registeredIn) {
                        if (kq.isOpen()) {
                            try {
                                KeventCalls.apply(kq, change(EV_DELETE, 0));
                            } catch (KQueueException e) {
                                if (e.errno() != Errno.ENOENT) {
                                    throw new IllegalStateException("EV_DELETE of the SG knote at cleanup", e);
                                }
                            }
                        }
                    }
                } finally {
                    if (observer != null) {
                        observer.close();
                        observer = null;
                    }
                    signal.close();
                    signal = null;
                    registeredIn.clear();
                }
            }
            registeredIn.clear();
            if (child != null) {
                child.close();
                child = null;
            }
            if (vnodeFd >= 0) {
                SgPrVnKit.closeQuietly(vnodeFd);
                vnodeFd = -1;
            }
            if (file != null) {
                SgPrVnKit.deleteQuietly(file);
                file = null;
            }
            if (pipe != null) {
                Os.closeQuietly(pipe);
                pipe = null;
            }
            if (tcp != null) {
                try {
                    tcp.close();
                } catch (IOException ignored) {
                    // best effort
                }
                tcp = null;
            }
        }

        @Override
        public String toString() {
            return tag + (repeating ? " (repeating)" : "") + " ident " + ident();
        }

        private static void sleep(Duration d) {
            try {
                Thread.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
