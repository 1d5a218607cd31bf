package io.github.kqueueffm.tests.support;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import static io.github.kqueueffm.KEvent.EVFILT_EMPTY;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.NOTE_TRIGGER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The standard activations of CONFORMANCE.md §1.4, one constant per tag, for the bracketed rows
 * ({@code [RD WR TM US ...]}) that run as one {@code @ParameterizedTest} per listed filter:
 *
 * <pre>{@code
 * @ParameterizedTest
 * @EnumSource(value = StandardActivation.class, names = {"RD", "WR", "TM", "US"})
 * void FL_09_deleteStopsEvents(StandardActivation tag) throws Exception {
 *     try (KQueue kq = KQueue.open(); StandardActivation.Fixture f = tag.open()) {
 *         f.add(kq, 0, 0);            // ch(ident, filter, EV_ADD + the tag's flags, fflags, data, 0)
 *         f.activate(kq);             // the §1.4 activation
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
 * </table>
 *
 * <p>SG, PR and VN are added here when their filters exist.
 *
 * <p>Notes for users:
 * <ul>
 *   <li>The US activation is itself a change on the knote. It carries the udata last given to
 *       {@link Fixture#add}, because a trigger without EV_KEEPUDATA stores its udata (FL-21);
 *       and on a deleted knote it fails with ENOENT (US-21), see
 *       {@link Fixture#activationIsChange()}.</li>
 *   <li>TM is asynchronous and may be late (§1.2): wait for its events with
 *       {@link Fixture#eventTimeout()}; check "no event" with {@link Fixture#noEventTimeout()}
 *       (100 ms for TM and for the TCP-based WR and EM, a poll otherwise).</li>
 *   <li>The standard TM knote is one-shot. Rows that need a knote able to fire again and again
 *       (EV_DISPATCH, sticky EV_RECEIPT) use {@link #openRepeating()}: for TM a periodic 50 ms
 *       timer (EV_CLEAR implied by the filter), for every other tag the standard knote.</li>
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
    US;

    /** The ident of the TM and US knotes. */
    public static final long IDENT = 7;
    /** The TM period / expiry in milliseconds. */
    public static final long TIMER_MS = 50;
    /** The TM activation: how long {@link Fixture#activate} sleeps. */
    public static final Duration TIMER_ACTIVATION = Duration.ofMillis(150);

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
     * 50 ms timer (no EV_ONESHOT), for the other tags the standard knote.
     *
     * @return the fixture; close it
     */
    public Fixture openRepeating() {
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
        };
    }

    /**
     * The real objects behind one standard knote, how to register and activate it, and what to
     * expect. Not thread-safe.
     */
    public static final class Fixture implements AutoCloseable {
        private final StandardActivation tag;
        private final boolean repeating;
        private int[] pipe;
        private Os.TcpPair tcp;
        private long lastUdata;

        private Fixture(StandardActivation tag, boolean repeating) {
            this.tag = tag;
            this.repeating = repeating;
            try {
                switch (tag) {
                    case RD -> pipe = Os.pipe();
                    case WR, EM -> tcp = Os.tcpPair();
                    case TM, US -> { }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** @return the tag */
        public StandardActivation tag() {
            return tag;
        }

        /** @return the knote's ident: the descriptor for RD, WR, EM; 7 for TM and US */
        public long ident() {
            return switch (tag) {
                case RD -> pipe[0];
                case WR, EM -> tcp.clientFd();
                case TM, US -> IDENT;
            };
        }

        /** @return the knote's filter */
        public short filter() {
            return tag.filter();
        }

        /**
         * The flags the standard knote is created with besides EV_ADD: EV_ONESHOT for TM (none
         * for the repeating TM), EV_CLEAR for US, none otherwise.
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

        /** @return the fflags of the registration (0 for every tag) */
        public int fflags() {
            return 0;
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
         * The standard activation of §1.4. RD writes 1 byte into the pipe; WR and EM do nothing;
         * TM sleeps 150 ms; US applies {@code ch(7, USER, 0, NOTE_TRIGGER, 0, udata)} on
         * {@code kq} with the udata last given to {@link #add} (nevents = 0, so on a missing
         * knote this throws ENOENT).
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
         * Whether the source is asynchronous in the sense of §1.2 (timers, TCP peers): "no event"
         * is then checked with a 100 ms wait rather than a poll.
         *
         * @return true for TM, WR, EM
         */
        public boolean asynchronous() {
            return tag == TM || tag == WR || tag == EM;
        }

        /**
         * How long to wait for an event that is due: a poll for RD and US ("at once"), 1 s for
         * the others (timers may be late, §1.2; the wait returns as soon as the event is there).
         *
         * @return the timeout
         */
        public Duration eventTimeout() {
            return switch (tag) {
                case RD, US -> Duration.ZERO;
                case WR, EM, TM -> Duration.ofSeconds(1);
            };
        }

        /**
         * The timeout of a "no event" check (§1.2): 100 ms for asynchronous sources, a poll
         * otherwise.
         *
         * @return the timeout
         */
        public Duration noEventTimeout() {
            return asynchronous() ? KeventCalls.NO_EVENT_WAIT : Duration.ZERO;
        }

        /**
         * Asserts the data of an event that follows exactly one activation since registration:
         * RD 1 (byte), WR &gt; 0 (free send space), EM 0, TM 1 (expiry), US 0 (the change's data).
         *
         * @param data the event's data
         */
        public void assertDataAfterOneActivation(long data) {
            switch (tag) {
                case RD, TM -> assertEquals(1, data, tag + ": data after one activation");
                case WR -> assertTrue(data > 0, "WR: data (free space) must be > 0, was " + data);
                case EM, US -> assertEquals(0, data, tag + ": data after one activation");
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

        /** Closes the objects opened for the knote. */
        @Override
        public void close() {
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
