package io.github.kqueueffm.properties.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import static io.github.kqueueffm.KEvent.EVFILT_AIO;
import static io.github.kqueueffm.KEvent.EVFILT_FS;
import static io.github.kqueueffm.KEvent.EVFILT_LIO;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_SENDFILE;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_DISABLE;
import static io.github.kqueueffm.KEvent.EV_DISPATCH;
import static io.github.kqueueffm.KEvent.EV_ENABLE;
import static io.github.kqueueffm.KEvent.EV_EOF;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_FORCEONESHOT;
import static io.github.kqueueffm.KEvent.EV_KEEPUDATA;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.EV_RECEIPT;
import static io.github.kqueueffm.KEvent.EV_SYSFLAGS;
import static io.github.kqueueffm.KEvent.NOTE_ABSTIME;
import static io.github.kqueueffm.KEvent.NOTE_FFAND;
import static io.github.kqueueffm.KEvent.NOTE_FFCOPY;
import static io.github.kqueueffm.KEvent.NOTE_FFCTRLMASK;
import static io.github.kqueueffm.KEvent.NOTE_FFLAGSMASK;
import static io.github.kqueueffm.KEvent.NOTE_FFOR;
import static io.github.kqueueffm.KEvent.NOTE_LOWAT;
import static io.github.kqueueffm.KEvent.NOTE_MSECONDS;
import static io.github.kqueueffm.KEvent.NOTE_NSECONDS;
import static io.github.kqueueffm.KEvent.NOTE_SECONDS;
import static io.github.kqueueffm.KEvent.NOTE_TRIGGER;
import static io.github.kqueueffm.KEvent.NOTE_USECONDS;

/**
 * A reference model of one FreeBSD kqueue, written from kevent(2) and the conformance catalogue
 * (docs/conformance.md#s1, rows KQ, FL, RD, WR, TM, US) and sharing no code with kqueue-ffm. It is
 * pure and single-threaded: the world it watches (pipes and AF_UNIX socketpairs) is simulated here
 * too, and the caller reports what the real system calls did and when each kevent call ran.
 *
 * <h2>What it models</h2>
 * <ul>
 * <li>Knotes keyed by (ident, filter); the changelist loop: filter 0 skipped, EV_SYSFLAGS masked,
 *     EV_ERROR entries (ident, filter, udata, ext of the change; flags = EV_ERROR; data = errno;
 *     fflags zeroed for a new knote, masked to NOTE_FFLAGSMASK by EVFILT_USER's touch), EV_RECEIPT,
 *     the early return after the changelist, −1/errno (or 0 for a receipt) when no room is left,
 *     nevents = 0, EFAULT/EINVAL argument checks (KQ-09 – KQ-13, KQ-18, KQ-24 – KQ-42).</li>
 * <li>Every EV_* rule: ADD (create or modify), DELETE, ENABLE, DISABLE (both: EINVAL), ADD+KEEPUDATA
 *     (EINVAL), KEEPUDATA, FORCEONESHOT, the sticky flags ONESHOT, CLEAR, RECEIPT, DISPATCH, unknown
 *     bits stored and echoed as FreeBSD does (FL rows).</li>
 * <li>EVFILT_USER's triggered bit and fflags arithmetic (FFNOP/FFAND/FFOR/FFCOPY, NOTE_TRIGGER,
 *     masking, EV_CLEAR in a change resetting the trigger, the project rule US-14); a one-shot user
 *     knote returns its kn_kevent (fflags 0, data 0) as FreeBSD's scan copies it without touch.</li>
 * <li>EVFILT_READ/WRITE on pipes and socketpairs: READ data = bytes queued (exact), WRITE on a pipe
 *     data = capacity − queued, reported from 512 free bytes up (exact), EV_EOF when the other end is
 *     closed; NOTE_LOWAT for sockets (FreeBSD's pipe filters ignore it). Level-triggered knotes are
 *     returned while the condition holds at collection time (KQ-46, KQ-47); EV_CLEAR/EV_DISPATCH
 *     knotes only after an activation (data arriving, EOF, a change re-evaluating a true condition;
 *     also a pipe write that fails with EAGAIN while data is queued: FreeBSD's pipe_write ends with
 *     pipeselwakeup(), Linux wakes readers whenever epoll polls the pipe).</li>
 * <li>EVFILT_TIMER with a tolerance window: for each timer the model keeps the window of its first
 *     expiry and its period; at a collection spanning [s, e] the undelivered expiry count must lie in
 *     [count(s − tolerance) − delivered, count(e) − delivered] (never early; at most tolerance late).</li>
 * </ul>
 *
 * <h2>Where the model leaves a choice</h2>
 * An {@link Expected} event is "maybe" (may or may not be returned) where FreeBSD and Linux wakeups
 * legitimately differ; the model then follows what the implementation did:
 * <ul>
 * <li>a timer whose expiry lies inside the tolerance window;</li>
 * <li>an EV_CLEAR/EV_DISPATCH WRITE knote after a read that FreeBSD reports as activity but that
 *     frees no Linux page or socket buffer, or after a write on the same pipe (FreeBSD's writer knote
 *     shares the reader's list);</li>
 * <li>a pipe whose 16 pages are all in use while 512 bytes or more are free (Linux cannot accept a
 *     write; FreeBSD's rule would report it);</li>
 * <li>socket WRITE data (free send-buffer memory as Linux accounts it) is only checked to be in
 *     [1, 2²⁴] (EOF: any), and the fflags after EV_EOF may be 0 or the socket error (ECONNRESET when
 *     the peer closed with unread data, EPIPE for the writer).</li>
 * </ul>
 *
 * <p>{@link Allowance}s (off by default) make the model accept the divergences of open bug reports,
 * for triage only.
 *
 * <h2>Deliberate choices (where FreeBSD's behaviour is an artefact)</h2>
 * <ul>
 * <li>A one-shot descriptor knote is re-checked at collection (FreeBSD copies it as it was
 *     activated, possibly stale): it is returned only while its condition holds, with current data.</li>
 * <li>A read never activates the reader's own EV_CLEAR READ knote (RD-05, FL-13); FreeBSD's pipes
 *     re-activate it when PIPE_BUF bytes are free.</li>
 * <li>Knotes of a closed descriptor are gone at once (FreeBSD's knote_fdclose); changes naming a
 *     closed number fail with EBADF (KQ-32, KQ-49, KQ-50).</li>
 * </ul>
 */
public final class KqModel {
    /** FreeBSD's PIPE_BUF: a pipe with less room does not report EVFILT_WRITE. */
    public static final int PIPE_BUF = 512;
    /** The socket WRITE data range the model accepts (Linux's free send-buffer memory). */
    public static final long SOCKET_WRITE_DATA_MAX = 1L << 24;
    /** Timers are capped this far ahead (no overflow into an early expiry). */
    private static final long FAR_FUTURE = 1L << 60;
    private static final int ACTIONS = EV_ADD | EV_DELETE | EV_ENABLE | EV_DISABLE | EV_FORCEONESHOT | EV_KEEPUDATA;
    private static final int UNITS = NOTE_SECONDS | NOTE_MSECONDS | NOTE_USECONDS | NOTE_NSECONDS;

    /** Activation state of an edge-triggered descriptor knote. */
    enum Act { NO, MAYBE, YES }

    // ------------------------------------------------------------------------------- the world

    /** One end of a pipe or socketpair. */
    public static final class End {
        final int fd;
        final String name;
        final Pipe pipe;
        final Socketpair pair;
        final int side; // pipe: 0 read end, 1 write end; socketpair: 0 or 1
        boolean open = true;

        End(int fd, String name, Pipe pipe, Socketpair pair, int side) {
            this.fd = fd;
            this.name = name;
            this.pipe = pipe;
            this.pair = pair;
            this.side = side;
        }

        /** @return the descriptor number */
        public int fd() {
            return fd;
        }

        /** @return whether it is a pipe end */
        public boolean isPipe() {
            return pipe != null;
        }

        /** @return whether it is the read end of a pipe */
        public boolean isPipeReadEnd() {
            return pipe != null && side == 0;
        }

        /** @return whether it is still open */
        public boolean isOpen() {
            return open;
        }

        /** @return the other end */
        public End peer() {
            return pipe != null ? (side == 0 ? pipe.w : pipe.r) : pair.ends[1 - side];
        }

        @Override
        public String toString() {
            return name + "(fd " + fd + ")";
        }
    }

    static final class Pipe {
        final LinuxPipeBuffer buffer;
        End r;
        End w;

        Pipe(LinuxPipeBuffer buffer) {
            this.buffer = buffer;
        }
    }

    static final class Socketpair {
        final End[] ends = new End[2];
        /** queues[i]: bytes waiting to be read at ends[i]. */
        final UnixStreamQueue[] queues = {new UnixStreamQueue(), new UnixStreamQueue()};
        /** reset[i]: ends[1 − i] was closed with unread data (Linux sets ECONNRESET on ends[i]). */
        final boolean[] reset = new boolean[2];
    }

    // ------------------------------------------------------------------------------- knotes

    static final class Timer {
        long firstMin;
        long firstMax;
        long period; // 0: expires once
        long delivered;
        long error; // non-zero: stopped by an invalid re-add, data = errno
        boolean forced;
        boolean forcedLater; // made one-shot by EV_FORCEONESHOT after it started
    }

    static final class Knote {
        final long ident;
        final short filter;
        int flags;
        int sfflags;
        long sdata;
        long udata;
        final long[] ext;
        boolean disabled;
        Act active = Act.NO;
        boolean triggered; // EVFILT_USER
        Timer timer; // EVFILT_TIMER
        End end; // READ, WRITE

        Knote(long ident, short filter, long[] ext) {
            this.ident = ident;
            this.filter = filter;
            this.ext = ext.clone();
        }

        boolean edge() {
            return (flags & (EV_CLEAR | EV_DISPATCH)) != 0;
        }
    }

    private record Key(long ident, short filter) {
    }

    /**
     * Library divergences the model can be told to accept ({@code -Dkqueue.model.allow=NAME,...}):
     * for triage while a reported bug is open, or a platform difference written in BEHAVIOUR.md
     * (the build passes {@link #LOWAT_EDGE}, nothing else). None is accepted by default.
     */
    public enum Allowance {
        /** Pipe READ/WRITE knotes honour NOTE_LOWAT (FreeBSD's pipe filters ignore it). */
        PIPE_LOWAT,
        /**
         * A change to one knote of a descriptor may re-activate the EV_CLEAR/EV_DISPATCH knotes of its
         * other filter (fixed: each side of a descriptor has its own epoll registration).
         */
        EPOLL_REARM,
        /** An event may be returned twice by one call (the second copy is ignored). */
        DUPLICATES,
        /**
         * An EV_CLEAR/EV_DISPATCH socket READ knote with a NOTE_LOWAT threshold of 0 or less may miss
         * an activation whose data was read before the next kevent call (epoll reports no edge then;
         * a Linux platform fact, in BEHAVIOUR.md).
         */
        LOWAT_EDGE
    }

    private final java.util.Set<Allowance> allow;
    private final long toleranceNanos;
    private final ToIntFunction<String> errno;
    private final Map<Key, Knote> knotes = new LinkedHashMap<>();
    private final Map<Integer, End> openEnds = new HashMap<>();
    private int pipes;
    private int pairs;

    /**
     * @param toleranceNanos how late a timer may be (docs/conformance.md#s1.2: 250 ms on CI)
     * @param errno          the host's errno number for a name (for EV_ERROR data and socket errors)
     */
    public KqModel(long toleranceNanos, ToIntFunction<String> errno) {
        this(toleranceNanos, errno, java.util.EnumSet.noneOf(Allowance.class));
    }

    /**
     * @param toleranceNanos how late a timer may be
     * @param errno          the host's errno number for a name
     * @param allow          divergences to accept (triage only)
     */
    public KqModel(long toleranceNanos, ToIntFunction<String> errno, java.util.Set<Allowance> allow) {
        this.allow = allow.isEmpty() ? java.util.EnumSet.noneOf(Allowance.class) : java.util.EnumSet.copyOf(allow);
        this.toleranceNanos = toleranceNanos;
        this.errno = errno;
    }

    // ------------------------------------------------------------------------------- world operations

    /**
     * A new pipe.
     *
     * @return {read end, write end}
     */
    public End[] newPipe(int readFd, int writeFd, int capacity, int pageSize) {
        Pipe p = new Pipe(new LinuxPipeBuffer(capacity, pageSize));
        int n = pipes++;
        p.r = new End(readFd, "pipe" + n + ".r", p, null, 0);
        p.w = new End(writeFd, "pipe" + n + ".w", p, null, 1);
        openEnds.put(readFd, p.r);
        openEnds.put(writeFd, p.w);
        return new End[] {p.r, p.w};
    }

    /**
     * A new AF_UNIX stream socketpair.
     *
     * @return its two ends
     */
    public End[] newSocketpair(int fd0, int fd1) {
        Socketpair s = new Socketpair();
        int n = pairs++;
        s.ends[0] = new End(fd0, "sock" + n + ".a", null, s, 0);
        s.ends[1] = new End(fd1, "sock" + n + ".b", null, s, 1);
        openEnds.put(fd0, s.ends[0]);
        openEnds.put(fd1, s.ends[1]);
        return s.ends.clone();
    }

    /** @return the open end with that descriptor number, or null */
    public End endAt(long fd) {
        return fd < 0 || fd > Integer.MAX_VALUE ? null : openEnds.get((int) fd);
    }

    /** @return bytes queued for reading at an end */
    public long queuedAt(End e) {
        return e.pipe != null ? (e.side == 0 ? e.pipe.buffer.queued() : 0) : e.pair.queues[e.side].queued();
    }

    /** @return buffers queued for reading at a socket end (0 for pipes) */
    public int buffersAt(End e) {
        return e.pair != null ? e.pair.queues[e.side].buffers() : 0;
    }

    /**
     * A non-blocking write(2) on a pipe's write end: the model predicts and applies it.
     *
     * @return bytes written, or −1 (EAGAIN)
     */
    public long pipeWrite(End w, long n) {
        Pipe p = w.pipe;
        long written = p.buffer.write(n);
        // Even a write that fails with EAGAIN wakes the reader: FreeBSD's pipe_write ends with
        // pipeselwakeup() while data is queued; Linux wakes readers whenever epoll polls the pipe.
        if (p.buffer.queued() > 0) {
            activate(p.r, EVFILT_READ, Act.YES);
        }
        activate(p.w, EVFILT_WRITE, Act.MAYBE); // FreeBSD's writer knote sits on the reader's list
        return written;
    }

    /**
     * A write(2) of {@code n} bytes on a socketpair end that the kernel accepted whole.
     */
    public void socketWrite(End x, long n) {
        End y = x.peer();
        x.pair.queues[y.side].append(n);
        activate(y, EVFILT_READ, Act.YES);
    }

    /**
     * A read(2) of up to {@code n} bytes: the model applies it.
     *
     * @return bytes read
     */
    public long read(End e, long n) {
        if (e.pipe != null) {
            Pipe p = e.pipe;
            boolean wasFull = p.buffer.slotFull();
            long read = p.buffer.read(n);
            if (read > 0 && p.w.open) {
                boolean writable = p.buffer.capacity() - p.buffer.queued() >= PIPE_BUF;
                if (writable) {
                    activate(p.w, EVFILT_WRITE, wasFull && !p.buffer.slotFull() ? Act.YES : Act.MAYBE);
                }
            }
            return read;
        }
        long[] r = e.pair.queues[e.side].read(n);
        End x = e.peer();
        if (r[0] > 0 && x.open) {
            activate(x, EVFILT_WRITE, r[1] > 0 ? Act.YES : Act.MAYBE);
        }
        return r[0];
    }

    /** close(2) of an end: its knotes go, the other end sees EOF. */
    public void close(End e) {
        if (!e.open) {
            return;
        }
        e.open = false;
        openEnds.remove(e.fd);
        knotes.remove(new Key(e.fd, EVFILT_READ));
        knotes.remove(new Key(e.fd, EVFILT_WRITE));
        End peer = e.peer();
        if (e.pair != null && e.pair.queues[e.side].queued() > 0) {
            e.pair.reset[peer.side] = true;
        }
        if (peer.open) {
            activate(peer, EVFILT_READ, Act.YES);
            activate(peer, EVFILT_WRITE, Act.YES);
        }
    }

    private void activate(End e, short filter, Act act) {
        Knote kn = knotes.get(new Key(e.fd, filter));
        if (kn != null && kn.end == e && kn.active.ordinal() < act.ordinal()) {
            kn.active = act;
        }
    }

    // ------------------------------------------------------------------------------- kevent

    /** What a kevent call does before collecting, or that it collects. */
    public static final class Outcome {
        /** The errno name if the call fails, else null. */
        public final String error;
        /** The value kevent returns when it does not fail and does not collect (or −1 to collect). */
        public final int returned;
        /** EV_ERROR/receipt entries written to the eventlist, in order. */
        public final List<long[]> entries;

        Outcome(String error, int returned, List<long[]> entries) {
            this.error = error;
            this.returned = returned;
            this.entries = entries;
        }

        /** @return whether the call goes on to collect events */
        public boolean collects() {
            return error == null && returned < 0;
        }

        @Override
        public String toString() {
            if (error != null) {
                return "−1/" + error + (entries.isEmpty() ? "" : " after " + entriesText(entries));
            }
            if (returned < 0) {
                return "collect";
            }
            return returned + (entries.isEmpty() ? "" : " " + entriesText(entries));
        }
    }

    /** @return entries as text */
    public static String entriesText(List<long[]> entries) {
        StringBuilder b = new StringBuilder("[");
        for (long[] e : entries) {
            b.append(b.length() > 1 ? ", " : "").append(entryText(e));
        }
        return b.append(']').toString();
    }

    /** @return one entry {ident, filter, flags, fflags, data, udata, ext0..3} as text */
    public static String entryText(long[] e) {
        return "{" + Names.ident(e[0]) + " " + Names.filter((short) e[1]) + " flags=" + Names.flags((int) e[2])
                + " fflags=0x" + Integer.toHexString((int) e[3]) + " data=" + e[4]
                + (e[5] != 0 ? " udata=0x" + Long.toHexString(e[5]) : "")
                + (e[6] != 0 || e[7] != 0 || e[8] != 0 || e[9] != 0
                        ? " ext=[" + e[6] + ", " + e[7] + ", " + e[8] + ", " + e[9] + "]" : "") + "}";
    }

    /**
     * Applies the changelist part of a kevent call that ran in the monotonic window [s, e]
     * (realtime [rs, re]).
     *
     * @param changes     the change records (at least {@code nchanges} when it is positive)
     * @param nchanges    nchanges as passed
     * @param nevents     nevents as passed
     * @param changeCap   capacity of the changelist passed
     * @param eventCap    capacity of the eventlist passed
     * @param badTimeout  whether the timeout is invalid (negative)
     * @return what the call returns before collecting, or that it collects
     */
    public Outcome kevent(List<ModelChange> changes, int nchanges, int nevents, int changeCap, int eventCap,
                          boolean badTimeout, long s, long e, long rs, long re) {
        List<long[]> entries = new ArrayList<>();
        if (nchanges < 0) {
            return new Outcome("EINVAL", -1, entries);
        }
        if (nchanges > 0 && nchanges > changeCap) {
            return new Outcome("EFAULT", -1, entries);
        }
        if (nevents > 0 && nevents > eventCap) {
            return new Outcome("EFAULT", -1, entries);
        }
        int room = nevents;
        for (int i = 0; i < nchanges; i++) {
            ModelChange c = changes.get(i);
            if (c.filter() == 0) {
                continue;
            }
            int flags = c.flags() & ~EV_SYSFLAGS & 0xFFFF;
            long[] entry = {c.ident(), c.filter(), EV_ERROR, c.fflags(), 0, c.udata(),
                c.ext()[0], c.ext()[1], c.ext()[2], c.ext()[3]};
            String error = register(c, flags, entry, s, e, rs, re);
            if (error != null || (flags & EV_RECEIPT) != 0) {
                if (room <= 0) {
                    return error != null ? new Outcome(error, -1, entries) : new Outcome(null, 0, entries);
                }
                entry[4] = error == null ? 0 : errno.applyAsInt(error);
                entries.add(entry);
                room--;
            }
        }
        if (!entries.isEmpty()) {
            return new Outcome(null, entries.size(), entries);
        }
        if (nevents < 0 || badTimeout) {
            return new Outcome("EINVAL", -1, entries);
        }
        if (nevents == 0) {
            return new Outcome(null, 0, entries);
        }
        return new Outcome(null, -1, entries);
    }

    /** kqueue_register: returns null or the errno name; entry[3] receives the fflags FreeBSD leaves in the change. */
    private String register(ModelChange c, int flags, long[] entry, long s, long e, long rs, long re) {
        short filter = c.filter();
        boolean isFd = filter == EVFILT_READ || filter == EVFILT_WRITE;
        boolean known = isFd || filter == EVFILT_TIMER || filter == EVFILT_USER || filter == EVFILT_AIO
                || filter == EVFILT_LIO || filter == EVFILT_SENDFILE || filter == EVFILT_FS;
        if (!known) {
            return "EINVAL";
        }
        if ((flags & (EV_ENABLE | EV_DISABLE)) == (EV_ENABLE | EV_DISABLE)) {
            return "EINVAL";
        }
        if ((flags & (EV_ADD | EV_KEEPUDATA)) == (EV_ADD | EV_KEEPUDATA)) {
            return "EINVAL";
        }
        End end = null;
        if (isFd) {
            end = endAt(c.ident());
            if (end == null) {
                return "EBADF";
            }
        }
        Key key = new Key(c.ident(), filter);
        Knote kn = knotes.get(key);
        if (kn == null) {
            if ((flags & EV_ADD) == 0) {
                return "ENOENT";
            }
            entry[3] = 0; // kev->fflags and kev->data are zeroed before attach
            kn = new Knote(c.ident(), filter, c.ext());
            kn.sfflags = c.fflags();
            kn.sdata = c.data();
            kn.flags = flags & ~ACTIONS;
            kn.udata = c.udata();
            kn.disabled = (flags & EV_DISABLE) != 0;
            kn.end = end;
            switch (filter) {
                case EVFILT_AIO, EVFILT_LIO, EVFILT_SENDFILE -> {
                    return "EPERM";
                }
                case EVFILT_FS -> {
                    return "ENXIO";
                }
                case EVFILT_TIMER -> {
                    if (!validTimer(kn.sfflags, kn.sdata)) {
                        return "EINVAL";
                    }
                    if ((kn.sfflags & NOTE_ABSTIME) == 0) {
                        kn.flags |= EV_CLEAR;
                    }
                    kn.timer = new Timer();
                    startTimer(kn, s, e, rs, re);
                }
                case EVFILT_USER -> {
                    kn.sfflags &= NOTE_FFLAGSMASK; // project rule US-14
                    kn.triggered = false; // NOTE_TRIGGER at EV_ADD does not trigger (US-05)
                }
                default -> {
                    if (filter == EVFILT_WRITE && end.pipe != null && end.side == 1 && !end.peer().open) {
                        return "EPIPE"; // pipe_kqfilter: the other end of the pipe has been closed
                    }
                }
            }
            knotes.put(key, kn);
        } else {
            if ((flags & EV_DELETE) != 0) {
                knotes.remove(key);
                if (isFd) {
                    rearmOther(key);
                }
                return null;
            }
            if ((flags & EV_FORCEONESHOT) != 0) {
                kn.flags |= EV_ONESHOT;
                kn.active = Act.YES;
                if (kn.timer != null) {
                    kn.timer.forced = true;
                    kn.timer.forcedLater = true;
                }
            }
            if ((flags & EV_ENABLE) != 0) {
                kn.disabled = false;
            } else if ((flags & EV_DISABLE) != 0) {
                kn.disabled = true;
            }
            if ((flags & EV_KEEPUDATA) == 0) {
                kn.udata = c.udata();
            }
            switch (filter) {
                case EVFILT_USER -> userTouch(kn, c, flags, entry);
                case EVFILT_TIMER -> {
                    if ((flags & EV_ADD) != 0) {
                        kn.active = Act.NO;
                        kn.timer.forced = false; // the re-add dequeues the knote after FORCEONESHOT queued it
                        kn.timer.forcedLater = (kn.flags & EV_ONESHOT) != 0 && kn.timer.forcedLater;
                        kn.sfflags = c.fflags();
                        kn.sdata = c.data();
                        kn.timer.delivered = 0;
                        if (!validTimer(kn.sfflags, kn.sdata)) {
                            kn.flags |= EV_ERROR;
                            kn.timer.error = errno.applyAsInt("EINVAL");
                        } else {
                            kn.timer.error = 0;
                            startTimer(kn, s, e, rs, re);
                        }
                    }
                }
                default -> {
                    kn.sfflags = c.fflags();
                    kn.sdata = c.data();
                }
            }
        }
        if (!kn.disabled && filterEvent(kn)) {
            kn.active = Act.YES;
        }
        if (isFd) {
            rearmOther(key);
        }
        return null;
    }

    private void rearmOther(Key key) {
        if (allow.contains(Allowance.EPOLL_REARM)) {
            Knote other = knotes.get(new Key(key.ident, key.filter == EVFILT_READ ? EVFILT_WRITE : EVFILT_READ));
            if (other != null && other.active == Act.NO) {
                other.active = Act.MAYBE;
            }
        }
    }

    private static void userTouch(Knote kn, ModelChange c, int flags, long[] entry) {
        int fflags = c.fflags();
        if ((fflags & NOTE_TRIGGER) != 0) {
            kn.triggered = true;
        }
        int control = fflags & NOTE_FFCTRLMASK;
        int bits = fflags & NOTE_FFLAGSMASK;
        entry[3] = bits;
        switch (control) {
            case NOTE_FFAND -> kn.sfflags &= bits;
            case NOTE_FFOR -> kn.sfflags |= bits;
            case NOTE_FFCOPY -> kn.sfflags = bits;
            default -> {
            }
        }
        kn.sdata = c.data();
        if ((flags & EV_CLEAR) != 0) {
            kn.triggered = false;
        }
    }

    /** f_event at registration (only its truth matters there). */
    private boolean filterEvent(Knote kn) {
        return switch (kn.filter) {
            case EVFILT_USER -> kn.triggered;
            case EVFILT_READ, EVFILT_WRITE -> condition(kn).holds;
            default -> false; // timers: activation is computed from the clock at collection
        };
    }

    private static boolean validTimer(int fflags, long data) {
        return (fflags & ~(UNITS | NOTE_ABSTIME)) == 0 && Integer.bitCount(fflags & UNITS) <= 1 && data >= 0;
    }

    private static long unitNanos(int fflags) {
        if ((fflags & NOTE_SECONDS) != 0) {
            return 1_000_000_000L;
        }
        if ((fflags & NOTE_USECONDS) != 0) {
            return 1_000L;
        }
        if ((fflags & NOTE_NSECONDS) != 0) {
            return 1L;
        }
        return 1_000_000L;
    }

    private static long times(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi == 0 && lo >= 0 ? lo : Long.MAX_VALUE;
    }

    private static void startTimer(Knote kn, long s, long e, long rs, long re) {
        Timer t = kn.timer;
        t.delivered = 0;
        t.forced = false;
        long unit = unitNanos(kn.sfflags);
        if ((kn.sfflags & NOTE_ABSTIME) != 0) {
            long target = times(kn.sdata, unit);
            t.firstMin = s + Math.min(FAR_FUTURE, Math.max(0, target - re));
            t.firstMax = e + Math.min(FAR_FUTURE, Math.max(0, target - rs));
            t.period = 0;
        } else {
            boolean oneShot = (kn.flags & EV_ONESHOT) != 0;
            long count = kn.sdata == 0 && !oneShot ? 1 : kn.sdata;
            long interval = Math.min(FAR_FUTURE, times(count, unit));
            t.firstMin = s + interval;
            t.firstMax = e + interval;
            t.period = oneShot ? 0 : Math.max(1, interval);
        }
    }

    private static long expiries(long first, long period, long at) {
        if (at - first < 0) {
            return 0;
        }
        return period == 0 ? 1 : 1 + (at - first) / period;
    }

    // ------------------------------------------------------------------------------- conditions

    /** A descriptor knote's condition now. */
    static final class Cond {
        boolean holds;
        boolean ambiguous;
        boolean eof;
        long dataMin;
        long dataMax;
        int[] fflags = {0};
    }

    private Cond condition(Knote kn) {
        End end = kn.end;
        Cond c = new Cond();
        End peer = end.peer();
        boolean lowat = (kn.sfflags & NOTE_LOWAT) != 0;
        if (end.pipe != null) {
            LinuxPipeBuffer buf = end.pipe.buffer;
            if (kn.filter == EVFILT_READ) {
                c.eof = !peer.open;
                c.dataMin = c.dataMax = buf.queued(); // NOTE_LOWAT: FreeBSD's filt_piperead ignores it
                boolean libraryLowat = lowat && allow.contains(Allowance.PIPE_LOWAT);
                c.holds = c.eof || buf.queued() >= (libraryLowat ? kn.sdata : 1);
                // with a threshold of 0 or less an empty pipe qualifies, but epoll reports no edge for it
                c.ambiguous = libraryLowat && !c.eof && c.holds && buf.queued() == 0;
            } else {
                if (!peer.open) {
                    c.eof = true;
                    c.holds = true;
                    c.dataMin = c.dataMax = 0; // WR-07
                } else {
                    long free = buf.capacity() - buf.queued();
                    c.dataMin = c.dataMax = free;
                    boolean libraryLowat = lowat && allow.contains(Allowance.PIPE_LOWAT);
                    c.holds = free >= (libraryLowat ? kn.sdata : PIPE_BUF); // FreeBSD ignores NOTE_LOWAT
                    c.ambiguous = c.holds && (buf.slotFull() || free < PIPE_BUF);
                }
            }
            return c;
        }
        Socketpair pair = end.pair;
        if (kn.filter == EVFILT_READ) {
            long queued = pair.queues[end.side].queued();
            c.dataMin = c.dataMax = queued;
            c.eof = !peer.open;
            if (c.eof) {
                c.holds = true;
                c.fflags = pair.reset[end.side] ? new int[] {0, errno.applyAsInt("ECONNRESET")} : new int[] {0};
            } else {
                c.holds = queued >= (lowat ? kn.sdata : 1);
                c.ambiguous = allow.contains(Allowance.LOWAT_EDGE) && kn.edge() && c.holds && queued == 0;
            }
        } else {
            c.eof = !peer.open;
            if (c.eof) {
                c.holds = true;
                c.dataMin = 0;
                c.dataMax = SOCKET_WRITE_DATA_MAX;
                c.fflags = new int[] {0, errno.applyAsInt("EPIPE"), errno.applyAsInt("ECONNRESET")};
            } else {
                c.dataMin = 1;
                c.dataMax = SOCKET_WRITE_DATA_MAX;
                if (!lowat || kn.sdata <= 4096) {
                    c.holds = true;
                } else if (kn.sdata >= SOCKET_WRITE_DATA_MAX) {
                    c.holds = false;
                } else {
                    c.holds = true;
                    c.ambiguous = true;
                }
            }
        }
        return c;
    }

    // ------------------------------------------------------------------------------- collection

    /** The events a collection in [s, e] may return, keyed like the knotes. */
    public final class Scan {
        final Map<Key, Expected> expected = new LinkedHashMap<>();
        final Map<Key, Cond> conds = new HashMap<>();

        /** @return the allowed events */
        public List<Expected> events() {
            return new ArrayList<>(expected.values());
        }

        /** @return whether an event is required */
        public boolean anyRequired() {
            for (Expected x : expected.values()) {
                if (x.required()) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return expected.values().toString();
        }
    }

    /**
     * The events a collection may return.
     *
     * @param lowAt the time before which every timer expiry must have been counted (the collection's
     *              start, or the end of a wait that returned nothing), before the tolerance is applied
     * @param highAt the latest time of the collection (no expiry after it may be counted)
     * @return the allowed events
     */
    public Scan scan(long lowAt, long highAt) {
        Scan scan = new Scan();
        long lo = lowAt - toleranceNanos;
        for (Map.Entry<Key, Knote> entry : knotes.entrySet()) {
            Knote kn = entry.getValue();
            if (kn.disabled) {
                continue;
            }
            Expected x = switch (kn.filter) {
                case EVFILT_USER -> user(kn);
                case EVFILT_TIMER -> timer(kn, lo, highAt);
                case EVFILT_READ, EVFILT_WRITE -> descriptor(kn, scan, entry.getKey());
                default -> null;
            };
            if (x != null) {
                scan.expected.put(entry.getKey(), x);
            }
        }
        return scan;
    }

    private Expected user(Knote kn) {
        if ((kn.flags & EV_ONESHOT) != 0) {
            if (kn.active == Act.NO) {
                return null;
            }
            return new Expected(kn.ident, kn.filter, kn.flags, new int[] {0}, 0, 0, kn.udata, kn.ext, true,
                    "one-shot user knote, copied as kn_kevent");
        }
        if (!kn.triggered) {
            return null;
        }
        return new Expected(kn.ident, kn.filter, kn.flags, new int[] {kn.sfflags}, kn.sdata, kn.sdata, kn.udata,
                kn.ext, true, "triggered");
    }

    private Expected timer(Knote kn, long lo, long hi) {
        Timer t = kn.timer;
        if (t.error != 0) {
            return new Expected(kn.ident, kn.filter, kn.flags, new int[] {0}, t.error, t.error, kn.udata, kn.ext,
                    true, "invalid re-add");
        }
        long low = Math.max(0, expiries(t.firstMax, t.period, lo) - t.delivered);
        long high = Math.max(0, expiries(t.firstMin, t.period, hi) - t.delivered);
        if (t.forcedLater) {
            low = Math.min(low, 1);
        }
        if (t.forced) {
            return new Expected(kn.ident, kn.filter, kn.flags, new int[] {0}, low, high, kn.udata, kn.ext, true,
                    "EV_FORCEONESHOT");
        }
        if (high == 0) {
            return null;
        }
        return new Expected(kn.ident, kn.filter, kn.flags, new int[] {0}, Math.max(1, low), high, kn.udata, kn.ext,
                low >= 1, low >= 1 ? "expired" : "may have expired");
    }

    private Expected descriptor(Knote kn, Scan scan, Key key) {
        Cond c = condition(kn);
        scan.conds.put(key, c);
        if (!c.holds) {
            return null;
        }
        boolean required;
        String why;
        if (!kn.edge()) {
            required = !c.ambiguous;
            why = "level, condition holds";
        } else {
            if (kn.active == Act.NO) {
                return null;
            }
            required = kn.active == Act.YES && !c.ambiguous;
            why = "activated (" + kn.active + ")";
        }
        if (c.ambiguous) {
            why += "; pipe pages all in use or threshold undecidable";
        }
        return new Expected(kn.ident, kn.filter, kn.flags | (c.eof ? EV_EOF : 0), c.fflags, c.dataMin, c.dataMax,
                kn.udata, kn.ext, required, why);
    }

    /**
     * Checks a collection's result against a {@link Scan} and applies the deliveries.
     *
     * @param scan    what the model allowed
     * @param actual  the returned events, {ident, filter, flags, fflags, data, udata, ext0..3} each
     * @param nevents room the call had
     * @return null, or the divergence
     */
    public String deliver(Scan scan, List<long[]> actual, int nevents) {
        StringBuilder problems = new StringBuilder();
        if (actual.size() > nevents) {
            problems.append("returned ").append(actual.size()).append(" events with room for ").append(nevents)
                    .append("; ");
        }
        boolean truncated = actual.size() >= nevents;
        Map<Key, long[]> seen = new LinkedHashMap<>();
        for (long[] a : actual) {
            Key key = new Key(a[0], (short) a[1]);
            if (seen.put(key, a) != null) {
                if (!allow.contains(Allowance.DUPLICATES)) {
                    problems.append("duplicate ").append(entryText(a)).append("; ");
                }
                continue;
            }
            Expected x = scan.expected.get(key);
            if (x == null) {
                problems.append("unexpected ").append(entryText(a)).append("; ");
                continue;
            }
            String m = x.mismatch((int) a[2], (int) a[3], a[4], a[5], new long[] {a[6], a[7], a[8], a[9]});
            if (m != null) {
                problems.append(entryText(a)).append(": ").append(m).append(" [").append(x.why()).append("]; ");
            }
        }
        if (!truncated) {
            for (Map.Entry<Key, Expected> x : scan.expected.entrySet()) {
                if (x.getValue().required() && !seen.containsKey(x.getKey())) {
                    problems.append("missing ").append(x.getValue()).append(" [").append(x.getValue().why())
                            .append("]; ");
                }
            }
        }
        if (!problems.isEmpty()) {
            return problems.toString();
        }
        // what was not returned
        for (Map.Entry<Key, Knote> entry : knotes.entrySet()) {
            Knote kn = entry.getValue();
            if (seen.containsKey(entry.getKey()) || kn.disabled) {
                continue;
            }
            if (kn.filter == EVFILT_READ || kn.filter == EVFILT_WRITE) {
                Cond c = scan.conds.get(entry.getKey());
                boolean wasCandidate = scan.expected.containsKey(entry.getKey());
                if (truncated) {
                    if (c != null && !c.holds && kn.active == Act.YES) {
                        kn.active = Act.MAYBE; // it may or may not have been looked at
                    }
                } else if (!wasCandidate || !scan.expected.get(entry.getKey()).required()) {
                    kn.active = Act.NO;
                }
            } else if (kn.filter == EVFILT_USER && !truncated && !kn.triggered && (kn.flags & EV_ONESHOT) == 0) {
                kn.active = Act.NO;
            }
        }
        // apply deliveries
        List<Key> rearm = new ArrayList<>();
        for (Map.Entry<Key, long[]> d : seen.entrySet()) {
            Knote kn = knotes.get(d.getKey());
            long data = d.getValue()[4];
            if ((kn.flags & EV_ONESHOT) != 0) {
                knotes.remove(d.getKey());
                if (kn.end != null) {
                    rearm.add(d.getKey()); // its epoll registration changes
                }
                continue;
            }
            switch (kn.filter) {
                case EVFILT_USER -> {
                    if ((kn.flags & EV_CLEAR) != 0) {
                        kn.triggered = false;
                    }
                }
                case EVFILT_TIMER -> {
                    if ((kn.flags & EV_CLEAR) != 0) {
                        if (kn.timer.error != 0) {
                            kn.timer.error = 0;
                            kn.timer.firstMin = kn.timer.firstMax = Long.MAX_VALUE; // stopped
                            kn.timer.period = 0;
                        } else {
                            kn.timer.delivered += data;
                        }
                    }
                }
                default -> {
                }
            }
            if (kn.edge()) {
                kn.active = Act.NO;
                if ((kn.flags & EV_DISPATCH) != 0) {
                    kn.disabled = true;
                    if (kn.end != null) {
                        rearm.add(d.getKey());
                    }
                }
            }
        }
        for (Key key : rearm) {
            rearmOther(key);
        }
        return null;
    }

    /** @return the model's knotes, for printing */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (Knote kn : knotes.values()) {
            b.append(b.isEmpty() ? "" : ", ").append(Names.ident(kn.ident)).append(' ').append(Names.filter(kn.filter))
                    .append(" flags=").append(Names.flags(kn.flags));
            if (kn.disabled) {
                b.append(" disabled");
            }
            if (kn.filter == EVFILT_READ || kn.filter == EVFILT_WRITE) {
                b.append(" active=").append(kn.active);
            } else if (kn.filter == EVFILT_USER) {
                b.append(kn.triggered ? " triggered" : "").append(" fflags=0x").append(Integer.toHexString(kn.sfflags))
                        .append(" data=").append(kn.sdata);
            } else if (kn.filter == EVFILT_TIMER) {
                b.append(" delivered=").append(kn.timer.delivered);
            }
        }
        for (End e : openEnds.values()) {
            if (e.pipe != null && e.side == 0) {
                b.append("; ").append(e.name).append(": ").append(e.pipe.buffer);
            } else if (e.pair != null) {
                b.append("; ").append(e.name).append(": ").append(e.pair.queues[e.side]);
            }
        }
        return b.toString();
    }

    /** @return whether some knote could fire later by itself (an enabled timer) */
    public long earliestTimerDeadline() {
        long best = Long.MAX_VALUE;
        for (Knote kn : knotes.values()) {
            if (kn.timer != null && !kn.disabled && kn.timer.error == 0) {
                Timer t = kn.timer;
                long next;
                if (t.period == 0) {
                    if (t.delivered > 0 || t.firstMax == Long.MAX_VALUE) {
                        continue;
                    }
                    next = t.firstMax;
                } else {
                    next = t.firstMax + t.delivered * t.period; // the (delivered+1)-th expiry, at the latest
                }
                best = Math.min(best, next);
            }
        }
        return best;
    }
}
