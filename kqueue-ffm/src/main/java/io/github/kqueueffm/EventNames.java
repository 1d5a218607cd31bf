package io.github.kqueueffm;

import io.github.kqueueffm.platform.Platform;

import java.util.StringJoiner;

import static io.github.kqueueffm.KEvent.EVFILT_EMPTY;
import static io.github.kqueueffm.KEvent.EVFILT_PROC;
import static io.github.kqueueffm.KEvent.EVFILT_PROCDESC;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_SIGNAL;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EVFILT_VNODE;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_EOF;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.NOTE_CHILD;
import static io.github.kqueueffm.KEvent.NOTE_EXIT;
import static io.github.kqueueffm.KEvent.NOTE_FFCTRLMASK;
import static io.github.kqueueffm.KEvent.NOTE_FFLAGSMASK;

/**
 * The symbolic names of the {@code EVFILT_*}, {@code EV_*} and per-filter {@code NOTE_*} constants
 * of {@link KEvent}, and what {@code data} means in an event of each filter: the decoding behind
 * {@link KEvent#toString()} and {@link KEvent#describe()}. FreeBSD's names and values, as
 * {@code <sys/event.h>} and {@code kevent(2)} give them.
 */
final class EventNames {
    /** By {@code -filter - 1}. */
    private static final String[] FILTERS = {"EVFILT_READ", "EVFILT_WRITE", "EVFILT_AIO", "EVFILT_VNODE",
        "EVFILT_PROC", "EVFILT_SIGNAL", "EVFILT_TIMER", "EVFILT_PROCDESC", "EVFILT_FS", "EVFILT_LIO",
        "EVFILT_USER", "EVFILT_SENDFILE", "EVFILT_EMPTY"};
    /** By bit; bits 10 and 11 have no name. EV_FLAG2 shares bit 14 with EV_ERROR, the name events carry. */
    private static final String[] FLAGS = {"EV_ADD", "EV_DELETE", "EV_ENABLE", "EV_DISABLE", "EV_ONESHOT",
        "EV_CLEAR", "EV_RECEIPT", "EV_DISPATCH", "EV_FORCEONESHOT", "EV_KEEPUDATA", null, null,
        "EV_DROP", "EV_FLAG1", "EV_ERROR", "EV_EOF"};
    /** NOTE_* names by bit, per filter; null where the bit has none. */
    private static final String[] READ_NOTES = notes("NOTE_LOWAT", "NOTE_FILE_POLL");
    private static final String[] WRITE_NOTES = notes("NOTE_LOWAT");
    private static final String[] VNODE_NOTES = notes("NOTE_DELETE", "NOTE_WRITE", "NOTE_EXTEND", "NOTE_ATTRIB",
            "NOTE_LINK", "NOTE_RENAME", "NOTE_REVOKE", "NOTE_OPEN", "NOTE_CLOSE", "NOTE_CLOSE_WRITE", "NOTE_READ");
    private static final String[] PROC_NOTES = notes("NOTE_TRACK", "NOTE_TRACKERR", "NOTE_CHILD");
    private static final String[] TIMER_NOTES = notes("NOTE_SECONDS", "NOTE_MSECONDS", "NOTE_USECONDS",
            "NOTE_NSECONDS", "NOTE_ABSTIME");
    /** EVFILT_PROC's control bits, from the top: NOTE_EXIT, NOTE_FORK, NOTE_EXEC. */
    static {
        PROC_NOTES[31] = "NOTE_EXIT";
        PROC_NOTES[30] = "NOTE_FORK";
        PROC_NOTES[29] = "NOTE_EXEC";
    }

    private EventNames() {
    }

    /** Names of bits 0, 1, 2, ...; the rest of the 32 bits unnamed. */
    private static String[] notes(String... names) {
        String[] byBit = new String[32];
        System.arraycopy(names, 0, byBit, 0, names.length);
        return byBit;
    }

    static String filter(short filter) {
        int slot = -filter - 1;
        return slot >= 0 && slot < FILTERS.length ? FILTERS[slot] : Short.toString(filter);
    }

    static String flags(int flags) {
        return bits(flags & 0xFFFF, FLAGS);
    }

    static String fflags(short filter, int flags, int fflags) {
        if (fflags == 0) {
            return "0";
        }
        return switch (filter) {
            // With EV_EOF a socket's pending error rides in fflags (kevent(2)).
            case EVFILT_READ, EVFILT_WRITE -> (flags & EV_EOF) != 0 ? Platform.errnoName(fflags)
                    : bits(fflags, filter == EVFILT_READ ? READ_NOTES : WRITE_NOTES);
            case EVFILT_VNODE -> bits(fflags, VNODE_NOTES);
            case EVFILT_PROC -> bits(fflags, PROC_NOTES);
            case EVFILT_PROCDESC -> (fflags & NOTE_EXIT) != 0 ? join("NOTE_EXIT", fflags & ~NOTE_EXIT) : hex(fflags);
            case EVFILT_TIMER -> bits(fflags, TIMER_NOTES);
            case EVFILT_USER -> user(fflags);
            default -> hex(fflags);
        };
    }

    /** EVFILT_USER: NOTE_TRIGGER, the control operation, and the 24 user bits as a number. */
    private static String user(int fflags) {
        StringJoiner names = new StringJoiner("|");
        if ((fflags & KEvent.NOTE_TRIGGER) != 0) {
            names.add("NOTE_TRIGGER");
        }
        switch (fflags & NOTE_FFCTRLMASK) {
            case KEvent.NOTE_FFAND -> names.add("NOTE_FFAND");
            case KEvent.NOTE_FFOR -> names.add("NOTE_FFOR");
            case KEvent.NOTE_FFCOPY -> names.add("NOTE_FFCOPY");
            default -> { }
        }
        int userBits = fflags & ~(KEvent.NOTE_TRIGGER | NOTE_FFCTRLMASK);
        if (userBits != 0) {
            names.add(hex(userBits));
        }
        return names.toString();
    }

    /**
     * What {@code data} holds in an event of this filter, as {@code kevent(2)} returns it.
     */
    static String data(short filter, int flags, int fflags, long data) {
        if ((flags & EV_ERROR) != 0) {
            return data == 0 ? "no error (an EV_RECEIPT entry)" : "error " + Platform.errnoName((int) data);
        }
        boolean eof = (flags & EV_EOF) != 0;
        return switch (filter) {
            case EVFILT_READ -> eof ? "bytes still to read before end of file"
                    : "bytes to read; on a listening socket, connections waiting";
            case EVFILT_WRITE -> eof ? "the reading side is closed" : "bytes of free space to write";
            case EVFILT_EMPTY -> "bytes still in the send buffer";
            case EVFILT_PROC, EVFILT_PROCDESC -> (fflags & NOTE_EXIT) != 0 ? waitStatus(data)
                    : (fflags & NOTE_CHILD) != 0 ? "the parent's pid" : "unused";
            case EVFILT_SIGNAL -> "deliveries since the last report";
            case EVFILT_TIMER -> "expirations since the last report";
            case EVFILT_USER -> "the data of the last change";
            case EVFILT_VNODE -> "unused";
            default -> "filter-specific";
        };
    }

    /** A wait(2) status: exit code, or the signal that ended the process. */
    private static String waitStatus(long status) {
        int low = (int) (status & 0x7f);
        if (low == 0) {
            return "wait status: exited with " + ((status >> 8) & 0xff);
        }
        return "wait status: killed by signal " + low + ((status & 0x80) != 0 ? ", core dumped" : "");
    }

    private static String bits(int value, String[] names) {
        if (value == 0) {
            return "0";
        }
        StringJoiner joined = new StringJoiner("|");
        int unnamed = 0;
        for (int bit = 0; bit < 32; bit++) {
            int mask = 1 << bit;
            if ((value & mask) != 0) {
                if (bit < names.length && names[bit] != null) {
                    joined.add(names[bit]);
                } else {
                    unnamed |= mask;
                }
            }
        }
        if (unnamed != 0) {
            joined.add(hex(unnamed));
        }
        return joined.toString();
    }

    private static String join(String name, int rest) {
        return rest == 0 ? name : name + "|" + hex(rest);
    }

    private static String hex(int value) {
        return "0x" + Integer.toHexString(value);
    }
}
