package io.github.kqueueffm.properties.robustness;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.properties.robustness.KeventCall.Action;
import io.github.kqueueffm.properties.robustness.KeventCall.Outcome;
import io.github.kqueueffm.tests.support.Os;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.lang.foreign.Arena;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static io.github.kqueueffm.KEvent.EVFILT_PROC;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_SIGNAL;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_RECEIPT;
import static io.github.kqueueffm.KEvent.NOTE_FFLAGSMASK;
import static io.github.kqueueffm.KEvent.NOTE_TRACK;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Bad input (issue 6, item 3): random changelists — any ident, any filter number, any
 * flags/fflags/data/udata, mixed with changes that fit real descriptors, pids and ignored
 * signals so knotes get registered and fire — with out-of-range nchanges and nevents, null lists,
 * lists freed by their arena, lists in a confined arena of another thread, the same list as both,
 * negative, huge and infinite timeouts, a kqueue closed before the call, and an
 * {@code interrupt()} or {@code close()} from another thread while the call runs; 1 – 4 calls per
 * sequence on a fresh kqueue (sometimes with a small knote limit, sometimes watched by a second
 * kqueue).
 * The only outcomes allowed are the documented ones: a return value with EV_ERROR/receipt entries
 * that match the changes (KQ-34 – KQ-42) or events that obey FL-25, KQ-43 and KQ-45, or a
 * {@link KQueueException} with an errno that the rows give for that input (KQ-09 – KQ-12, KQ-18,
 * KQ-20, KQ-25 – KQ-33, KQ-36, MT-04). No other exception, no hang (every call is bounded), and after
 * each sequence the descriptor count and {@link KQueue#nativeMemoryInUse()} are back where they were.
 *
 * <p>EVFILT_SIGNAL idents are limited to signals set to SIG_IGN by {@link Fixtures} (any other
 * number from 1 to 64 is mapped onto one of them); numbers outside 1 … 64 keep a low byte that is
 * 0 or an ignored signal, so even a truncating bug could only touch an ignored signal. EVFILT_PROC
 * idents may be any number: registering is harmless, and nothing here sends a signal.
 *
 * <p>A second property, {@link #apiArgumentsGiveOnlyTheirDocumentedOutcomes()}, feeds bad
 * arguments to the factories, the limits and the {@link KEventList} accessors.
 */
class BadInputPropertyTest {
    private static Fixtures fixtures;
    private static Robust.Snapshot start;

    @BeforeAll
    static void setUp() throws Exception {
        fixtures = Fixtures.open();
        warmUp();
        start = Robust.Snapshot.take();
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            Robust.assertBackTo(start, 3000, "after the bad-input properties");
        } finally {
            fixtures.close();
        }
    }

    /** Runs every kind of call once so the JDK's lazily made threads and descriptors exist. */
    private static void warmUp() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (KQueue kq = KQueue.open(); KQueue kq2 = KQueue.open(); KEventList l = KEventList.allocate(8)) {
                l.set(0, fixtures.pipe[0], EVFILT_READ, EV_ADD, 0, 0, 0);
                l.set(1, fixtures.tcp.clientFd(), EVFILT_WRITE, EV_ADD, 0, 0, 0);
                l.set(2, 1, EVFILT_TIMER, EV_ADD, 0, 1, 0);
                l.set(3, fixtures.ignoredSignals[0], EVFILT_SIGNAL, EV_ADD, 0, 0, 0);
                l.set(4, fixtures.childPid(), EVFILT_PROC, EV_ADD, KEvent.NOTE_EXIT | NOTE_TRACK, 0, 0);
                l.set(5, fixtures.fileFd, KEvent.EVFILT_VNODE, EV_ADD, KEvent.NOTE_WRITE, 0, 0);
                l.set(6, fixtures.pidfd, KEvent.EVFILT_PROCDESC, EV_ADD, KEvent.NOTE_EXIT, 0, 0);
                l.set(7, kq2.descriptor(), EVFILT_READ, EV_ADD, 0, 0, 0);
                KeventCall.run(kq, l, 8, l, 8, Duration.ofMillis(1), Action.INTERRUPT, 100, 2000);
                KeventCall.run(kq, null, 0, l, 8, null, Action.CLOSE, 100, 2000);
            }
        }
        try (Arena a = Arena.ofShared()) {
            KEventList.allocate(a, 1);
        }
    }

    // ------------------------------------------------------------------ the generated input

    /** Where an ident comes from; resolved against the fixtures when the sequence runs. */
    enum IdentKind {
        RAW, SMALL, EDGE, PIPE_R, PIPE_W, SOCK_A, SOCK_B, TCP_CLIENT, TCP_SERVER, TCP_LISTENER, FILE, DIR, PIDFD,
        OWN_KQ, OTHER_KQ, CLOSED_FD, CHILD_PID, OWN_PID, PID_1, IGNORED_SIGNAL
    }

    static final long[] EDGES = {
        0, 1, -1, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 0xFFFF_FFFFL, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE,
        Integer.MIN_VALUE, 65, 1024, 1L << 62
    };

    record Change(IdentKind kind, long raw, short filter, int flags, int fflags, long data, long udata) {
        @Override
        public String toString() {
            return "ch(" + kind + (kind == IdentKind.RAW || kind == IdentKind.SMALL || kind == IdentKind.EDGE
                    || kind == IdentKind.IGNORED_SIGNAL ? ":" + raw : "") + ", filter " + filter
                    + ", flags 0x" + Integer.toHexString(flags) + ", fflags 0x" + Integer.toHexString(fflags)
                    + ", data " + data + ", udata " + udata + ")";
        }
    }

    /**
     * How a list is passed: owned by itself, null, freed by its arena before the call, the
     * changelist again (events only), or in a confined arena of another thread (the harness), so
     * the calling thread cannot touch it.
     */
    enum ListKind { OWNED, NULL, FREED, SAME, CONFINED }

    enum Count { EXACT, ZERO, FEWER, NEGATIVE, OVER }

    enum Timeout {
        ZERO(Duration.ZERO, false), MS1(Duration.ofMillis(1), false), MS5(Duration.ofMillis(5), false),
        NULL(null, true), NEG_1NS(Duration.ofNanos(-1), false), NEG_1S(Duration.ofSeconds(-1), false),
        NEG_MIN(Duration.ofSeconds(Long.MIN_VALUE), false),
        SEC_2_31_MINUS_1(Duration.ofSeconds(Integer.MAX_VALUE), true),
        SEC_2_31(Duration.ofSeconds(1L << 31), true),
        MAX(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), true);

        final Duration duration;
        final boolean blocks;

        Timeout(Duration duration, boolean blocks) {
            this.duration = duration;
            this.blocks = blocks;
        }

        boolean negative() {
            return duration != null && duration.isNegative();
        }
    }

    record Call(List<Change> changes, ListKind chList, Count nch, int nchRaw, ListKind evList, int evCap, Count nev,
                int nevRaw, Timeout timeout, Action action, int delayMicros) {
        @Override
        public String toString() {
            return "\n  kevent(changes " + chList + " " + changes + ", nchanges " + nch + ":" + nchRaw
                    + ", events " + evList + " cap " + evCap + ", nevents " + nev + ":" + nevRaw
                    + ", timeout " + timeout + ", then " + action + " after " + delayMicros + " µs)";
        }
    }

    record Scenario(int maxKnotes, boolean preClose, boolean nested, List<Call> calls) {
        @Override
        public String toString() {
            return "Scenario(maxKnotes " + (maxKnotes == 0 ? "default" : maxKnotes) + ", preClose " + preClose
                    + ", nested " + nested + ")" + calls;
        }
    }

    @SafeVarargs
    private static <T> Gen<T> weighted(Pair<Integer, Gen<T>>... choices) {
        return Generate.frequency(List.of(choices));
    }

    private static <T> Pair<Integer, Gen<T>> w(int weight, Gen<T> gen) {
        return Pair.of(weight, gen);
    }

    private static <T> Gen<T> pick(List<T> values) {
        return Generate.pick(values);
    }

    static final int MEANINGFUL_FLAGS = 0x03FF; // EV_ADD … EV_KEEPUDATA

    /** Any change at all. */
    static Gen<Change> wildChanges() {
        Gen<IdentKind> kind = weighted(
                w(4, Generate.constant(IdentKind.RAW)), w(3, Generate.constant(IdentKind.SMALL)),
                w(3, Generate.constant(IdentKind.EDGE)), w(12, pick(List.of(IdentKind.values()))));
        Gen<Short> filter = weighted(
                w(12, integers().between(-13, -1).map(Integer::shortValue)),
                w(1, Generate.constant((short) 0)),
                w(1, integers().between(Short.MIN_VALUE, Short.MAX_VALUE).map(Integer::shortValue)),
                w(1, pick(List.of((short) 1, (short) -14, (short) -20, (short) -99, Short.MIN_VALUE, Short.MAX_VALUE))));
        Gen<Integer> flags = weighted(
                w(6, integers().between(0, MEANINGFUL_FLAGS).map(f -> f | EV_ADD)),
                w(4, integers().between(0, MEANINGFUL_FLAGS)),
                w(1, integers().between(0, 0xFFFF)));
        Gen<Integer> fflags = weighted(
                w(4, Generate.constant(0)),
                w(2, integers().all()),
                w(4, pick(List.of(KEvent.NOTE_TRIGGER, KEvent.NOTE_FFCOPY | 0x1234, KEvent.NOTE_FFOR | KEvent.NOTE_TRIGGER | 7,
                        KEvent.NOTE_EXIT, KEvent.NOTE_LOWAT, KEvent.NOTE_SECONDS, KEvent.NOTE_NSECONDS,
                        KEvent.NOTE_USECONDS | KEvent.NOTE_ABSTIME, KEvent.NOTE_SECONDS | KEvent.NOTE_USECONDS,
                        KEvent.NOTE_DELETE | KEvent.NOTE_WRITE | KEvent.NOTE_ATTRIB | KEvent.NOTE_EXTEND,
                        KEvent.NOTE_TRACK | KEvent.NOTE_FORK | KEvent.NOTE_EXIT, KEvent.NOTE_FORK | KEvent.NOTE_EXEC,
                        KEvent.NOTE_FILE_POLL, 0x100))));
        Gen<Long> data = weighted(
                w(4, longs().between(-2, 100)),
                w(2, longs().all()),
                w(1, pick(List.of(Long.MIN_VALUE, Long.MAX_VALUE, 1L << 62, 1L << 31, -1L))));
        return rs -> new Change(kind.generate(rs), longs().all().generate(rs), filter.generate(rs),
                flags.generate(rs), fflags.generate(rs), data.generate(rs), longs().all().generate(rs));
    }

    /** A (filter, ident kind, fflags) that fits, so that knotes get registered and fire. */
    record Target(short filter, List<IdentKind> kinds, List<Integer> fflags) {
    }

    static final List<Target> TARGETS = List.of(
            new Target(EVFILT_USER, List.of(IdentKind.SMALL), List.of(0, KEvent.NOTE_TRIGGER,
                    KEvent.NOTE_FFCOPY | KEvent.NOTE_TRIGGER | 0xABCDEF, KEvent.NOTE_FFOR | KEvent.NOTE_TRIGGER | 3,
                    KEvent.NOTE_FFAND | 1, KEvent.NOTE_FFCOPY | 0x0FFFFFFF)),
            new Target(EVFILT_TIMER, List.of(IdentKind.SMALL), List.of(0, KEvent.NOTE_NSECONDS, KEvent.NOTE_USECONDS,
                    KEvent.NOTE_ABSTIME, KEvent.NOTE_MSECONDS)),
            new Target(EVFILT_READ, List.of(IdentKind.PIPE_R, IdentKind.SOCK_A, IdentKind.TCP_SERVER, IdentKind.FILE,
                    IdentKind.OTHER_KQ, IdentKind.TCP_LISTENER), List.of(0, KEvent.NOTE_LOWAT, KEvent.NOTE_FILE_POLL)),
            new Target(EVFILT_WRITE, List.of(IdentKind.PIPE_W, IdentKind.SOCK_B, IdentKind.TCP_CLIENT), List.of(0,
                    KEvent.NOTE_LOWAT)),
            new Target(KEvent.EVFILT_EMPTY, List.of(IdentKind.TCP_CLIENT, IdentKind.SOCK_B), List.of(0)),
            new Target(EVFILT_SIGNAL, List.of(IdentKind.IGNORED_SIGNAL), List.of(0)),
            new Target(EVFILT_PROC, List.of(IdentKind.CHILD_PID, IdentKind.OWN_PID, IdentKind.PID_1),
                    List.of(KEvent.NOTE_EXIT, 0, KEvent.NOTE_EXIT | KEvent.NOTE_FORK | KEvent.NOTE_EXEC | NOTE_TRACK)),
            new Target(KEvent.EVFILT_PROCDESC, List.of(IdentKind.PIDFD), List.of(KEvent.NOTE_EXIT, 0)),
            new Target(KEvent.EVFILT_VNODE, List.of(IdentKind.FILE, IdentKind.DIR), List.of(KEvent.NOTE_WRITE
                    | KEvent.NOTE_ATTRIB | KEvent.NOTE_DELETE, KEvent.NOTE_OPEN | KEvent.NOTE_CLOSE | KEvent.NOTE_READ, 0)));

    /** Changes that mostly succeed: a fitting ident, EV_ADD most of the time, any other flags. */
    static Gen<Change> fittingChanges() {
        Gen<Integer> flags = weighted(
                w(3, pick(List.of(EV_ADD, EV_ADD | KEvent.EV_CLEAR, EV_ADD | KEvent.EV_ONESHOT, EV_ADD | KEvent.EV_DISPATCH,
                        0, KEvent.EV_DELETE, KEvent.EV_DISABLE, KEvent.EV_ENABLE, EV_ADD | EV_RECEIPT))),
                w(2, integers().between(0, MEANINGFUL_FLAGS).map(f -> f | EV_ADD)),
                w(1, integers().between(0, MEANINGFUL_FLAGS)));
        return rs -> {
            Target t = pick(TARGETS).generate(rs);
            IdentKind kind = pick(t.kinds).generate(rs);
            long raw = longs().between(0, 4).generate(rs);
            int f = flags.generate(rs);
            int ff = pick(t.fflags).generate(rs);
            long data = longs().between(0, 3).generate(rs);
            long udata = longs().all().generate(rs);
            return new Change(kind, raw, t.filter, f, ff, data, udata);
        };
    }

    static Gen<Change> changes() {
        return weighted(w(1, wildChanges()), w(2, fittingChanges()));
    }

    static Gen<Call> calls() {
        Gen<List<Change>> list = lists().of(changes()).ofSizes(weighted(w(2, Generate.constant(0)),
                w(4, integers().between(1, 3)), w(1, integers().between(4, 10))));
        Gen<ListKind> chList = weighted(w(40, Generate.constant(ListKind.OWNED)),
                w(1, Generate.constant(ListKind.NULL)), w(2, Generate.constant(ListKind.FREED)),
                w(1, Generate.constant(ListKind.CONFINED)));
        Gen<ListKind> evList = weighted(w(30, Generate.constant(ListKind.OWNED)), w(6, Generate.constant(ListKind.SAME)),
                w(1, Generate.constant(ListKind.NULL)), w(2, Generate.constant(ListKind.FREED)),
                w(1, Generate.constant(ListKind.CONFINED)));
        Gen<Count> nch = weighted(w(40, Generate.constant(Count.EXACT)), w(2, Generate.constant(Count.ZERO)),
                w(4, Generate.constant(Count.FEWER)), w(1, Generate.constant(Count.NEGATIVE)),
                w(1, Generate.constant(Count.OVER)));
        Gen<Count> nev = weighted(w(30, Generate.constant(Count.EXACT)), w(6, Generate.constant(Count.ZERO)),
                w(4, Generate.constant(Count.FEWER)), w(1, Generate.constant(Count.NEGATIVE)),
                w(1, Generate.constant(Count.OVER)));
        Gen<Timeout> timeout = weighted(w(14, Generate.constant(Timeout.ZERO)), w(4, Generate.constant(Timeout.MS1)),
                w(1, Generate.constant(Timeout.MS5)), w(6, pick(List.of(Timeout.values()))));
        Gen<Action> action = weighted(w(10, Generate.constant(Action.NONE)), w(2, Generate.constant(Action.INTERRUPT)),
                w(2, Generate.constant(Action.CLOSE)));
        return rs -> {
            List<Change> cs = list.generate(rs);
            ListKind cl = chList.generate(rs);
            Count nc = nch.generate(rs);
            int ncRaw = integers().all().generate(rs);
            ListKind el = evList.generate(rs);
            int cap = integers().between(0, 16).generate(rs);
            Count ne = nev.generate(rs);
            int neRaw = integers().all().generate(rs);
            Timeout t = timeout.generate(rs);
            Action a = action.generate(rs);
            if (t.blocks && a == Action.NONE) {
                a = Action.INTERRUPT; // something must end an unbounded wait
            }
            int delay = integers().between(0, 3000).generate(rs);
            return new Call(cs, cl, nc, ncRaw, el, cap, ne, neRaw, t, a, delay);
        };
    }

    static Gen<Scenario> scenarios() {
        Gen<Integer> maxKnotes = weighted(w(6, Generate.constant(0)), w(1, pick(List.of(1, 2, 3, 5))));
        Gen<Boolean> preClose = weighted(w(15, Generate.constant(false)), w(1, Generate.constant(true)));
        Gen<Boolean> nested = weighted(w(4, Generate.constant(false)), w(1, Generate.constant(true)));
        Gen<List<Call>> calls = lists().of(calls()).ofSizeBetween(1, 4);
        return rs -> new Scenario(maxKnotes.generate(rs), preClose.generate(rs), nested.generate(rs),
                calls.generate(rs));
    }

    // ------------------------------------------------------------------ the property

    /**
     * The property. The summary counts the sequences run up to the first divergence (QuickTheories
     * then re-runs smaller variants of it to shrink it; those are not counted).
     */
    @Test
    void badInputNeverCrashesHangsOrThrowsUndocumented() throws Exception {
        long seed = Robust.seed();
        int examples = Integer.getInteger("kqueue.badInput.examples", Robust.budget(3000, 30_000));
        AtomicLong runs = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean diverged = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            qt().withFixedSeed(seed).withExamples(examples).withShrinkCycles(200)
                    .forAll(scenarios())
                    .checkAssert(s -> {
                        if (!diverged.get()) {
                            runs.incrementAndGet();
                        }
                        try {
                            run(s);
                        } catch (AssertionError e) {
                            diverged.set(true);
                            throw e;
                        } catch (Exception e) {
                            diverged.set(true);
                            throw new AssertionError("harness: " + e, e);
                        }
                    });
        } finally {
            Robust.summary("badInput", runs.get(), diverged.get() ? 1 : 0, seed);
        }
        Robust.assertBackTo(start, 3000, "after the badInput property");
    }

    /** Arguments of the API around kevent: factories, limits and list accessors. */
    record ApiArgs(int maxKnotes, int openxFlags, int maxTimers, int capacity, int index, int slot) {
    }

    /**
     * Bad arguments outside {@code kevent}: {@code KQueue.open(maxKnotes)} opens for 1 and more and
     * throws IllegalArgumentException below (and the (maxKnotes+1)-th EV_ADD fails with ENOMEM,
     * RS-08); {@code openx(flags)} opens for 0 and KQUEUE_CLOEXEC and fails with EINVAL for any
     * other bit (KQ-05); {@code setMaxTimers} takes 0 and more and throws IllegalArgumentException
     * below, leaving the limit unchanged; {@code KEventList.allocate} throws
     * IllegalArgumentException for a negative capacity; record and ext accessors throw
     * IndexOutOfBoundsException outside the list or slots 0 – 3. Nothing else is thrown.
     */
    @Test
    void apiArgumentsGiveOnlyTheirDocumentedOutcomes() throws Exception {
        long seed = Robust.seed();
        int examples = Robust.budget(600, 5_000);
        AtomicLong runs = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean diverged = new java.util.concurrent.atomic.AtomicBoolean();
        Gen<Integer> anyInt = weighted(w(3, integers().between(-5, 10)), w(2, integers().all()),
                w(1, pick(List.of(Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 0, 1, 2, 3, 4))));
        Gen<Integer> capacity = weighted(w(4, integers().between(-3, 20)),
                w(1, pick(List.of(Integer.MIN_VALUE, -1_000_000, 1000))));
        Gen<ApiArgs> args = rs -> new ApiArgs(anyInt.generate(rs), anyInt.generate(rs), anyInt.generate(rs),
                capacity.generate(rs), anyInt.generate(rs), anyInt.generate(rs));
        int timersBefore = KQueue.maxTimers();
        try {
            qt().withFixedSeed(seed).withExamples(examples).withShrinkCycles(100).forAll(args).checkAssert(a -> {
                if (!diverged.get()) {
                    runs.incrementAndGet();
                }
                try {
                    checkApi(a);
                } catch (AssertionError e) {
                    diverged.set(true);
                    throw e;
                } catch (Exception e) {
                    diverged.set(true);
                    throw new AssertionError("harness: " + e, e);
                } finally {
                    KQueue.setMaxTimers(timersBefore);
                }
            });
        } finally {
            KQueue.setMaxTimers(timersBefore);
            Robust.summary("apiArguments", runs.get(), diverged.get() ? 1 : 0, seed);
        }
        Robust.assertBackTo(start, 3000, "after the apiArguments property");
    }

    private static void checkApi(ApiArgs a) throws Exception {
        // KQueue.open(maxKnotes)
        int limit = Math.min(a.maxKnotes, 6);
        try (KQueue kq = KQueue.open(a.maxKnotes); KEventList ch = KEventList.allocate(1)) {
            if (a.maxKnotes < 1) {
                throw new AssertionError("open(" + a.maxKnotes + ") opened a kqueue");
            }
            for (int i = 0; i <= limit; i++) {
                ch.set(0, i, EVFILT_USER, EV_ADD, 0, 0, 0);
                Outcome o = KeventCall.run(kq, ch, 1, null, 0, Duration.ZERO, Action.NONE, 0, 3000);
                boolean full = i >= a.maxKnotes;
                if (full ? o.kx() == null || o.kx().errno() != Errno.ENOMEM : !o.returned()) {
                    throw new AssertionError("open(" + a.maxKnotes + "): EV_ADD of knote " + (i + 1) + " gave " + o
                            + " (RS-08)");
                }
            }
        } catch (IllegalArgumentException e) {
            if (a.maxKnotes >= 1) {
                throw new AssertionError("open(" + a.maxKnotes + ") threw " + e);
            }
        }
        // KQueue.openx(flags)
        boolean valid = a.openxFlags == 0 || a.openxFlags == KEvent.KQUEUE_CLOEXEC;
        try (KQueue kq = KQueue.openx(a.openxFlags)) {
            if (!valid) {
                throw new AssertionError("openx(0x" + Integer.toHexString(a.openxFlags) + ") opened a kqueue (KQ-05)");
            }
            if (!kq.isOpen()) {
                throw new AssertionError("openx gave a closed kqueue");
            }
        } catch (KQueueException e) {
            if (valid || e.errno() != Errno.EINVAL) {
                throw new AssertionError("openx(0x" + Integer.toHexString(a.openxFlags) + ") failed with " + e.errno());
            }
        }
        // KQueue.setMaxTimers
        int before = KQueue.maxTimers();
        try {
            KQueue.setMaxTimers(a.maxTimers);
            if (a.maxTimers < 0 || KQueue.maxTimers() != a.maxTimers) {
                throw new AssertionError("setMaxTimers(" + a.maxTimers + ") then maxTimers() = " + KQueue.maxTimers());
            }
        } catch (IllegalArgumentException e) {
            if (a.maxTimers >= 0 || KQueue.maxTimers() != before) {
                throw new AssertionError("setMaxTimers(" + a.maxTimers + ") threw " + e + ", limit now "
                        + KQueue.maxTimers());
            }
        }
        // KEventList
        KEventList list;
        try {
            list = KEventList.allocate(a.capacity);
            if (a.capacity < 0) {
                throw new AssertionError("allocate(" + a.capacity + ") returned a list");
            }
        } catch (IllegalArgumentException e) {
            if (a.capacity >= 0) {
                throw new AssertionError("allocate(" + a.capacity + ") threw " + e);
            }
            return;
        }
        try (list) {
            if (list.capacity() != a.capacity || list.segment().byteSize() != a.capacity * KEventList.RECORD_SIZE) {
                throw new AssertionError("allocate(" + a.capacity + "): capacity " + list.capacity() + ", segment "
                        + list.segment().byteSize() + " bytes");
            }
            boolean inside = a.index >= 0 && a.index < a.capacity;
            boolean slotOk = a.slot >= 0 && a.slot <= 3;
            expectIndex(inside, "set(" + a.index + ")", () -> list.set(a.index, -1, EVFILT_USER, 0xFFFF, -1, -1, -1));
            expectIndex(inside, "get(" + a.index + ")", () -> list.get(a.index));
            expectIndex(inside, "flags(" + a.index + ")", () -> {
                if (list.flags(a.index) != 0xFFFF) {
                    throw new AssertionError("flags read back as 0x" + Integer.toHexString(list.flags(a.index)));
                }
            });
            expectIndex(inside && slotOk, "ext(" + a.index + ", " + a.slot + ")",
                    () -> list.ext(a.index, a.slot, Long.MIN_VALUE));
            expectIndex(inside && slotOk, "ext(" + a.index + ", " + a.slot + ") read",
                    () -> {
                        if (list.ext(a.index, a.slot) != Long.MIN_VALUE) {
                            throw new AssertionError("ext read back wrong");
                        }
                    });
        }
    }

    private interface Access {
        void run();
    }

    private static void expectIndex(boolean valid, String what, Access access) {
        try {
            access.run();
            if (!valid) {
                throw new AssertionError(what + " outside the list did not throw");
            }
        } catch (IndexOutOfBoundsException e) {
            if (valid) {
                throw new AssertionError(what + " threw " + e);
            }
        }
    }

    /** Runs one scenario; throws AssertionError on any outcome the rows do not allow. */
    static void run(Scenario s) throws Exception {
        int fdsBefore = Robust.fdCount();
        long memBefore = KQueue.nativeMemoryInUse();
        KQueue kq = s.maxKnotes == 0 ? KQueue.open() : KQueue.open(s.maxKnotes);
        KQueue other = KQueue.open();
        StringBuilder log = new StringBuilder();
        try {
            Resolver resolver = new Resolver(kq, other);
            if (s.nested) {
                try (KEventList l = KEventList.allocate(1)) {
                    l.set(0, kq.descriptor(), EVFILT_READ, EV_ADD, 0, 0, 0);
                    other.kevent(l, 1, null, 0, Duration.ZERO);
                }
            }
            for (Call c : s.calls) {
                for (Change ch : c.changes) {
                    resolver.resolve(ch); // descriptors of the kqueues are read while they are open
                }
            }
            boolean closed = false;
            if (s.preClose) {
                kq.close();
                closed = true;
            }
            Set<Long> addedKeys = new HashSet<>();
            boolean tracking = false;
            for (Call c : s.calls) {
                for (Change ch : c.changes) {
                    if ((ch.flags & EV_ADD) != 0) {
                        addedKeys.add(key(resolver.resolve(ch), ch.filter));
                    }
                    tracking |= ch.filter == EVFILT_PROC && (ch.fflags & NOTE_TRACK) != 0;
                }
                closed |= runCall(kq, c, resolver, closed, addedKeys, tracking, log);
            }
            String problem = Robust.close(kq, 3000);
            if (problem != null) {
                throw new AssertionError(problem + log);
            }
            Outcome after = KeventCall.run(kq, null, 0, null, 0, Duration.ZERO, Action.NONE, 0, 3000);
            if (after.kx() == null || after.kx().errno() != Errno.EBADF) {
                throw new AssertionError("kevent after close(): expected EBADF, got " + after + log);
            }
        } finally {
            Robust.close(kq, 3000);
            Robust.close(other, 3000);
        }
        String leak = Robust.quickDiff(fdsBefore, memBefore);
        if (!leak.isEmpty()) {
            // the library may release a few things on another thread: give it a moment
            Thread.sleep(50);
            leak = Robust.quickDiff(fdsBefore, memBefore);
            if (!leak.isEmpty()) {
                throw new AssertionError("leak after the sequence: " + leak + log);
            }
        }
    }

    private static long key(long ident, short filter) {
        return ident * 31 + filter;
    }

    /** Resolves idents against the fixtures; maps EVFILT_SIGNAL idents onto ignored signals. */
    static final class Resolver {
        private final KQueue kq;
        private final KQueue other;
        private int kqFd = -1;
        private int otherFd = -1;
        private static int closedFd = -1;

        Resolver(KQueue kq, KQueue other) {
            this.kq = kq;
            this.other = other;
        }

        long resolve(Change ch) {
            long v = switch (ch.kind) {
                case RAW -> ch.raw;
                case SMALL -> Math.floorMod(ch.raw, 71);
                case EDGE -> EDGES[(int) Math.floorMod(ch.raw, EDGES.length)];
                case PIPE_R -> fixtures.pipe[0];
                case PIPE_W -> fixtures.pipe[1];
                case SOCK_A -> fixtures.socketpair[0];
                case SOCK_B -> fixtures.socketpair[1];
                case TCP_CLIENT -> fixtures.tcp.clientFd();
                case TCP_SERVER -> fixtures.tcp.serverFd();
                case TCP_LISTENER -> io.github.kqueueffm.Descriptors.of(fixtures.tcp.listener());
                case FILE -> fixtures.fileFd;
                case DIR -> fixtures.dirFd;
                case PIDFD -> fixtures.pidfd;
                case OWN_KQ -> kqFd >= 0 ? kqFd : (kqFd = kq.descriptor());
                case OTHER_KQ -> otherFd >= 0 ? otherFd : (otherFd = other.descriptor());
                case CLOSED_FD -> closedFd();
                case CHILD_PID -> fixtures.childPid();
                case OWN_PID -> ProcessHandle.current().pid();
                case PID_1 -> 1;
                case IGNORED_SIGNAL -> fixtures.ignoredSignals[(int) Math.floorMod(ch.raw, fixtures.ignoredSignals.length)];
            };
            if (ch.filter == EVFILT_SIGNAL) {
                v = signalIdent(v);
            }
            return v;
        }

        /** A number whose descriptor was closed (it may be reused later by the JVM: still only an ident). */
        private static synchronized int closedFd() {
            if (closedFd < 0) {
                int[] p = Os.pipe();
                Os.closeQuietly(p);
                closedFd = p[1];
            }
            return closedFd;
        }

        /**
         * Keeps EVFILT_SIGNAL idents away from any signal that is not SIG_IGN here: 1 … 64 map onto
         * an ignored signal; other numbers keep their high bits with a low byte of 0 or an ignored
         * signal.
         */
        private static long signalIdent(long v) {
            int[] ign = fixtures.ignoredSignals;
            if (v >= 1 && v <= 64) {
                return fixtures.isIgnored(v) ? v : ign[(int) (v % ign.length)];
            }
            long high = v & ~0xFFL;
            int low = (int) (v & 0xFF);
            long mapped = high | (low % 2 == 0 ? 0 : ign[low % ign.length]);
            return mapped;
        }
    }

    // ------------------------------------------------------------------ one call and its oracle

    /** Runs one call and checks its outcome; returns whether the kqueue is closed afterwards. */
    private static boolean runCall(KQueue kq, Call c, Resolver resolver, boolean closed, Set<Long> addedKeys,
                                   boolean tracking, StringBuilder log) throws Exception {
        int size = c.changes.size();
        Arena arena = Arena.ofShared();
        Arena confined = Arena.ofConfined();
        KEventList chList = null;
        KEventList evList = null;
        boolean chFreed = false;
        boolean evFreed = false;
        boolean chForeign = c.chList == ListKind.CONFINED;
        boolean evForeign = c.evList == ListKind.CONFINED;
        try {
            if (c.chList != ListKind.NULL) {
                chList = switch (c.chList) {
                    case FREED -> KEventList.allocate(arena, size);
                    case CONFINED -> KEventList.allocate(confined, size);
                    default -> KEventList.allocate(size);
                };
                for (int i = 0; i < size; i++) {
                    Change ch = c.changes.get(i);
                    chList.set(i, resolver.resolve(ch), ch.filter, ch.flags, ch.fflags, ch.data, ch.udata);
                }
                chFreed = c.chList == ListKind.FREED;
            }
            int evCap = c.evCap;
            switch (c.evList) {
                case OWNED -> evList = KEventList.allocate(c.evCap);
                case FREED -> {
                    evList = KEventList.allocate(arena, c.evCap);
                    evFreed = true;
                }
                case CONFINED -> evList = KEventList.allocate(confined, c.evCap);
                case SAME -> {
                    evList = chList;
                    evFreed = chFreed;
                    evForeign = chForeign;
                    evCap = size;
                }
                case NULL -> evList = null;
            }
            if (evList == null) {
                evCap = 0;
            }
            int chCap = chList == null ? 0 : size;
            int nchanges = count(c.nch, c.nchRaw, chCap);
            int nevents = count(c.nev, c.nevRaw, evCap);
            if (chFreed || evFreed) {
                arena.close();
            }

            // what must happen before anything is applied (KQ-09, KQ-11, KQ-12, KQ-08); a list the
            // calling thread cannot access is memory it cannot use, like a freed one
            EnumSet<Errno> pre = EnumSet.noneOf(Errno.class);
            if (nchanges < 0) {
                pre.add(Errno.EINVAL);
            }
            if (nchanges > 0 && (chList == null || chFreed || chForeign || nchanges > chCap)) {
                pre.add(Errno.EFAULT);
            }
            if (nevents > 0 && (evList == null || evFreed || nevents > evCap)) {
                pre.add(Errno.EFAULT);
            }
            // an eventlist the calling thread cannot write: EFAULT, or nothing written at all
            boolean evInaccessible = nevents > 0 && evForeign && !pre.contains(Errno.EFAULT);
            if (closed) {
                pre.add(Errno.EBADF);
            }
            long limit = 3000 + (c.timeout.blocks ? 0 : c.timeout.duration.isNegative() ? 0 : c.timeout.duration.toMillis());
            Outcome o = KeventCall.run(kq, chList, nchanges, evList, nevents, c.timeout.duration, c.action,
                    c.delayMicros, limit);
            log.append(c).append("\n    -> ").append(o);
            String why = judge(c, o, pre, nchanges, nevents, evList, evInaccessible, resolver, addedKeys, tracking);
            if (why != null) {
                throw new AssertionError(why + "\nsequence so far:" + log);
            }
            return closed || (o.actionDone() && c.action == Action.CLOSE);
        } finally {
            if (arena.scope().isAlive()) {
                arena.close();
            }
            confined.close();
            if (chList != null && !chFreed) {
                chList.close();
            }
            if (evList != null && evList != chList && !evFreed) {
                evList.close();
            }
        }
    }

    private static int count(Count kind, int raw, int capacity) {
        return switch (kind) {
            case EXACT -> capacity;
            case ZERO -> 0;
            case FEWER -> Math.floorMod(raw, capacity + 1);
            case NEGATIVE -> raw < 0 ? raw : -1 - raw;
            case OVER -> raw % 5 == 0 ? Integer.MAX_VALUE : capacity + 1 + Math.floorMod(raw, 1000);
        };
    }

    /** Null when the outcome is allowed, else why not. */
    private static String judge(Call c, Outcome o, Set<Errno> pre, int nchanges, int nevents, KEventList ev,
                                boolean evInaccessible, Resolver resolver, Set<Long> addedKeys, boolean tracking) {
        if (o.hang() != null) {
            return "hang: " + o.hang();
        }
        if (o.other() != null) {
            return "undocumented exception type: " + stackTrace(o.other());
        }
        if (!pre.isEmpty()) {
            if (o.actionDone() && c.action == Action.CLOSE) {
                pre = EnumSet.copyOf(pre);
                pre.add(Errno.EBADF); // the close may come before the call even started (MT-04)
            }
            if (o.kx() == null) {
                return "expected KQueueException with one of " + pre + ", got " + o;
            }
            if (o.kx().errno() == Errno.EBADF && o.actionDone() && c.action == Action.CLOSE) {
                return null; // a close racing the call may win before the arguments are looked at (MT-04)
            }
            return pre.contains(o.kx().errno()) ? null : "expected one of " + pre + ", got " + o;
        }
        boolean interrupted = o.actionDone() && c.action == Action.INTERRUPT;
        boolean closedDuring = o.actionDone() && c.action == Action.CLOSE;
        if (o.kx() != null) {
            EnumSet<Errno> allowed = EnumSet.noneOf(Errno.class);
            for (int i = 0; i < nchanges; i++) {
                Change ch = c.changes.get(i);
                if (ch.filter != 0) {
                    allowed.addAll(Oracle.allowed(resolver.resolve(ch), ch.filter, ch.flags, ch.fflags));
                }
            }
            if (nevents < 0 || c.timeout.negative()) {
                allowed.add(Errno.EINVAL); // KQ-10, KQ-18
            }
            if (interrupted) {
                allowed.add(Errno.EINTR); // KQ-20
            }
            if (closedDuring) {
                allowed.add(Errno.EBADF); // MT-04
            }
            if (evInaccessible) {
                allowed.add(Errno.EFAULT); // KQ-11 by analogy with a freed list (BEHAVIOUR.md)
            }
            Errno e = o.kx().errno();
            if (!allowed.contains(e)) {
                return "errno " + e + " (" + o.kx().errnoValue() + ") is not among " + allowed + " for this call";
            }
            if (e == Errno.EINTR && !o.statusAfter()) {
                return "EINTR but the thread's interrupt status was cleared (KQ-20)";
            }
            return null;
        }
        int n = o.n();
        if (n < 0 || n > Math.max(0, nevents)) {
            return "returned " + n + " with nevents " + nevents;
        }
        if (n == 0) {
            return null;
        }
        if (evInaccessible) {
            return "returned " + n + " entries in an eventlist the calling thread cannot access";
        }
        List<KEvent> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            got.add(ev.get(i));
        }
        String asEntries = checkEntries(c, nchanges, got, resolver);
        if (asEntries == null) {
            return null;
        }
        String asEvents = checkEvents(c, nchanges, nevents, got, resolver, addedKeys, tracking);
        if (asEvents == null) {
            return null;
        }
        return "returned " + n + " entries " + got + " that are neither the changes' EV_ERROR/receipt entries ("
                + asEntries + ") nor valid events (" + asEvents + ")";
    }

    /**
     * The entries as EV_ERROR/receipt entries (KQ-34, KQ-35, KQ-38, KQ-42): a subsequence of the
     * changes, in order, with every receipt change present.
     */
    private static String checkEntries(Call c, int nchanges, List<KEvent> got, Resolver resolver) {
        int n = got.size();
        // reach[k]: the first k entries can be matched by the changes seen so far
        boolean[] reach = new boolean[n + 1];
        reach[0] = true;
        for (int i = 0; i < nchanges; i++) {
            Change ch = c.changes.get(i);
            if (ch.filter == 0) {
                continue; // KQ-24: skipped, no entry
            }
            long ident = resolver.resolve(ch);
            boolean receipt = (ch.flags & EV_RECEIPT) != 0;
            Set<Errno> allowed = Oracle.allowed(ident, ch.filter, ch.flags, ch.fflags);
            boolean[] next = new boolean[n + 1];
            for (int k = 0; k <= n; k++) {
                if (!reach[k]) {
                    continue;
                }
                if (!receipt) {
                    next[k] = true; // succeeded silently
                }
                if (k < n) {
                    KEvent e = got.get(k);
                    boolean same = e.ident() == ident && e.filter() == ch.filter && e.udata() == ch.udata
                            && e.flags() == EV_ERROR;
                    Errno errno = Errno.of((int) e.data());
                    boolean dataOk = (receipt && e.data() == 0)
                            || (e.data() != 0 && e.data() == (int) e.data() && allowed.contains(errno));
                    if (same && dataOk) {
                        next[k + 1] = true;
                    }
                }
            }
            reach = next;
        }
        return reach[n] ? null : "no assignment of entries to changes fits";
    }

    /** The entries as collected events (FL-25, KQ-45, US-12): nothing in the call produced an entry. */
    private static String checkEvents(Call c, int nchanges, int nevents, List<KEvent> got, Resolver resolver,
                                      Set<Long> addedKeys, boolean tracking) {
        if (nevents < 0 || c.timeout.negative()) {
            return "events collected although nevents or the timeout is invalid";
        }
        for (int i = 0; i < nchanges; i++) {
            Change ch = c.changes.get(i);
            if (ch.filter != 0 && Oracle.knownFilter(ch.filter) && (ch.flags & EV_RECEIPT) != 0) {
                return "change " + i + " carries EV_RECEIPT, so the call must return its entries only";
            }
            if (ch.filter != 0 && !Oracle.knownFilter(ch.filter)) {
                return "change " + i + " has an unknown filter and fails, so the call must return its entries only";
            }
        }
        Set<Long> seen = new HashSet<>();
        for (KEvent e : got) {
            if (!Oracle.reportableFilter(e.filter())) {
                return "event of filter " + e.filter() + ": " + e;
            }
            if (!seen.add(key(e.ident(), e.filter()))) {
                return "(ident, filter) twice in one call (KQ-45): " + e;
            }
            if ((e.flags() & Oracle.ACTION_BITS) != 0) {
                return "action bits in a returned event (FL-25): " + e;
            }
            if (!addedKeys.contains(key(e.ident(), e.filter())) && !(tracking && e.filter() == EVFILT_PROC)) {
                return "event for an (ident, filter) never added: " + e;
            }
            if ((e.flags() & EV_ERROR) != 0 && e.filter() != EVFILT_TIMER) {
                return "EV_ERROR in a collected event: " + e;
            }
            if (e.filter() == EVFILT_USER && (e.fflags() & ~NOTE_FFLAGSMASK) != 0) {
                return "EVFILT_USER event with control bits in fflags (US-12, US-14): " + e;
            }
            if (e.filter() == EVFILT_TIMER && (e.flags() & EV_ERROR) == 0 && e.data() < 1) {
                return "timer event with data < 1: " + e;
            }
        }
        return null;
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
