package io.github.kqueueffm.properties.model;

import java.util.Arrays;

/**
 * One change record as the caller writes it ({@code struct kevent}); {@code ext} is copied.
 *
 * @param ident  ident
 * @param filter filter
 * @param flags  EV_* (the low 16 bits are what the record holds)
 * @param fflags NOTE_*
 * @param data   data
 * @param udata  udata
 * @param ext    ext[0..3]
 */
public record ModelChange(long ident, short filter, int flags, int fflags, long data, long udata, long[] ext) {
    /** Copies {@code ext} and keeps the 16 bits a record holds in {@code flags}. */
    public ModelChange {
        ext = ext == null ? new long[4] : Arrays.copyOf(ext, 4);
        flags &= 0xFFFF;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append("{ident=").append(Names.ident(ident)).append(", ").append(Names.filter(filter))
                .append(", flags=").append(Names.flags(flags));
        if (fflags != 0) {
            b.append(", fflags=").append(Names.fflags(filter, fflags));
        }
        if (data != 0) {
            b.append(", data=").append(data);
        }
        if (udata != 0) {
            b.append(", udata=0x").append(Long.toHexString(udata));
        }
        if (ext[0] != 0 || ext[1] != 0 || ext[2] != 0 || ext[3] != 0) {
            b.append(", ext=").append(Arrays.toString(ext));
        }
        return b.append('}').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelChange c && c.ident == ident && c.filter == filter && c.flags == flags
                && c.fflags == fflags && c.data == data && c.udata == udata && Arrays.equals(c.ext, ext);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(ident) * 31 + filter * 7 + flags + Arrays.hashCode(ext);
    }
}
