package io.github.kqueueffm.properties;

import io.github.kqueueffm.properties.model.Names;

import java.util.List;

/**
 * One step of a generated command sequence. Steps name descriptors by the index of an end in the
 * order the sequence created them (modulo their number), so a sequence stays meaningful when
 * shrinking removes steps; a step that cannot apply (nothing created yet, an end already closed)
 * does nothing and says so in the trace.
 */
sealed interface Op {
    /** A step shrinking turned into nothing. */
    record Nop() implements Op {
        @Override
        public String toString() {
            return "nop";
        }
    }

    /** pipe2(O_NONBLOCK). */
    record NewPipe() implements Op {
        @Override
        public String toString() {
            return "pipe";
        }
    }

    /** socketpair(AF_UNIX, SOCK_STREAM|SOCK_NONBLOCK). */
    record NewSocketpair() implements Op {
        @Override
        public String toString() {
            return "socketpair";
        }
    }

    /** write(2) of {@code size} bytes on end {@code end} (a pipe: its write end). */
    record Write(int end, int size) implements Op {
        @Override
        public String toString() {
            return "write end#" + end + " " + size + " bytes";
        }
    }

    /** read(2) of up to {@code size} bytes on end {@code end} (a pipe: its read end). */
    record Read(int end, int size) implements Op {
        @Override
        public String toString() {
            return "read end#" + end + " " + size + " bytes";
        }
    }

    /** close(2) of end {@code end}. */
    record Close(int end) implements Op {
        @Override
        public String toString() {
            return "close end#" + end;
        }
    }

    /** Busy time passing (timer property): {@code micros} µs. */
    record Sleep(int micros) implements Op {
        @Override
        public String toString() {
            return "sleep " + micros + " µs";
        }
    }

    /**
     * One kevent call.
     *
     * @param changes   the change specs (only the first {@code nchanges} are passed, see below)
     * @param nchanges  −1 to pass −1; otherwise the number of specs passed
     * @param nevents   room for events; −1 to pass −1; 99 for one more than the eventlist holds (EFAULT)
     * @param timeout   {@link Timeout}
     * @param sameList  one list as changelist and eventlist (KQ-42)
     * @param badChanges pass one more than the changelist holds (EFAULT)
     */
    record Kevent(List<ChangeSpec> changes, int nchanges, int nevents, Timeout timeout, boolean sameList,
                  boolean badChanges) implements Op {
        @Override
        public String toString() {
            return "kevent(" + changes + (nchanges < 0 ? ", nchanges=-1" : "") + (badChanges ? ", nchanges>capacity" : "")
                    + ", nevents=" + (nevents == 99 ? "capacity+1" : nevents) + ", timeout=" + timeout
                    + (sameList ? ", same list" : "") + ")";
        }
    }

    /** A kevent timeout. */
    enum Timeout {
        /** {0, 0}. */
        POLL,
        /** 1 µs. */
        MICRO,
        /** 100 µs. */
        HUNDRED_MICROS,
        /** 1 ms. */
        MILLI,
        /** NULL when the model has an event to return at once (and no changes), else 1 ms. */
        NULL,
        /** Negative: EINVAL after the changes. */
        NEGATIVE,
        /** Until the earliest enabled timer must have fired (its latest deadline plus the tolerance). */
        UNTIL_TIMER;

        @Override
        public String toString() {
            return switch (this) {
                case POLL -> "0";
                case MICRO -> "1µs";
                case HUNDRED_MICROS -> "100µs";
                case MILLI -> "1ms";
                case NULL -> "NULL";
                case NEGATIVE -> "-1ns";
                case UNTIL_TIMER -> "until-timer";
            };
        }
    }

    /** What a change names. */
    enum Target {
        /** A pipe or socketpair end (by creation index); READ or WRITE. */
        END,
        /** A timer ident from a small table. */
        TIMER,
        /** A user ident from a small table. */
        USER,
        /** A descriptor filter on a number that is not an open end: −1, 2³¹, INT_MAX, 999999. */
        BAD_FD,
        /** Another filter value: 0 (skipped), 1, −20, −99, EVFILT_AIO, EVFILT_FS. */
        OTHER_FILTER
    }

    /** Timer idents: ident 0, small, one equal to a likely descriptor number, 2⁶⁴−1. */
    long[] TIMER_IDENTS = {1, 0, 2, 5, -1};
    /** User idents, overlapping the timer idents (independent namespaces, US-22). */
    long[] USER_IDENTS = {1, 0, 2, 3, -1};
    /** Numbers that are not open ends. */
    long[] BAD_FDS = {999_999, -1, 1L << 31, Integer.MAX_VALUE};
    /** Other filter values. */
    short[] OTHER_FILTERS = {0, 1, -20, -99, -3, -9};

    /**
     * One change as generated; resolved to a record when the step runs.
     *
     * @param target  what it names
     * @param ref     end index or table index
     * @param write   for END: EVFILT_WRITE rather than EVFILT_READ (a pipe end takes its own direction)
     * @param flags   EV_* bits
     * @param fflags  NOTE_* bits
     * @param data    data (for an absolute timer: an offset from now, in the unit)
     * @param udata   udata
     * @param ext0    ext[0]; ext[1..3] are derived from it
     */
    record ChangeSpec(Target target, int ref, boolean write, int flags, int fflags, long data, long udata, long ext0) {
        @Override
        public String toString() {
            String who = switch (target) {
                case END -> "end#" + ref + (write ? " WRITE" : " READ");
                case TIMER -> Names.ident(TIMER_IDENTS[ref % TIMER_IDENTS.length]) + " TIMER";
                case USER -> Names.ident(USER_IDENTS[ref % USER_IDENTS.length]) + " USER";
                case BAD_FD -> Names.ident(BAD_FDS[ref % BAD_FDS.length]) + (write ? " WRITE" : " READ");
                case OTHER_FILTER -> ref + " " + Names.filter(OTHER_FILTERS[ref % OTHER_FILTERS.length]);
            };
            short filter = switch (target) {
                case TIMER -> io.github.kqueueffm.KEvent.EVFILT_TIMER;
                case USER -> io.github.kqueueffm.KEvent.EVFILT_USER;
                default -> io.github.kqueueffm.KEvent.EVFILT_READ;
            };
            return "{" + who + " " + Names.flags(flags) + (fflags != 0 ? " fflags=" + Names.fflags(filter, fflags) : "")
                    + (data != 0 ? " data=" + data : "") + (udata != 0 ? " udata=0x" + Long.toHexString(udata) : "")
                    + (ext0 != 0 ? " ext0=" + ext0 : "") + "}";
        }
    }
}
