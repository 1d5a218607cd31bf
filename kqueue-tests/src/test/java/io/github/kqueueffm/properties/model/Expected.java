package io.github.kqueueffm.properties.model;

import java.util.Arrays;

/**
 * What the model allows for one event of a scan: the fields an implementation must return, with
 * the data as a range and the fflags as a set where the platform leaves a choice (a socket error
 * after EOF, a timer's expiry count inside the tolerance window).
 *
 * @param ident    ident
 * @param filter   filter
 * @param flags    the exact returned flags
 * @param fflags   the allowed fflags values
 * @param dataMin  least allowed data
 * @param dataMax  largest allowed data
 * @param udata    udata
 * @param ext      ext[0..3]
 * @param required whether the event must be returned (when the call had room for it), or only may be
 * @param why      why the model expects it (printed with a divergence)
 */
public record Expected(long ident, short filter, int flags, int[] fflags, long dataMin, long dataMax, long udata,
                       long[] ext, boolean required, String why) {

    /**
     * @return null if the returned fields are allowed, else what differs
     */
    public String mismatch(int aFlags, int aFflags, long aData, long aUdata, long[] aExt) {
        StringBuilder b = new StringBuilder();
        if (aFlags != flags) {
            b.append(" flags ").append(Names.flags(aFlags)).append(" (model ").append(Names.flags(flags)).append(')');
        }
        boolean fflagsOk = false;
        for (int f : fflags) {
            fflagsOk |= f == aFflags;
        }
        if (!fflagsOk) {
            b.append(" fflags 0x").append(Integer.toHexString(aFflags)).append(" (model ").append(fflagsText()).append(')');
        }
        if (aData < dataMin || aData > dataMax) {
            b.append(" data ").append(aData).append(" (model ").append(dataText()).append(')');
        }
        if (aUdata != udata) {
            b.append(" udata 0x").append(Long.toHexString(aUdata)).append(" (model 0x")
                    .append(Long.toHexString(udata)).append(')');
        }
        if (!Arrays.equals(aExt, ext)) {
            b.append(" ext ").append(Arrays.toString(aExt)).append(" (model ").append(Arrays.toString(ext)).append(')');
        }
        return b.isEmpty() ? null : b.toString().trim();
    }

    private String fflagsText() {
        StringBuilder b = new StringBuilder();
        for (int f : fflags) {
            b.append(b.isEmpty() ? "" : " or ").append("0x").append(Integer.toHexString(f));
        }
        return b.toString();
    }

    private String dataText() {
        return dataMin == dataMax ? Long.toString(dataMin) : dataMin + ".." + dataMax;
    }

    @Override
    public String toString() {
        return (required ? "" : "maybe ") + "{" + Names.ident(ident) + " " + Names.filter(filter) + " flags="
                + Names.flags(flags) + " fflags=" + fflagsText() + " data=" + dataText()
                + (udata != 0 ? " udata=0x" + Long.toHexString(udata) : "")
                + (ext[0] != 0 || ext[1] != 0 || ext[2] != 0 || ext[3] != 0 ? " ext=" + Arrays.toString(ext) : "")
                + "}";
    }
}
