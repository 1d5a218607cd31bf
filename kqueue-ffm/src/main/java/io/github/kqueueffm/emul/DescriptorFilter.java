package io.github.kqueueffm.emul;

import io.github.kqueueffm.core.Filter;
import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.Knote;

import static io.github.kqueueffm.KEvent.NOTE_LOWAT;

/**
 * What every descriptor filter (READ, WRITE, EMPTY, VNODE, PROCDESC) shares on any backend. A
 * knote's {@code state} is its {@link Side}: the descriptor's record in the backend's
 * {@link DescriptorTable} plus the filter's own fields; the record holds the side so the
 * backend can activate it. {@code attach}, {@code detach} and {@code changed} keep the record and
 * its OS registration current; {@code event} first asks the table whether the number still names
 * the knote's file ({@code f_event} of a closed descriptor drops the knote, FreeBSD's
 * {@code knote_fdclose}). Subclasses say which descriptors they accept, which slot of the record
 * is theirs, and compute their condition. Every operation runs under the kqueue's lock.
 *
 * @param <D> the backend's per-descriptor record
 * @param <S> the filter's per-knote side
 */
public abstract class DescriptorFilter<D, S extends DescriptorFilter.Side<D>> implements Filter {
    /**
     * A descriptor knote's state: its descriptor's record and the knote, plus what the filter
     * keeps per knote (subclasses). Guarded by the kqueue's lock.
     *
     * @param <D> the backend's per-descriptor record
     */
    public abstract static class Side<D> {
        /** The descriptor's record. */
        public final D descriptor;
        /** The knote whose state this is. */
        public final Knote knote;

        /**
         * @param descriptor the descriptor's record
         * @param knote the knote
         */
        protected Side(D descriptor, Knote knote) {
            this.descriptor = descriptor;
            this.knote = knote;
        }
    }

    /** The kqueue whose lock guards every knote of this filter. */
    protected final KQueueCore core;
    /** The backend's descriptor table. */
    protected final DescriptorTable<D> table;

    /**
     * @param core the kqueue
     * @param table its descriptor table
     */
    protected DescriptorFilter(KQueueCore core, DescriptorTable<D> table) {
        this.core = core;
        this.table = table;
    }

    /**
     * Refuses descriptor kinds this filter does not apply to.
     *
     * @param rec the descriptor's record
     * @return 0, or −errno (EINVAL)
     */
    protected abstract int accepts(D rec);

    /**
     * @param rec the descriptor's record
     * @param kn the new knote
     * @return the knote's side, with the filter's fields at their initial values
     */
    protected abstract S newSide(D rec, Knote kn);

    /**
     * Puts a side into this filter's slot of the record.
     *
     * @param rec the descriptor's record
     * @param side the side, or null to clear the slot
     */
    protected abstract void slot(D rec, S side);

    /**
     * Filter-specific setup once the side is in its slot.
     *
     * @param side the side
     * @return 0, or −errno that fails the attach
     */
    protected int prepare(S side) {
        return 0;
    }

    /**
     * Filter-specific teardown before the side leaves its slot.
     *
     * @param side the side
     */
    protected void release(S side) {
    }

    /**
     * {@code f_event} once the descriptor is known to be the knote's own.
     *
     * @param kn the knote
     * @param side its side
     * @return whether the knote has something to report
     */
    protected abstract boolean evaluate(Knote kn, S side);

    @Override
    public final boolean isFd() {
        return true;
    }

    @Override
    public final int attach(Knote kn) {
        assert core.holdsLock();
        int opened = table.open(kn.fd());
        if (opened < 0) {
            return -opened;
        }
        boolean remembered = opened == DescriptorTable.REMEMBERED;
        D rec = table.get(kn.fd());
        int refused = accepts(rec);
        if (refused < 0) {
            if (remembered) {
                table.forget(rec); // judged by what the number named before: judge it afresh
                return attach(kn);
            }
            table.update(rec); // forgets a record this knote would have been the first of
            return -refused;
        }
        S side = newSide(rec, kn);
        slot(rec, side);
        kn.state = side;
        int failed = prepare(side);
        if (failed == 0) {
            failed = table.update(rec);
        }
        if (failed < 0) {
            release(side);
            slot(rec, null);
            if (remembered) {
                table.forget(rec); // its registration was gone: the number names another file, or none
                return attach(kn);
            }
            table.update(rec);
            return -failed;
        }
        return 0;
    }

    @Override
    public final void detach(Knote kn) {
        assert core.holdsLock();
        S side = side(kn);
        release(side);
        slot(side.descriptor, null);
        table.update(side.descriptor);
    }

    @Override
    public void changed(Knote kn) {
        assert core.holdsLock();
        table.changed(side(kn).descriptor);
    }

    @Override
    public final boolean event(Knote kn) {
        assert core.holdsLock();
        S side = side(kn);
        if (!table.sameFile(side.descriptor)) {
            return gone(kn); // closed, or the number now names another file
        }
        return evaluate(kn, side);
    }

    /**
     * @param kn a knote of this filter
     * @return its side
     */
    @SuppressWarnings("unchecked")
    protected final S side(Knote kn) {
        return (S) kn.state;
    }

    /**
     * Marks a knote whose descriptor was found closed: the core drops it.
     *
     * @param kn the knote
     * @return false (nothing to report)
     */
    protected static boolean gone(Knote kn) {
        kn.status |= Knote.GONE;
        return false;
    }

    /**
     * The threshold of a READ or WRITE knote: NOTE_LOWAT's data, else the default (at least 1).
     *
     * @param kn the knote
     * @param defaultLowWater the descriptor's own low-water mark
     * @return the threshold
     */
    protected static long lowWater(Knote kn, long defaultLowWater) {
        return (kn.sfflags & NOTE_LOWAT) != 0 ? kn.sdata : Math.max(1, defaultLowWater);
    }
}
