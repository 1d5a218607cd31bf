package io.github.kqueueffm.linux;

import io.github.kqueueffm.core.Knote;
import io.github.kqueueffm.emul.DescriptorFilter;
import io.github.kqueueffm.emul.Errors;

import java.util.Arrays;

import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DISPATCH;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.NOTE_LOWAT;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLERR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLET;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLHUP;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLIN;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLONESHOT;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLOUT;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLRDHUP;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CTL_ADD;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CTL_DEL;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CTL_MOD;

/**
 * The per-descriptor interest record: what the knotes of one descriptor share (its number,
 * generation, kind and identity, its last readiness and socket error) and its epoll registrations,
 * one per side (READ with PROCDESC, WRITE, EMPTY), each in a set the others do not use (see
 * {@link EpollSets}), so that one side's changes and edges never re-report another. Each filter's
 * own fields live in its side ({@code ReadFilter.Reader}, ...), which the record holds in its slot.
 *
 * <p>A side is registered level-triggered only when its knote is a plain level knote whose
 * condition epoll reports exactly (no EV_CLEAR, EV_DISPATCH, EV_ONESHOT or low-water mark, on a
 * socket or pipe): epoll then re-reports it while it holds and the core need not re-check it on
 * every call. Otherwise it is edge-triggered and the core's re-check provides the level behaviour.
 *
 * <p>{@code epoll_data} holds generation and descriptor: an event from a registration this
 * record no longer owns (the descriptor was closed and its number reused) is recognised and
 * dropped.
 *
 * <p><b>Parking.</b> When the last knote of a socket or pipe goes, its registration is not removed
 * but <em>parked</em> (modified to EPOLLET | EPOLLONESHOT with no events: at most one report, of
 * EPOLLHUP or EPOLLERR, which no knote takes) and the record kept. A later knote on the number
 * modifies the parked registration instead of adding one: epoll answers ENOENT when the number
 * names another file by then and EBADF when it is closed (an epoll registration is the pair of
 * file and number, and goes when its file does), so the record's kind and identity are known
 * good without an fstat, and a delete is one system call that also tells whether the number
 * still names the file (docs/conformance.md#s3.3). Every field is guarded by the kqueue's lock.
 */
final class FdInterest {
    /** The sides of a descriptor, each with a registration of its own. */
    static final int READ_SIDE = 0;
    static final int WRITE_SIDE = 1;
    static final int EMPTY_SIDE = 2;
    private static final int SIDES = 3;
    /** The mask of a side without knotes: no registration (no real mask has every bit set). */
    private static final int ABSENT = -1;

    final int fd;
    /** Changed when a parked record is taken up again: reports of its earlier life are stale. */
    int generation;
    final DescriptorKind kind;
    final long dev;
    final long ino;

    // the slots: each filter's side of this descriptor, or null
    ReadFilter.Reader read;
    WriteFilter.Writer write;
    EmptyFilter.Waiter empty;
    ProcdescFilter.Exit procdesc;
    VnodeFilter.Vnode vnode;

    /** The readiness mask epoll or poll last reported. */
    int lastEvents;
    /** SO_ERROR read once after EPOLLERR on a stream socket (reading clears it in the kernel). */
    int soError;
    /**
     * The number is known to name this record's file until the end of the current scan: epoll
     * reported the registration in this call, or the identity was checked. Otherwise the next
     * check of one of its knotes compares (st_dev, st_ino) first (docs/conformance.md#s3.3). See {@link FdTable}.
     */
    boolean verified;

    /** The set each side's registration is in (see {@link EpollSets}), or −1. */
    private final int[] setOf = {-1, -1, -1};
    /** The mask each side is registered with. */
    private final int[] eventsOf = new int[SIDES];
    /** The set holding this record's parked registration, or −1 (see "Parking"). */
    private int parkedSet = -1;
    /** Bit per side: the last {@link #update} added or modified its registration with events. */
    private int rearmed;
    /** The last {@link #update} parked or removed a registration; {@link #removeResult} is its answer. */
    private boolean removed;
    /** 0 or −errno of that epoll_ctl. */
    private int removeResult;

    FdInterest(int fd, int generation, DescriptorKind kind, long dev, long ino) {
        this.fd = fd;
        this.generation = generation;
        this.kind = kind;
        this.dev = dev;
        this.ino = ino;
    }

    /** @return the epoll_data value that names this record */
    long tag() {
        return EpollEventArray.tag(generation, fd);
    }

    boolean isEmpty() {
        return read == null && write == null && empty == null && procdesc == null && vnode == null;
    }

    /** @return whether this record has no knotes but a parked registration (see "Parking") */
    boolean parked() {
        return parkedSet >= 0 && isEmpty();
    }

    /**
     * @return whether the last {@link #update} added or modified this side's registration with
     *         events, so that epoll queued a report of its current readiness
     */
    boolean rearmed(int side) {
        return (rearmed & (1 << side)) != 0;
    }

    /**
     * @return what the last {@link #update} learnt about the number from parking or removing a
     *         registration: 0 (still this file), −ENOENT (another file), −EBADF (closed); or 1 if
     *         it parked or removed none
     */
    int removeResult() {
        return removed ? removeResult : 1;
    }

    /** @return whether epoll re-reports an enabled level knote of this side by itself */
    boolean levelTriggered(int side) {
        return setOf[side] >= 0 && (eventsOf[side] & EPOLLET) == 0;
    }

    /** @return whether this side's registration is the one in set {@code set} */
    boolean registeredIn(int side, int set) {
        return setOf[side] == set;
    }

    /**
     * Takes in the readiness one registration reported: the bits it watches (and HUP/ERR, which
     * every registration reports) are replaced, the other sides' bits are kept.
     */
    void reported(int set, int events) {
        int watched = EPOLLHUP | EPOLLERR;
        for (int side = 0; side < SIDES; side++) {
            if (setOf[side] == set) {
                watched |= eventsOf[side] & ~EPOLLET;
            }
        }
        lastEvents = (lastEvents & ~watched) | events;
    }

    /**
     * Brings the epoll registrations in line with the knotes; a side whose knotes did not change
     * is not touched (modifying it would report its readiness again).
     *
     * @return 0, or −errno of the first failed epoll_ctl
     */
    int update(EpollSets sets, Scratch scratch) {
        rearmed = 0;
        removed = false;
        if (!kind.pollable()) {
            return 0;
        }
        int error = 0;
        for (int side = 0; side < SIDES; side++) {
            int failed = apply(side, wanted(side), sets, scratch);
            error = error < 0 ? error : failed;
        }
        return error;
    }

    /** @return the epoll mask a side needs (EPOLLET makes it negative), or {@link #ABSENT} */
    private int wanted(int side) {
        int events;
        boolean level;
        switch (side) {
            case READ_SIDE -> {
                if (read == null && procdesc == null) {
                    return ABSENT;
                }
                events = enabled(read) ? EPOLLIN | EPOLLRDHUP : 0;
                level = enabled(read) && plainLevel(read.knote) && read.rcvLowat <= 1
                        && (kind == DescriptorKind.SOCKET || kind == DescriptorKind.PIPE);
                if (procdesc != null) {
                    events |= EPOLLIN; // readable once the process has exited
                    level = false;
                }
            }
            case WRITE_SIDE -> {
                if (write == null) {
                    return ABSENT;
                }
                events = enabled(write) ? EPOLLOUT : 0;
                level = enabled(write) && plainLevel(write.knote)
                        && (kind == DescriptorKind.SOCKET || kind == DescriptorKind.PIPE);
            }
            default -> {
                if (empty == null) {
                    return ABSENT;
                }
                events = enabled(empty) ? EPOLLOUT : 0;
                level = false;
            }
        }
        return events | (level ? 0 : EPOLLET);
    }

    private int apply(int side, int events, EpollSets sets, Scratch scratch) {
        int set = setOf[side];
        if (events == ABSENT) {
            if (set >= 0) {
                setOf[side] = -1;
                remove(set, sets, scratch);
            }
            return 0;
        }
        if (set >= 0 && events == eventsOf[side]) {
            return 0;
        }
        boolean adding = set < 0;
        boolean unparking = adding && parkedSet >= 0;
        if (unparking) {
            set = parkedSet; // no other side is in it: parking happens only to a record's last side
            parkedSet = -1;
        } else if (adding) {
            set = freeSet();
            int error = sets.ensure(set, scratch);
            if (error < 0) {
                return error;
            }
        }
        int epfd = sets.fd(set);
        int error = scratch.epollCtl(epfd, adding && !unparking ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, events, tag());
        if (error == -Errors.EEXIST) {
            error = scratch.epollCtl(epfd, EPOLL_CTL_MOD, fd, events, tag());
        }
        if (error < 0) {
            return error; // a parked registration that fails is gone: the number names another file
        }
        setOf[side] = set;
        eventsOf[side] = events;
        if ((events & (EPOLLIN | EPOLLOUT)) != 0) {
            rearmed |= 1 << side;
        }
        return 0;
    }

    /** Parks a side's registration if it was the record's last, else removes it; keeps the answer. */
    private void remove(int set, EpollSets sets, Scratch scratch) {
        boolean park = isEmpty() && parkedSet < 0 && (kind == DescriptorKind.SOCKET || kind == DescriptorKind.PIPE);
        int result = park
                ? scratch.epollCtl(sets.fd(set), EPOLL_CTL_MOD, fd, EPOLLET | EPOLLONESHOT, tag())
                : scratch.epollCtl(sets.fd(set), EPOLL_CTL_DEL, fd, 0, 0);
        if (park && result == 0) {
            parkedSet = set;
        }
        removed = true;
        removeResult = result;
    }

    /** @return the lowest set none of this descriptor's other sides is registered in */
    private int freeSet() {
        for (int set = 0; ; set++) {
            if (setOf[READ_SIDE] != set && setOf[WRITE_SIDE] != set && setOf[EMPTY_SIDE] != set) {
                return set;
            }
        }
    }

    /** Removes every registration of this record from its set (the number names another file now). */
    void withdraw(EpollSets sets, Scratch scratch) {
        for (int side = 0; side < SIDES; side++) {
            if (setOf[side] >= 0) {
                scratch.epollCtl(sets.fd(setOf[side]), EPOLL_CTL_DEL, fd, 0, 0);
                setOf[side] = -1;
            }
        }
        if (parkedSet >= 0) {
            scratch.epollCtl(sets.fd(parkedSet), EPOLL_CTL_DEL, fd, 0, 0);
            parkedSet = -1;
        }
    }

    /** Marks the registrations as absent, before they are redone in rebuilt epoll sets. */
    void forgetRegistration() {
        Arrays.fill(setOf, -1);
        parkedSet = -1;
    }

    private static boolean enabled(DescriptorFilter.Side<FdInterest> side) {
        return side != null && !side.knote.has(Knote.DISABLED);
    }

    private boolean plainLevel(Knote kn) {
        boolean lowWater = (kn.sfflags & NOTE_LOWAT) != 0 && kind == DescriptorKind.SOCKET; // pipes ignore it
        return (kn.flags & (EV_CLEAR | EV_DISPATCH | EV_ONESHOT)) == 0 && !lowWater;
    }
}
