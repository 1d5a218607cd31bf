package io.github.kqueueffm;

/**
 * One {@code struct kevent}: a change to register, or an event returned by
 * {@link KQueue#kevent(KEventList, int, KEventList, int, java.time.Duration)}.
 *
 * <p>This record is the convenient, allocating form; {@link KEventList} is the allocation-free
 * flyweight over native records that the hot path uses. The constants are FreeBSD's names and
 * values ({@code <sys/event.h>}, FreeBSD 14) on every platform.
 *
 * <p>{@link #toString()} prints the constants by name, e.g.
 * {@code KEvent[ident=7, filter=EVFILT_READ, flags=EV_ADD|EV_CLEAR, fflags=0, data=5, udata=0]};
 * {@link #describe()} also says what {@code data} means; {@link #filterName}, {@link #flagNames}
 * and {@link #fflagNames} decode fields read from a {@link KEventList} without making a record.
 *
 * @param ident  identifier: a descriptor, signal, pid, or any 64-bit value for timers and user events
 * @param filter one of the {@code EVFILT_*} constants
 * @param flags  {@code EV_*} bits, the unsigned 16-bit C field widened to {@code int}
 * @param fflags filter-specific {@code NOTE_*} bits, the unsigned 32-bit C field widened to {@code int}
 * @param data   filter-specific data
 * @param udata  opaque user data, returned unchanged
 */
public record KEvent(long ident, short filter, int flags, int fflags, long data, long udata) {

    /** Readable descriptor: bytes to read in {@code data}. */
    public static final short EVFILT_READ = -1;
    /** Writable descriptor: free space in {@code data}. */
    public static final short EVFILT_WRITE = -2;
    /** Asynchronous I/O; kernel-only (EPERM). */
    public static final short EVFILT_AIO = -3;
    /** File and directory changes. */
    public static final short EVFILT_VNODE = -4;
    /** Process events. */
    public static final short EVFILT_PROC = -5;
    /** Signal deliveries. */
    public static final short EVFILT_SIGNAL = -6;
    /** Timers. */
    public static final short EVFILT_TIMER = -7;
    /** Process descriptor events. */
    public static final short EVFILT_PROCDESC = -8;
    /** File system events (not on Linux: ENXIO). */
    public static final short EVFILT_FS = -9;
    /** List I/O; kernel-only (EPERM). */
    public static final short EVFILT_LIO = -10;
    /** User-triggered events. */
    public static final short EVFILT_USER = -11;
    /** sendfile completion; kernel-only (EPERM). */
    public static final short EVFILT_SENDFILE = -12;
    /** Empty send buffer. */
    public static final short EVFILT_EMPTY = -13;
    /** Number of FreeBSD filters. */
    public static final short EVFILT_SYSCOUNT = 13;

    /** Add the event, or modify it if it exists. */
    public static final int EV_ADD = 0x0001;
    /** Delete the event. */
    public static final int EV_DELETE = 0x0002;
    /** Enable the event. */
    public static final int EV_ENABLE = 0x0004;
    /** Disable the event without deleting it. */
    public static final int EV_DISABLE = 0x0008;
    /** Delete the event after its first delivery. */
    public static final int EV_ONESHOT = 0x0010;
    /** Reset the state after each delivery. */
    public static final int EV_CLEAR = 0x0020;
    /** Report every change as an {@code EV_ERROR} entry, also on success. */
    public static final int EV_RECEIPT = 0x0040;
    /** Disable the event after each delivery. */
    public static final int EV_DISPATCH = 0x0080;
    /** Make an existing event one-shot and activate it. */
    public static final int EV_FORCEONESHOT = 0x0100;
    /** On a modify, keep the stored udata. */
    public static final int EV_KEEPUDATA = 0x0200;
    /** Bits reserved for the system, cleared from changes. */
    public static final int EV_SYSFLAGS = 0xF000;
    /** Internal: drop the knote. */
    public static final int EV_DROP = 0x1000;
    /** Filter-private flag. */
    public static final int EV_FLAG1 = 0x2000;
    /** Filter-private flag (same bit as {@link #EV_ERROR}). */
    public static final int EV_FLAG2 = 0x4000;
    /** An error entry: {@code data} holds the errno. */
    public static final int EV_ERROR = 0x4000;
    /** End of file or connection. */
    public static final int EV_EOF = 0x8000;

    /** EVFILT_USER: leave the user flags unchanged. */
    public static final int NOTE_FFNOP = 0x00000000;
    /** EVFILT_USER: AND the user flags. */
    public static final int NOTE_FFAND = 0x40000000;
    /** EVFILT_USER: OR the user flags. */
    public static final int NOTE_FFOR = 0x80000000;
    /** EVFILT_USER: copy the user flags. */
    public static final int NOTE_FFCOPY = 0xC0000000;
    /** EVFILT_USER: mask of the operation bits. */
    public static final int NOTE_FFCTRLMASK = 0xC0000000;
    /** EVFILT_USER: mask of the 24 user flag bits. */
    public static final int NOTE_FFLAGSMASK = 0x00FFFFFF;
    /** EVFILT_USER: trigger the event. */
    public static final int NOTE_TRIGGER = 0x01000000;

    /** EVFILT_READ, EVFILT_WRITE: low-water mark in {@code data}. */
    public static final int NOTE_LOWAT = 0x0001;
    /** EVFILT_READ on a regular file: report even at end of file, as poll(2) does. */
    public static final int NOTE_FILE_POLL = 0x0002;

    /** EVFILT_VNODE: the file was removed. */
    public static final int NOTE_DELETE = 0x0001;
    /** EVFILT_VNODE: the file was written. */
    public static final int NOTE_WRITE = 0x0002;
    /** EVFILT_VNODE: the file grew. */
    public static final int NOTE_EXTEND = 0x0004;
    /** EVFILT_VNODE: attributes changed. */
    public static final int NOTE_ATTRIB = 0x0008;
    /** EVFILT_VNODE: the link count changed. */
    public static final int NOTE_LINK = 0x0010;
    /** EVFILT_VNODE: the file was renamed. */
    public static final int NOTE_RENAME = 0x0020;
    /** EVFILT_VNODE: access was revoked (unmount). */
    public static final int NOTE_REVOKE = 0x0040;
    /** EVFILT_VNODE: the file was opened. */
    public static final int NOTE_OPEN = 0x0080;
    /** EVFILT_VNODE: a descriptor without write access was closed. */
    public static final int NOTE_CLOSE = 0x0100;
    /** EVFILT_VNODE: a descriptor with write access was closed. */
    public static final int NOTE_CLOSE_WRITE = 0x0200;
    /** EVFILT_VNODE: the file was read. */
    public static final int NOTE_READ = 0x0400;

    /** EVFILT_PROC, EVFILT_PROCDESC: the process exited; the wait status is in {@code data}. */
    public static final int NOTE_EXIT = 0x80000000;
    /** EVFILT_PROC: the process forked. */
    public static final int NOTE_FORK = 0x40000000;
    /** EVFILT_PROC: the process called exec. */
    public static final int NOTE_EXEC = 0x20000000;
    /** EVFILT_PROC: mask of the control bits. */
    public static final int NOTE_PCTRLMASK = 0xF0000000;
    /** EVFILT_PROC: mask of the data bits. */
    public static final int NOTE_PDATAMASK = 0x000FFFFF;
    /** EVFILT_PROC: follow forks. */
    public static final int NOTE_TRACK = 0x00000001;
    /** EVFILT_PROC: a child could not be tracked. */
    public static final int NOTE_TRACKERR = 0x00000002;
    /** EVFILT_PROC: this event is for a tracked child; the parent's pid is in {@code data}. */
    public static final int NOTE_CHILD = 0x00000004;

    /** EVFILT_TIMER: {@code data} is in seconds. */
    public static final int NOTE_SECONDS = 0x00000001;
    /** EVFILT_TIMER: {@code data} is in milliseconds (the default). */
    public static final int NOTE_MSECONDS = 0x00000002;
    /** EVFILT_TIMER: {@code data} is in microseconds. */
    public static final int NOTE_USECONDS = 0x00000004;
    /** EVFILT_TIMER: {@code data} is in nanoseconds. */
    public static final int NOTE_NSECONDS = 0x00000008;
    /** EVFILT_TIMER: {@code data} is an absolute CLOCK_REALTIME expiry. */
    public static final int NOTE_ABSTIME = 0x00000010;

    /** kqueuex(2): close-on-exec (always set by kqueue-ffm). */
    public static final int KQUEUE_CLOEXEC = 0x00000001;
    /** kqueuex(2): copy the kqueue to a forked child (FreeBSD 15). */
    public static final int KQUEUE_CPONFORK = 0x00000002;

    /**
     * A change with the given fields.
     *
     * @param ident  the identifier
     * @param filter the filter
     * @param flags  {@code EV_*} bits
     * @param fflags {@code NOTE_*} bits
     * @param data   filter data
     * @param udata  user data
     * @return the record
     */
    public static KEvent of(long ident, short filter, int flags, int fflags, long data, long udata) {
        return new KEvent(ident, filter, flags, fflags, data, udata);
    }

    /**
     * A change with only ident, filter and flags set.
     *
     * @param ident  the identifier
     * @param filter the filter
     * @param flags  {@code EV_*} bits
     * @return the record
     */
    public static KEvent of(long ident, short filter, int flags) {
        return new KEvent(ident, filter, flags, 0, 0, 0);
    }

    /**
     * The name of a filter.
     *
     * @param filter a filter number
     * @return e.g. {@code EVFILT_READ}, or the number for one FreeBSD does not define
     */
    public static String filterName(short filter) {
        return EventNames.filter(filter);
    }

    /**
     * The {@code EV_*} bits of a {@code flags} field, by name.
     *
     * @param flags {@code EV_*} bits (the low 16 bits are read)
     * @return e.g. {@code EV_ADD|EV_CLEAR}; {@code 0} for none; bits without a name in hex
     */
    public static String flagNames(int flags) {
        return EventNames.flags(flags);
    }

    /**
     * The {@code fflags} of a filter, by the names that filter gives them: {@code NOTE_WRITE|NOTE_EXTEND}
     * for EVFILT_VNODE, {@code NOTE_EXIT} for EVFILT_PROC, {@code NOTE_TRIGGER|NOTE_FFCOPY|0xbeef} for
     * EVFILT_USER (the 24 user bits as a number). On EVFILT_READ and EVFILT_WRITE with
     * {@code EV_EOF}, {@code fflags} holds the socket's error, which is named as an errno.
     *
     * @param filter the filter the bits belong to
     * @param flags the {@code EV_*} flags of the same record
     * @param fflags the bits
     * @return their names joined with {@code |}; {@code 0} for none; bits without a name in hex
     */
    public static String fflagNames(short filter, int flags, int fflags) {
        return EventNames.fflags(filter, flags, fflags);
    }

    /**
     * What {@code data} means in this record read as an event that {@code kevent} returned: bytes
     * to read (EVFILT_READ), free space (EVFILT_WRITE), the wait status decoded (EVFILT_PROC and
     * EVFILT_PROCDESC with NOTE_EXIT), deliveries (EVFILT_SIGNAL), expirations (EVFILT_TIMER), the
     * errno by name (an {@code EV_ERROR} entry), and so on per filter.
     *
     * @return a short phrase, e.g. {@code bytes to read; on a listening socket, connections waiting}
     *         or {@code wait status: exited with 7}
     */
    public String dataMeaning() {
        return EventNames.data(filter, flags, fflags, data);
    }

    /**
     * One line for people: the fields by name as in {@link #toString()}, with what {@code data}
     * means ({@link #dataMeaning()}).
     *
     * @return e.g. {@code EVFILT_PROC ident=4242 flags=EV_ONESHOT|EV_EOF fflags=NOTE_EXIT data=1792
     *         (wait status: exited with 7) udata=0}
     */
    public String describe() {
        return filterName(filter) + " ident=" + ident + " flags=" + flagNames(flags) + " fflags="
                + fflagNames(filter, flags, fflags) + " data=" + data + " (" + dataMeaning() + ") udata=" + udata;
    }

    /**
     * The record with its constants by name.
     *
     * @return e.g. {@code KEvent[ident=7, filter=EVFILT_READ, flags=EV_ADD|EV_CLEAR, fflags=0, data=5, udata=0]}
     */
    @Override
    public String toString() {
        return "KEvent[ident=" + ident + ", filter=" + filterName(filter) + ", flags=" + flagNames(flags)
                + ", fflags=" + fflagNames(filter, flags, fflags) + ", data=" + data + ", udata=" + udata + "]";
    }
}
