package io.github.kqueueffm.linux;

import io.github.kqueueffm.core.Knote;

import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DISPATCH;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.NOTE_LOWAT;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLET;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLIN;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLOUT;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLRDHUP;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CTL_ADD;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CTL_DEL;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CTL_MOD;

/**
 * The per-descriptor interest record that joins the READ, WRITE and EMPTY knotes of one
 * descriptor into one epoll registration (epoll allows one per descriptor and epoll set).
 *
 * <p>The registration is level-triggered only when every enabled knote on it is a plain level
 * knote whose condition epoll reports exactly (no EV_CLEAR, EV_DISPATCH, EV_ONESHOT or low-water
 * mark, on a socket or pipe): epoll then re-reports it while it holds and the core need not
 * re-check it on every call. Otherwise it is edge-triggered and the core's re-check provides the
 * level behaviour, so EV_CLEAR on one direction never turns the other edge-triggered.
 *
 * <p>{@code epoll_data} holds generation and descriptor: an event from a registration this
 * record no longer owns (the descriptor was closed and its number reused) is recognised and
 * dropped.
 */
final class FdInterest {
    final int fd;
    final int generation;
    final DescriptorKind kind;
    final long dev;
    final long ino;

    Knote read;
    Knote write;
    Knote empty;
    Knote procdesc;
    Knote vnode;

    /** SO_RCVLOWAT of a socket when its read knote attached. */
    int rcvLowat = 1;
    /** F_GETPIPE_SZ when the write knote attached. */
    int pipeCapacity;
    /** The readiness mask epoll or poll last reported. */
    int lastEvents;
    /** SO_ERROR read once after EPOLLERR on a stream socket (reading clears it in the kernel). */
    int soError;
    /** The inotify watch of a regular file's read knote, or −1. */
    int watch = -1;
    /** The inotify watch of the vnode knote, or −1. */
    int vnodeWatch = -1;
    /** st_blocks when the vnode knote last looked: a growth without new blocks is a truncate. */
    long vnodeBlocks;
    /** The mount the vnode knote's file is on (fdinfo mnt_id), or −1. */
    long mountId = -1;
    /**
     * The number is known to name this record's file until the end of the current scan: epoll
     * reported the registration in this call, or the identity was checked. Otherwise the next
     * check of one of its knotes compares (st_dev, st_ino) first (§3.3).
     */
    boolean verified;

    private boolean registered;
    private int registeredEvents;

    FdInterest(int fd, int generation, DescriptorKind kind, long dev, long ino) {
        this.fd = fd;
        this.generation = generation;
        this.kind = kind;
        this.dev = dev;
        this.ino = ino;
    }

    /** @return the epoll_data value that names this record */
    long tag() {
        return ((long) generation << 32) | (fd & 0xFFFFFFFFL);
    }

    boolean isEmpty() {
        return read == null && write == null && empty == null && procdesc == null && vnode == null;
    }

    /** @return whether epoll re-reports this enabled level knote by itself */
    boolean levelTriggered() {
        return registered && (registeredEvents & EPOLLET) == 0;
    }

    /**
     * Brings the epoll registration in line with the knotes.
     *
     * @return 0 or the errno of a failed epoll_ctl
     */
    int update(int epfd, Scratch scratch) {
        if (!kind.pollable()) {
            return 0;
        }
        if (isEmpty()) {
            if (registered) {
                registered = false;
                scratch.epollCtl(epfd, EPOLL_CTL_DEL, fd, 0, 0); // EBADF/ENOENT: it is gone already
            }
            return 0;
        }
        int wanted = 0;
        boolean level = true;
        if (enabled(read)) {
            wanted |= EPOLLIN | EPOLLRDHUP;
            level &= plainLevel(read) && (kind == DescriptorKind.SOCKET || kind == DescriptorKind.PIPE)
                    && rcvLowat <= 1;
        }
        if (enabled(write)) {
            wanted |= EPOLLOUT;
            level &= plainLevel(write) && kind == DescriptorKind.SOCKET;
        }
        if (enabled(empty)) {
            wanted |= EPOLLOUT;
            level = false;
        }
        if (procdesc != null) {
            wanted |= EPOLLIN; // readable once the process has exited
            level = false;
        }
        int events = wanted | (level && wanted != 0 ? 0 : EPOLLET);
        if (registered && events == registeredEvents) {
            return 0;
        }
        int error = scratch.epollCtl(epfd, registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, events, tag());
        if (error == Errors.EEXIST) {
            error = scratch.epollCtl(epfd, EPOLL_CTL_MOD, fd, events, tag());
        }
        if (error != 0) {
            return error;
        }
        registered = true;
        registeredEvents = events;
        return 0;
    }

    /** Marks the registration as absent, before it is redone in a rebuilt epoll set. */
    void forgetRegistration() {
        registered = false;
        registeredEvents = 0;
    }

    private static boolean enabled(Knote kn) {
        return kn != null && !kn.has(Knote.DISABLED);
    }

    private boolean plainLevel(Knote kn) {
        boolean lowWater = (kn.sfflags & NOTE_LOWAT) != 0 && kind == DescriptorKind.SOCKET; // pipes ignore it
        return (kn.flags & (EV_CLEAR | EV_DISPATCH | EV_ONESHOT)) == 0 && !lowWater;
    }
}
