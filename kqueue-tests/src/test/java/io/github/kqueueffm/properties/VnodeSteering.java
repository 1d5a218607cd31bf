package io.github.kqueueffm.properties;

import java.util.EnumSet;
import java.util.Set;


/**
 * Keeps the vnode fflags property off the emulation's documented divergence from FreeBSD
 * (BEHAVIOUR.md, "Attribute changes read together", VN-14, VN-15): a step that would meet it is
 * skipped (the trace says which). It can be included again with
 * {@code -Dkqueue.vnode.include=LINK_BATCH}, which reproduces it. The property found three more
 * (an append inside the file system's last block taken for a truncate, a re-added watcher hearing
 * each event twice, a watch added by a later change comparing with stale sizes); they were fixed
 * in the engine and their steering deleted.
 */
final class VnodeSteering {
    /** The divergences. */
    enum Known {
        /**
         * A link count change is judged by the count when inotify's events are read, and inotify
         * merges identical consecutive events: futimens then link before a kevent call reads them
         * gives NOTE_LINK only (FreeBSD: NOTE_ATTRIB, then NOTE_LINK); link then unlink gives
         * NOTE_ATTRIB (FreeBSD: NOTE_LINK, then NOTE_DELETE and NOTE_LINK). Steered around: between
         * two kevent calls a link or unlink is the only attribute change (futimens, fchmod, link,
         * unlink).
         */
        LINK_BATCH
    }

    /** The divergences included with {@code -Dkqueue.vnode.include}. */
    static final Set<Known> INCLUDED = included();

    /** Attribute changes since the last kevent call (inotify events not read yet). */
    private int attribs;
    /** Whether one of them changed the link count. */
    private boolean linkChanged;

    /** @param firstFflags the notes of the knote's first EV_ADD */
    VnodeSteering(int firstFflags) {
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
        if (attrib && (linkChanged || link && attribs > 0) && steer(Known.LINK_BATCH)) {
            return Known.LINK_BATCH;
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
    }

    /**
     * The bytes to append to a file of {@code size} bytes for a drawn size.
     *
     * @param size  the file's size
     * @param drawn the drawn size
     * @return the size to append
     */
    static int appendSize(long size, int drawn) {
        return drawn;
    }
}
