package io.github.kqueueffm.core;

/**
 * One registered event: FreeBSD's {@code struct knote}. The core owns the fields that mirror
 * {@code kn_kevent}, {@code kn_sfflags}/{@code kn_sdata} and {@code kn_status}; a filter keeps its
 * own state in {@link #state}, an object of a class the filter owns. Every field is guarded by the
 * kqueue's lock.
 */
public final class Knote {
    /** Has an event to report (set by the filter's {@code event}, cleared by scan). */
    public static final int ACTIVE = 0x01;
    /** On the ready queue. */
    public static final int QUEUED = 0x02;
    /** EV_DISABLE'd (or EV_DISPATCH'ed): activity is recorded but not reported. */
    public static final int DISABLED = 0x04;
    /** Not attached to its source (after detach, or before attach). */
    public static final int DETACHED = 0x08;
    /** Removed from the table; any reference still held is stale. */
    public static final int DROPPED = 0x10;
    /** Set by a filter whose source is gone (its descriptor was closed): the core drops the knote. */
    public static final int GONE = 0x20;

    // kn_kevent: what an event reports
    public final long ident;
    /** {@code kn_filter}: the EVFILT_* number. */
    public final short filter;
    /** {@code kn_fop}: the filter's operations. */
    public final Filter fop;
    /** Sticky flags (EV_ONESHOT, EV_CLEAR, EV_RECEIPT, EV_DISPATCH) plus EV_EOF/EV_ERROR set by the filter. */
    public int flags;
    public int fflags;
    public long data;
    public long udata;
    /**
     * {@code ext[0..3]}, or null while they are all zero (most knotes): four longs cost 48 bytes a
     * knote. Read it through {@link KEventRecord#copyFrom}.
     */
    public long[] ext;

    // the filter's inputs, as last given by a change
    public int sfflags;
    public long sdata;

    public int status;

    /**
     * The filter's state for this knote (FreeBSD's {@code kn_hook}), of a class the filter owns:
     * a descriptor filter's side, a timer's schedule, a watched process, ...
     */
    public Object state;
    /**
     * A number for the filter's own bookkeeping (FreeBSD's {@code kn_hookid}), so a filter that
     * needs only an int needs no {@link #state} object: a timer's position in its heap.
     */
    public int hookid;

    // ready queue links
    Knote next;
    Knote prev;

    Knote(long ident, short filter, Filter fop) {
        this.ident = ident;
        this.filter = filter;
        this.fop = fop;
    }

    /** Stores a change's {@code ext[]}; all zeros are kept as null. */
    void setExt(long[] from) {
        if ((from[0] | from[1] | from[2] | from[3]) == 0) {
            ext = null;
        } else if (ext == null) {
            ext = from.clone();
        } else {
            System.arraycopy(from, 0, ext, 0, 4);
        }
    }

    /** @return whether the knote has any of the status bits */
    public boolean has(int statusBits) {
        return (status & statusBits) != 0;
    }

    /** @return the descriptor number of a descriptor knote */
    public int fd() {
        return (int) ident;
    }

    @Override
    public String toString() {
        return "knote(" + ident + ", " + filter + ", flags=0x" + Integer.toHexString(flags) + ", status=0x"
                + Integer.toHexString(status) + ")";
    }
}
