package io.github.kqueueffm.core;

import io.github.kqueueffm.KEventList;

/**
 * One mutable {@code struct kevent} in Java fields: the change being applied or the event being
 * copied out. Reused for every record, so the core allocates nothing per change or event.
 */
public final class KEventRecord {
    public long ident;
    public short filter;
    public int flags;
    public int fflags;
    public long data;
    public long udata;
    public final long[] ext = new long[4];

    /** Reads record {@code index} of a list. */
    void readFrom(KEventList list, int index) {
        ident = list.ident(index);
        filter = list.filter(index);
        flags = list.flags(index);
        fflags = list.fflags(index);
        data = list.data(index);
        udata = list.udata(index);
        for (int slot = 0; slot < 4; slot++) {
            ext[slot] = list.ext(index, slot);
        }
    }

    /** Writes this record to record {@code index} of a list. */
    void writeTo(KEventList list, int index) {
        list.set(index, ident, filter, flags, fflags, data, udata); // clears ext[]
        for (int slot = 0; slot < 4; slot++) {
            if (ext[slot] != 0) {
                list.ext(index, slot, ext[slot]);
            }
        }
    }

    /** Copies a knote's stored event ({@code kn_kevent}). */
    void copyFrom(Knote kn) {
        ident = kn.ident;
        filter = kn.filter;
        flags = kn.flags;
        fflags = kn.fflags;
        data = kn.data;
        udata = kn.udata;
        copyExt(kn);
    }

    /** Copies a knote's {@code ext[]} (null: zeros). */
    void copyExt(Knote kn) {
        if (kn.ext == null) {
            ext[0] = 0;
            ext[1] = 0;
            ext[2] = 0;
            ext[3] = 0;
        } else {
            System.arraycopy(kn.ext, 0, ext, 0, 4);
        }
    }
}
