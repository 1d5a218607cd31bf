package io.github.kqueueffm.properties;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.properties.model.KqModel;
import io.github.kqueueffm.properties.model.ModelChange;
import io.github.kqueueffm.tests.support.HostOs;
import io.github.kqueueffm.tests.support.Os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.NOTE_ABSTIME;
import static io.github.kqueueffm.KEvent.NOTE_NSECONDS;
import static io.github.kqueueffm.KEvent.NOTE_SECONDS;
import static io.github.kqueueffm.KEvent.NOTE_USECONDS;

/**
 * Runs one command sequence against a fresh real {@link KQueue} (real pipes and socketpairs) and
 * the {@link KqModel} side by side. After every kevent call the returned value or errno, the
 * EV_ERROR/receipt entries (in order) and the collected events (as a set, with the count) must be
 * what the model allows; the first difference ends the run with a {@link Divergence} carrying the
 * readable trace of every step so far. Every descriptor and the kqueue are closed at the end,
 * whatever happened.
 */
final class SequenceRunner {
    /** How late a timer may be (docs/conformance.md#s1.2: ≤ 250 ms on CI). */
    static final long TOLERANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Bytes the model lets queue on one socketpair direction (Linux keeps the writer writable). */
    static final int SOCKET_BYTES = 8192;
    /** Writes the model lets queue on one socketpair direction. */
    static final int SOCKET_BUFFERS = 8;
    /** Pipes and socketpairs one sequence may create. */
    static final int MAX_OBJECTS = 10;
    private static final int PAGE = 4096;
    private static final int CHANGE_ROOM = SequenceGen.MAX_CHANGES;
    private static final int EVENT_ROOM = 6;

    /** A difference between the library and the model. */
    static final class Divergence extends AssertionError {
        private static final long serialVersionUID = 1L;

        Divergence(String message) {
            super(message);
        }
    }

    private static final ThreadLocal<MemorySegment> BUFFER =
            ThreadLocal.withInitial(() -> Arena.global().allocate(70_000).fill((byte) 'x'));

    /** What one read(2) or write(2) of {@link #BUFFER} did: the bytes, or −1 and the errno name. */
    private record Io(long result, String errno) {
        static Io write(int fd, long n) {
            try {
                return new Io(HostOs.current().write(fd, BUFFER.get(), n), null);
            } catch (HostOs.CallException x) {
                return new Io(-1, x.errno());
            }
        }

        static Io read(int fd, long n) {
            try {
                return new Io(HostOs.current().read(fd, BUFFER.get(), n), null);
            } catch (HostOs.CallException x) {
                return new Io(-1, x.errno());
            }
        }

        @Override
        public String toString() {
            return errno == null ? Long.toString(result) : "-1 (errno " + errno + ")";
        }
    }

    private final OpSequence sequence;
    private final StringBuilder trace = new StringBuilder();
    private final KqModel model = new KqModel(TOLERANCE_NANOS, name -> Errno.valueOf(name).value(), allowances());
    private final List<KqModel.End> ends = new ArrayList<>();
    private final List<Integer> openFds = new ArrayList<>();
    private int objects;
    private int kevents;

    private SequenceRunner(OpSequence sequence) {
        this.sequence = sequence;
    }

    /**
     * Runs a sequence.
     *
     * @return the number of kevent calls made
     * @throws Divergence with the trace, at the first difference
     */
    static int run(OpSequence sequence) {
        return new SequenceRunner(sequence).execute();
    }

    private int execute() {
        KQueue kq;
        try {
            kq = KQueue.open();
        } catch (KQueueException e) {
            throw new IllegalStateException("kqueue() failed", e);
        }
        try {
            int step = 0;
            for (Op op : sequence.ops()) {
                step++;
                if (op instanceof Op.Nop) {
                    continue;
                }
                String result;
                try {
                    result = apply(kq, op);
                } catch (Divergence d) {
                    line(step, op, "DIVERGENCE");
                    throw new Divergence(d.getMessage() + "\nat step " + step + " (" + op + ")\ntrace:" + trace
                            + "\nmodel state: " + model.describe());
                }
                line(step, op, result);
            }
            return kevents;
        } finally {
            kq.close();
            for (int fd : openFds) {
                Os.closeQuietly(fd);
            }
        }
    }

    private void line(int step, Op op, String result) {
        trace.append(String.format("%n  %3d. %s%n       → %s", step, op, result));
    }

    private String apply(KQueue kq, Op op) {
        return switch (op) {
            case Op.NewPipe p -> newPipe();
            case Op.NewSocketpair s -> newSocketpair();
            case Op.Write w -> write(w);
            case Op.Read r -> read(r);
            case Op.Close c -> close(c);
            case Op.Sleep s -> {
                LockSupport.parkNanos(s.micros() * 1000L);
                yield "slept";
            }
            case Op.Kevent k -> kevent(kq, k);
            case Op.Nop n -> "";
        };
    }

    // ------------------------------------------------------------------------------- descriptors

    private String newPipe() {
        if (objects >= MAX_OBJECTS) {
            return "skipped (enough objects)";
        }
        objects++;
        int[] fds = Os.pipe();
        openFds.add(fds[0]);
        openFds.add(fds[1]);
        int capacity = Os.pipeCapacity(fds[1]);
        KqModel.End[] e = model.newPipe(fds[0], fds[1], capacity, PAGE);
        ends.add(e[0]);
        ends.add(e[1]);
        return "end#" + (ends.size() - 2) + " = " + e[0] + ", end#" + (ends.size() - 1) + " = " + e[1]
                + ", capacity " + capacity;
    }

    private String newSocketpair() {
        if (objects >= MAX_OBJECTS) {
            return "skipped (enough objects)";
        }
        objects++;
        int[] fds = Os.socketpair();
        openFds.add(fds[0]);
        openFds.add(fds[1]);
        KqModel.End[] e = model.newSocketpair(fds[0], fds[1]);
        ends.add(e[0]);
        ends.add(e[1]);
        return "end#" + (ends.size() - 2) + " = " + e[0] + ", end#" + (ends.size() - 1) + " = " + e[1];
    }

    private KqModel.End end(int ref) {
        return ends.isEmpty() ? null : ends.get(ref % ends.size());
    }

    private String write(Op.Write w) {
        KqModel.End e = end(w.end());
        if (e == null) {
            return "skipped (no descriptors)";
        }
        if (e.isPipeReadEnd()) {
            e = e.peer();
        }
        if (!e.isOpen() || !e.peer().isOpen()) {
            return "skipped (" + e + " or its peer closed)";
        }
        long n = w.size();
        if (e.isPipe()) {
            long expected = model.pipeWrite(e, n);
            Io got = Io.write(e.fd(), n);
            if (got.result() != expected) {
                throw new Divergence("write(" + e + ", " + n + ") returned " + got
                        + ", the pipe model predicted " + expected);
            }
            return e + ": " + (got.result() < 0 ? "EAGAIN" : got.result() + " written");
        }
        KqModel.End peer = e.peer();
        long room = Math.min(SOCKET_BYTES - model.queuedAt(peer), n);
        if (room <= 0 || model.buffersAt(peer) >= SOCKET_BUFFERS) {
            return "skipped (" + e + ": the model keeps socket queues short)";
        }
        Io got = Io.write(e.fd(), room);
        if (got.result() != room) {
            throw new Divergence("write(" + e + ", " + room + ") returned " + got);
        }
        model.socketWrite(e, got.result());
        return e + ": " + got + " written" + (room < n ? " (of " + n + ")" : "");
    }

    private String read(Op.Read r) {
        KqModel.End e = end(r.end());
        if (e == null) {
            return "skipped (no descriptors)";
        }
        if (e.isPipe() && !e.isPipeReadEnd()) {
            e = e.peer();
        }
        if (!e.isOpen()) {
            return "skipped (" + e + " closed)";
        }
        long queued = model.queuedAt(e);
        Io io = Io.read(e.fd(), r.size());
        long got = io.result();
        long expected = Math.min(queued, r.size());
        if (queued > 0 ? got != expected : got > 0) {
            throw new Divergence("read(" + e + ", " + r.size() + ") returned " + io
                    + " with " + queued + " bytes queued in the model");
        }
        if (got > 0) {
            model.read(e, got);
        }
        return e + ": " + (got < 0 ? io.errno() : got == 0 ? "EOF" : got + " read");
    }

    private String close(Op.Close c) {
        KqModel.End e = end(c.end());
        if (e == null) {
            return "skipped (no descriptors)";
        }
        if (!e.isOpen()) {
            return "skipped (" + e + " closed already)";
        }
        Os.close(e.fd());
        openFds.remove(Integer.valueOf(e.fd()));
        model.close(e);
        return "closed " + e;
    }

    // ------------------------------------------------------------------------------- kevent

    private ModelChange resolve(Op.ChangeSpec spec, StringBuilder notes, long realtimeNow) {
        long ident;
        short filter;
        int fflags = spec.fflags();
        long data = spec.data();
        switch (spec.target()) {
            case END -> {
                KqModel.End e = end(spec.ref());
                if (e == null) {
                    ident = 999_999;
                    filter = spec.write() ? EVFILT_WRITE : EVFILT_READ;
                    notes.append(" [no descriptors yet: fd 999999]");
                } else {
                    ident = e.fd();
                    KqModel.End now = model.endAt(ident);
                    // a pipe end takes its own direction (the number may name a newer end by now)
                    KqModel.End which = now != null ? now : e;
                    filter = which.isPipe() ? (which.isPipeReadEnd() ? EVFILT_READ : EVFILT_WRITE)
                            : spec.write() ? EVFILT_WRITE : EVFILT_READ;
                    if (now == null && HostOs.current().isOpen((int) ident)) {
                        // the number was taken by a descriptor the sequence does not own
                        notes.append(" [fd ").append(ident).append(" reused outside the sequence: fd 999999]");
                        ident = 999_999;
                    } else {
                        notes.append(" [end#").append(spec.ref() % ends.size()).append(" = ")
                                .append(now != null ? now : e + " closed").append(']');
                    }
                }
            }
            case TIMER -> {
                ident = Op.TIMER_IDENTS[spec.ref() % Op.TIMER_IDENTS.length];
                filter = EVFILT_TIMER;
                if ((fflags & NOTE_ABSTIME) != 0) {
                    long unit = (fflags & NOTE_SECONDS) != 0 ? 1_000_000_000L : (fflags & NOTE_USECONDS) != 0 ? 1_000L
                            : (fflags & NOTE_NSECONDS) != 0 ? 1L : 1_000_000L;
                    data = data == Long.MIN_VALUE ? 0 : Math.max(0, realtimeNow / unit + data);
                    notes.append(" [absolute data ").append(data).append(']');
                }
            }
            case USER -> {
                ident = Op.USER_IDENTS[spec.ref() % Op.USER_IDENTS.length];
                filter = EVFILT_USER;
            }
            case BAD_FD -> {
                ident = Op.BAD_FDS[spec.ref() % Op.BAD_FDS.length];
                filter = spec.write() ? EVFILT_WRITE : EVFILT_READ;
                if (ident == 999_999 && HostOs.current().isOpen(999_999)) {
                    throw new IllegalStateException("descriptor 999999 is open");
                }
            }
            case OTHER_FILTER -> {
                ident = spec.ref();
                filter = Op.OTHER_FILTERS[spec.ref() % Op.OTHER_FILTERS.length];
            }
            default -> throw new IllegalStateException();
        }
        long e0 = spec.ext0();
        long[] ext = {e0, e0 == 0 ? 0 : ~e0, e0 == 0 ? 0 : e0 * 31, e0 == 0 ? 0 : -e0};
        return new ModelChange(ident, filter, spec.flags(), fflags, data, spec.udata(), ext);
    }

    private String kevent(KQueue kq, Op.Kevent k) {
        kevents++;
        StringBuilder notes = new StringBuilder();
        long realtimeNow = realtimeNanos();
        List<ModelChange> changes = new ArrayList<>();
        for (Op.ChangeSpec spec : k.changes()) {
            changes.add(resolve(spec, notes, realtimeNow));
        }
        int changeCap = Math.max(changes.size(), 1);
        int eventCap = EVENT_ROOM;
        int nchanges = k.nchanges() < 0 ? -1 : k.badChanges() ? changeCap + 1 : changes.size();
        int nevents = k.nevents() == 99 ? eventCap + 1 : k.nevents();

        // the timeout; NULL only when the model says an event is there at once
        Duration timeout;
        long timeoutNanos;
        String timeoutText = k.timeout().toString();
        switch (k.timeout()) {
            case POLL -> timeout = Duration.ZERO;
            case MICRO -> timeout = Duration.ofNanos(1_000);
            case HUNDRED_MICROS -> timeout = Duration.ofNanos(100_000);
            case MILLI -> timeout = Duration.ofMillis(1);
            case NEGATIVE -> timeout = Duration.ofNanos(-1);
            case NULL -> {
                long now = System.nanoTime();
                boolean atOnce = changes.isEmpty() && nchanges == 0 && nevents > 0 && nevents <= eventCap
                        && model.scan(now, now).anyRequired();
                timeout = atOnce ? null : Duration.ofMillis(1);
                timeoutText = atOnce ? "NULL" : "NULL→1ms (nothing due at once)";
            }
            case UNTIL_TIMER -> {
                long deadline = model.earliestTimerDeadline();
                long now = System.nanoTime();
                long wait = deadline == Long.MAX_VALUE ? 1_000_000
                        : Math.max(0, Math.min(deadline - now, 100_000_000)) + TOLERANCE_NANOS + 2_000_000;
                timeout = Duration.ofNanos(wait);
                timeoutText = "until-timer=" + (wait / 1000) + "µs";
            }
            default -> throw new IllegalStateException();
        }
        timeoutNanos = timeout == null ? -1 : timeout.toNanos();

        KEventList changeList = KEventList.allocate(k.sameList() ? Math.max(changeCap, eventCap) : changeCap);
        KEventList eventList = k.sameList() ? changeList : KEventList.allocate(eventCap);
        try {
            for (int i = 0; i < changes.size(); i++) {
                ModelChange c = changes.get(i);
                changeList.set(i, c.ident(), c.filter(), c.flags(), c.fflags(), c.data(), c.udata());
                for (int slot = 0; slot < 4; slot++) {
                    changeList.ext(i, slot, c.ext()[slot]);
                }
            }
            int changeCapacity = changeList.capacity();
            int eventCapacity = eventList.capacity();
            if (k.badChanges()) {
                nchanges = changeCapacity + 1;
            }
            if (k.nevents() == 99) {
                nevents = eventCapacity + 1;
            }
            long rs = realtimeNanos();
            long s = System.nanoTime();
            int returned = 0;
            KQueueException failure = null;
            try {
                returned = kq.kevent(changeList, nchanges, eventList, nevents, timeout);
            } catch (KQueueException e) {
                failure = e;
            }
            long e = System.nanoTime();
            long re = realtimeNanos();

            String call = "changes=" + changes + notes + ", nchanges=" + nchanges + ", nevents=" + nevents
                    + ", timeout=" + timeoutText;
            KqModel.Outcome outcome = model.kevent(changes, nchanges, nevents, changeCapacity, eventCapacity,
                    timeout != null && timeout.isNegative(), s, e, rs, re);
            if (!outcome.collects()) {
                String actualText = failure != null ? "−1/" + failure.errno().name() : Integer.toString(returned);
                List<long[]> written = new ArrayList<>();
                int writtenCount = outcome.entries.size();
                for (int i = 0; i < writtenCount && i < eventCapacity; i++) {
                    written.add(record(eventList, i));
                }
                boolean same = failure != null ? outcome.error != null && failure.errno().name().equals(outcome.error)
                        : outcome.error == null && returned == outcome.returned;
                for (int i = 0; same && i < writtenCount; i++) {
                    same = java.util.Arrays.equals(written.get(i), outcome.entries.get(i));
                }
                if (!same) {
                    throw new Divergence("kevent(" + call + ") returned " + actualText + " "
                            + KqModel.entriesText(written) + "; the model says " + outcome);
                }
                return call + "\n         returned " + outcome;
            }
            if (failure != null) {
                throw new Divergence("kevent(" + call + ") failed with " + failure.errno()
                        + "; the model collects events: " + model.scan(s, e));
            }
            List<long[]> actual = new ArrayList<>();
            for (int i = 0; i < returned && i < eventCapacity; i++) {
                actual.add(record(eventList, i));
            }
            long lowAt = returned == 0 && timeoutNanos > 0 ? Math.min(e, s + timeoutNanos) : s;
            if (returned == 0 && timeout == null) {
                throw new Divergence("kevent(" + call + ") with a NULL timeout returned 0");
            }
            KqModel.Scan scan = model.scan(lowAt, e);
            String problem = model.deliver(scan, actual, nevents);
            String got = returned + " " + KqModel.entriesText(actual);
            if (problem != null) {
                throw new Divergence("kevent(" + call + ") returned " + got + "\n  model allows " + scan
                        + "\n  " + problem);
            }
            return call + "\n         returned " + got + (scan.events().isEmpty() ? "" : "  (model: " + scan + ")");
        } finally {
            changeList.close();
            eventList.close();
        }
    }

    /** Divergences accepted for triage: {@code -Dkqueue.model.allow=PIPE_LOWAT,EPOLL_REARM,...}. */
    static java.util.Set<KqModel.Allowance> allowances() {
        java.util.Set<KqModel.Allowance> set = java.util.EnumSet.noneOf(KqModel.Allowance.class);
        String given = System.getProperty("kqueue.model.allow", "");
        for (String name : given.split(",")) {
            if (!name.isBlank()) {
                set.add(KqModel.Allowance.valueOf(name.trim()));
            }
        }
        return set;
    }

    private static long[] record(KEventList list, int i) {
        return new long[] {list.ident(i), list.filter(i), list.flags(i), list.fflags(i), list.data(i),
            list.udata(i), list.ext(i, 0), list.ext(i, 1), list.ext(i, 2), list.ext(i, 3)};
    }

    private static long realtimeNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    static {
        // KEvent is the only class of the library the model reads constants from
        if (KEvent.EV_ADD != 1) {
            throw new AssertionError();
        }
    }
}
