package io.github.kqueueffm.properties;

import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_DISABLE;
import static io.github.kqueueffm.KEvent.EV_ENABLE;
import static io.github.kqueueffm.KEvent.NOTE_ATTRIB;
import static io.github.kqueueffm.KEvent.NOTE_DELETE;
import static io.github.kqueueffm.KEvent.NOTE_EXIT;
import static io.github.kqueueffm.KEvent.NOTE_EXTEND;
import static io.github.kqueueffm.KEvent.NOTE_FORK;
import static io.github.kqueueffm.KEvent.NOTE_LINK;
import static io.github.kqueueffm.KEvent.NOTE_WRITE;

/**
 * One step of an fflags sequence ({@link VnodeFflagsPropertyTest}, {@link ProcFflagsPropertyTest}):
 * activity on the watched file or process, a change to the one knote, or a collection.
 */
sealed interface FflagsStep {
    /** A step shrinking turned into nothing. */
    record Nop() implements FflagsStep {
        @Override
        public String toString() {
            return "nop";
        }
    }

    /** An appending {@code write(2)} of {@code bytes} bytes to the watched file. */
    record Append(int bytes) implements FflagsStep {
        @Override
        public String toString() {
            return "append " + bytes + " bytes";
        }
    }

    /** A {@code pwrite(2)} of {@code bytes} bytes at offset 0, inside the file (its size is kept). */
    record Pwrite(int bytes) implements FflagsStep {
        @Override
        public String toString() {
            return "pwrite " + bytes + " bytes at 0";
        }
    }

    /** {@code fchmod(2)} (alternating 0600 and 0640) or {@code futimens(2)} of the watched file. */
    record Attrib(boolean chmod) implements FflagsStep {
        @Override
        public String toString() {
            return chmod ? "fchmod" : "futimens";
        }
    }

    /** {@code link(2)} of a second name when it has none, else {@code unlink(2)} of that name. */
    record Link() implements FflagsStep {
        @Override
        public String toString() {
            return "link/unlink second name";
        }
    }

    /** Releases the watched child's gate: it forks (a subshell) or, after its last fork, exits. */
    record Child() implements FflagsStep {
        @Override
        public String toString() {
            return "child: next fork or exit";
        }
    }

    /** One change to the existing knote (no room for events: nothing is collected). */
    record Change(int flags, int fflags) implements FflagsStep {
        @Override
        public String toString() {
            return "change " + describeFlags(flags) + " fflags=" + notes(fflags);
        }
    }

    /**
     * A kevent call with room for events; it waits 200 ms when the model expects an event, else
     * {@code idleMillis}.
     */
    record Collect(int idleMillis) implements FflagsStep {
        @Override
        public String toString() {
            return "collect (idle wait " + idleMillis + " ms)";
        }
    }

    /** The flag names of a change. */
    static String describeFlags(int flags) {
        StringBuilder b = new StringBuilder();
        b.append((flags & EV_ADD) != 0 ? "|EV_ADD" : "");
        b.append((flags & EV_ENABLE) != 0 ? "|EV_ENABLE" : "");
        b.append((flags & EV_DISABLE) != 0 ? "|EV_DISABLE" : "");
        int rest = flags & ~(EV_ADD | EV_ENABLE | EV_DISABLE);
        b.append(rest != 0 ? "|0x" + Integer.toHexString(rest) : "");
        return b.isEmpty() ? "0" : b.substring(1);
    }

    /** The names of the notes both properties use (the vnode and process bits do not overlap). */
    static String notes(int fflags) {
        int[] bits = {NOTE_DELETE, NOTE_WRITE, NOTE_EXTEND, NOTE_ATTRIB, NOTE_LINK, NOTE_FORK, NOTE_EXIT};
        String[] names = {"DELETE", "WRITE", "EXTEND", "ATTRIB", "LINK", "FORK", "EXIT"};
        StringBuilder b = new StringBuilder();
        int rest = fflags;
        for (int i = 0; i < bits.length; i++) {
            if ((fflags & bits[i]) != 0) {
                b.append('|').append(names[i]);
                rest &= ~bits[i];
            }
        }
        b.append(rest != 0 ? "|0x" + Integer.toHexString(rest) : "");
        return b.isEmpty() ? "0" : b.substring(1);
    }
}
