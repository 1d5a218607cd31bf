package io.github.kqueueffm.properties;

import java.util.EnumSet;
import java.util.Set;

import static io.github.kqueueffm.KEvent.NOTE_ATTRIB;

/**
 * Keeps the vnode fflags property off the emulation's open divergences from FreeBSD: differences
 * BEHAVIOUR.md does not name, found by the property and unrelated to issue 13's judging rule. A
 * step that would meet one is skipped (the trace says which) or, for appends, resized. Each
 * divergence can be included again with {@code -Dkqueue.vnode.include=NAME,...} (all:
 * {@code CROSSING_APPEND,LINK_BATCH,READD_WATCHER,UNWATCHED_START}), which reproduces it; delete
 * its steering when the engine is fixed.
 */
final class VnodeSteering {
    /** The divergences. */
    enum Known {
        /**
         * An append that crosses a 512-byte boundary without needing a new 4 KiB block is judged a
         * truncation (NOTE_ATTRIB) where FreeBSD posts NOTE_WRITE|NOTE_EXTEND (VN-02): the growth
         * test {@code blocks <= side.blocks && grewPastLastBlock} of {@code VnodeFilter}. Steered
         * around: such an append is cut to end at the boundary, or made 4 KiB when the file ends on
         * one.
         */
        CROSSING_APPEND,
        /**
         * A link count change is judged by the count when inotify's events are read, and inotify
         * merges identical consecutive events: futimens then link before a kevent call reads them
         * gives NOTE_LINK only (FreeBSD: NOTE_ATTRIB, then NOTE_LINK); link then unlink gives
         * NOTE_ATTRIB (FreeBSD: NOTE_LINK, then NOTE_DELETE and NOTE_LINK). Steered around: between
         * two kevent calls a link or unlink is the only attribute change (futimens, fchmod, link,
         * unlink).
         */
        LINK_BATCH,
        /**
         * Every change with fflags other than 0 subscribes the knote to its inotify watch once more
         * ({@code VnodeFilter.changed} calls {@code Inotify.add}, which appends the same watcher to
         * the watch's list again), so each later event is judged once per subscription: a link is
         * NOTE_LINK the first time and NOTE_ATTRIB the next (st_nlink no longer differs), which a
         * knote asking for NOTE_ATTRIB records where FreeBSD records nothing. Steered around: after
         * such a change, no link or unlink while NOTE_ATTRIB is asked for.
         */
        READD_WATCHER,
        /**
         * A knote added with fflags 0 has no inotify watch, and the size and link count it keeps
         * are those of its EV_ADD; the watch a later change adds does not refresh them. After an
         * append made meanwhile, the next in-place pwrite looks like growth: NOTE_WRITE|NOTE_EXTEND,
         * recorded by a knote asking for NOTE_EXTEND (FreeBSD posts NOTE_WRITE). Steered around: no
         * append, link or unlink until a change has asked for some note.
         */
        UNWATCHED_START
    }

    /** The divergences included with {@code -Dkqueue.vnode.include}. */
    static final Set<Known> INCLUDED = included();

    /** Attribute changes since the last kevent call (inotify events not read yet). */
    private int attribs;
    /** Whether one of them changed the link count. */
    private boolean linkChanged;
    /** Whether a change asked for notes (and so subscribed the knote again). */
    private boolean rewatched;
    /** Whether the knote has an inotify watch. */
    private boolean watched;

    /** @param firstFflags the notes of the knote's first EV_ADD */
    VnodeSteering(int firstFflags) {
        watched = firstFflags != 0;
    }

    private static Set<Known> included() {
        Set<Known> set = EnumSet.noneOf(Known.class);
        for (String name : System.getProperty("kqueue.vnode.include", "").split(",")) {
            if (!name.isBlank()) {
                set.add(Known.valueOf(name.trim()));
            }
        }
        return set;
    }

    private static boolean steer(Known known) {
        return !INCLUDED.contains(known);
    }

    /**
     * Why a file step is skipped now, or null to perform it.
     *
     * @param step    the step
     * @param sfflags the notes asked for now
     * @return the divergence it would meet, or null
     */
    Known skip(FflagsStep step, int sfflags) {
        boolean link = step instanceof FflagsStep.Link;
        boolean attrib = link || step instanceof FflagsStep.Attrib;
        if ((link || step instanceof FflagsStep.Append) && !watched && steer(Known.UNWATCHED_START)) {
            return Known.UNWATCHED_START;
        }
        if (attrib && (linkChanged || link && attribs > 0) && steer(Known.LINK_BATCH)) {
            return Known.LINK_BATCH;
        }
        if (link && rewatched && (sfflags & NOTE_ATTRIB) != 0 && steer(Known.READD_WATCHER)) {
            return Known.READD_WATCHER;
        }
        return null;
    }

    /** A file step was performed. */
    void performed(FflagsStep step) {
        if (step instanceof FflagsStep.Link) {
            attribs++;
            linkChanged = true;
        } else if (step instanceof FflagsStep.Attrib) {
            attribs++;
        }
    }

    /** A kevent call was made: inotify's queue was read. */
    void kevent() {
        attribs = 0;
        linkChanged = false;
    }

    /** A change was made with these notes. */
    void changed(int fflags) {
        kevent();
        rewatched |= fflags != 0;
        watched |= fflags != 0;
    }

    /**
     * The bytes to append to a file of {@code size} bytes for a drawn size.
     *
     * @param size  the file's size
     * @param drawn the drawn size
     * @return the size to append
     */
    static int appendSize(long size, int drawn) {
        if (drawn >= 4096 || !steer(Known.CROSSING_APPEND)) {
            return drawn; // 4 KiB always needs a new block
        }
        long room = (512 - size % 512) % 512;
        return room == 0 ? 4096 : (int) Math.min(drawn, room);
    }
}
