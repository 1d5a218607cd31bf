package io.github.kqueueffm.properties.model;

import static io.github.kqueueffm.KEvent.EV_DISABLE;
import static io.github.kqueueffm.KEvent.EV_ENABLE;
import static io.github.kqueueffm.KEvent.NOTE_EXIT;

/**
 * One knote of a filter that records notes as FreeBSD's {@code filt_vfsvnode} and {@code filt_proc}
 * do (EVFILT_VNODE, EVFILT_PROC; rows VN-19, VN-21, VN-22, VN-36, PR-07, PR-09, PR-12, PR-24): each
 * activity with hint H is judged when it happens, {@code if (kn_sfflags & H) kn_fflags |= H}; a
 * change (EV_ADD of the existing knote, EV_ENABLE, EV_DISABLE) replaces {@code kn_sfflags} and
 * keeps {@code kn_fflags}; the knote is EV_CLEAR (vnode knotes are added with it, process knotes
 * get it from {@code filt_procattach}), so a delivery clears the recorded notes. A disabled knote
 * keeps what it recorded and reports it once enabled.
 *
 * <p>A process exit ({@link #exit(long)}) is {@code filt_proc}'s NOTE_EXIT: recorded if asked for,
 * with the status in data; the knote becomes EV_EOF|EV_ONESHOT, and EV_DROP when it recorded
 * nothing at all, in which case the scan drops it without an event (PR-07, PR-21). Either way the
 * knote is gone after the next scan that sees it enabled.
 */
public final class NoteKnote {
    private int sfflags;
    private int fflags;
    private boolean enabled = true;
    private boolean exited;
    private long data;
    private boolean gone;

    /**
     * A knote just added (enabled) with these notes asked for.
     *
     * @param sfflags the notes of its EV_ADD
     */
    public NoteKnote(int sfflags) {
        this.sfflags = sfflags;
    }

    /** What one collection returns for the knote. */
    public record Event(int fflags, boolean eof, long data) {
    }

    /**
     * Activity with hint {@code hint} happened now: judged with the notes asked for now.
     *
     * @param hint the notes the activity posts together (one notification)
     */
    public void post(int hint) {
        if (!gone && !exited && (sfflags & hint) != 0) {
            fflags |= hint;
        }
    }

    /**
     * The process exited with this wait status ({@code filt_proc} with NOTE_EXIT).
     *
     * @param status the wait status
     */
    public void exit(long status) {
        if (gone || exited) {
            return;
        }
        post(NOTE_EXIT);
        if ((fflags & NOTE_EXIT) != 0) {
            data = status;
        }
        exited = true;
    }

    /**
     * A change to the existing knote: EV_ADD, EV_ENABLE or EV_DISABLE with {@code newSfflags}.
     *
     * @param flags      the change's flags
     * @param newSfflags its fflags, which replace the notes asked for
     */
    public void change(int flags, int newSfflags) {
        sfflags = newSfflags;
        if ((flags & EV_ENABLE) != 0) {
            enabled = true;
        } else if ((flags & EV_DISABLE) != 0) {
            enabled = false;
        }
    }

    /** @return the event the next collection must return, or null for none (nothing is changed) */
    public Event peek() {
        if (gone || !enabled || (fflags == 0 && !exited)) {
            return null;
        }
        if (exited && fflags == 0) {
            return null; // EV_DROP
        }
        return new Event(fflags, exited, exited ? data : 0);
    }

    /** @return the event a collection returns now, or null; as the scan, clears or drops the knote */
    public Event collect() {
        Event e = peek();
        if (!gone && enabled && exited) {
            gone = true; // delivered with EV_ONESHOT, or dropped (EV_DROP)
        } else if (e != null) {
            fflags = 0; // EV_CLEAR
        }
        return e;
    }

    /** @return the notes asked for now */
    public int sfflags() {
        return sfflags;
    }

    /** @return whether the knote is gone (EV_ENABLE, EV_DISABLE, EV_DELETE now fail with ENOENT) */
    public boolean gone() {
        return gone;
    }

    /** @return whether a process knote has seen its exit */
    public boolean exited() {
        return exited;
    }

    @Override
    public String toString() {
        return gone ? "knote gone" : "knote sfflags=0x" + Integer.toHexString(sfflags) + " fflags=0x"
                + Integer.toHexString(fflags) + (enabled ? "" : " disabled") + (exited ? " exited data=" + data : "");
    }
}
