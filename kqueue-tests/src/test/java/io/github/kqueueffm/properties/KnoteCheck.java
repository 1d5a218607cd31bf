package io.github.kqueueffm.properties;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.properties.model.NoteKnote;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_EOF;

/**
 * Drives one knote of a real {@link KQueue} and its {@link NoteKnote} model side by side, for the
 * fflags properties: each change is made on both, each collection returns what the model says, and
 * every step is written to a trace. The first difference throws an {@link AssertionError} with the
 * trace and the model's state.
 */
final class KnoteCheck implements AutoCloseable {
    /** The wait of a collection that expects an event (the source reports synchronously). */
    static final Duration EXPECTED_WAIT = Duration.ofMillis(200);
    private static final int ROOM = 4;

    private final KQueue kq;
    private final KEventList list;
    private final long ident;
    private final short filter;
    private final NoteKnote model;
    private final List<String> trace = new ArrayList<>();
    private int kevents;

    /**
     * Opens a kqueue for one knote; {@link #add} adds it.
     *
     * @param ident  the knote's ident
     * @param filter its filter
     * @param fflags the notes its EV_ADD asks for
     */
    KnoteCheck(long ident, short filter, int fflags) {
        try {
            this.kq = KQueue.open();
        } catch (KQueueException e) {
            throw new IllegalStateException(e);
        }
        this.list = KEventList.allocate(ROOM);
        this.ident = ident;
        this.filter = filter;
        this.model = new NoteKnote(fflags);
    }

    /**
     * Adds the knote with {@code flags | EV_ADD} and the notes given to the constructor.
     *
     * @param flags the flags of its EV_ADD
     */
    void add(int flags) {
        int fflags = model.sfflags();
        list.set(0, ident, filter, flags | EV_ADD, fflags, 0, 0);
        int r = call(1, 0, Duration.ZERO);
        note("EV_ADD fflags=" + FflagsStep.notes(fflags) + " → " + result(r));
        expect(r == 0, "the first EV_ADD returned " + result(r));
    }

    /** @return the model */
    NoteKnote model() {
        return model;
    }

    /** @return the kevent calls made */
    int kevents() {
        return kevents;
    }

    /** Adds a line to the trace. */
    void note(String line) {
        trace.add(line);
    }

    /**
     * One change, with no room for events; both the kqueue and the model apply it.
     *
     * @param step the change
     */
    void change(FflagsStep.Change step) {
        list.set(0, ident, filter, step.flags(), step.fflags(), 0, 0);
        int r = call(1, 0, Duration.ZERO);
        // a knote that is gone (a process knote after its exit): EV_ENABLE and EV_DISABLE fail
        int expected = model.gone() ? -Errno.ENOENT.value() : 0;
        if (!model.gone()) {
            model.change(step.flags(), step.fflags());
        }
        note(step + " → " + result(r));
        expect(r == expected, "the change returned " + result(r) + ", the model expects " + result(expected));
    }

    private static String result(int r) {
        return r >= 0 ? Integer.toString(r) : "-1 " + Errno.of(-r);
    }

    /**
     * One collection: waits {@link #EXPECTED_WAIT} when the model expects an event, else
     * {@code idleMillis}; the events must be exactly the model's.
     *
     * @param idleMillis the wait when no event is expected
     */
    void collect(int idleMillis) {
        NoteKnote.Event expected = model.peek();
        Duration wait = expected != null ? EXPECTED_WAIT : Duration.ofMillis(idleMillis);
        int n = call(0, ROOM, wait);
        List<String> got = new ArrayList<>();
        boolean match = n == (expected == null ? 0 : 1);
        for (int i = 0; i < n; i++) {
            got.add(describe(list.ident(i), list.filter(i), list.flags(i), list.fflags(i), list.data(i)));
            match &= list.ident(i) == ident && list.filter(i) == filter && expected != null
                    && list.fflags(i) == expected.fflags() && list.data(i) == expected.data()
                    && ((list.flags(i) & EV_EOF) != 0) == expected.eof();
        }
        String want = expected == null ? "[]" : "[" + describe(ident, filter, -1, expected.fflags(), expected.data())
                + (expected.eof() ? " with EV_EOF" : "") + "]";
        note("collect (wait " + wait.toMillis() + " ms) → " + got + (match ? "" : "   ≠ model " + want));
        expect(match, "the collection returned " + got + ", the model expects " + want);
        model.collect();
    }

    private int call(int nchanges, int nevents, Duration timeout) {
        kevents++;
        try {
            return kq.kevent(nchanges > 0 ? list : null, nchanges, nevents > 0 ? list : null, nevents, timeout);
        } catch (KQueueException e) {
            return -e.errnoValue();
        }
    }

    private static String describe(long ident, short filter, int flags, int fflags, long data) {
        return "{ident=" + ident + ", filter=" + filter + (flags >= 0 ? ", flags=0x" + Integer.toHexString(flags) : "")
                + ", fflags=" + FflagsStep.notes(fflags) + ", data=" + data + "}";
    }

    /**
     * Fails with the trace unless {@code ok}.
     *
     * @param ok   the condition
     * @param what what went wrong
     */
    void expect(boolean ok, String what) {
        if (!ok) {
            StringBuilder b = new StringBuilder(what).append("\n  trace:");
            for (String line : trace) {
                b.append("\n    ").append(line);
            }
            b.append("\n  model: ").append(model);
            throw new AssertionError(b.toString());
        }
    }

    @Override
    public void close() {
        list.close();
        try {
            kq.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
