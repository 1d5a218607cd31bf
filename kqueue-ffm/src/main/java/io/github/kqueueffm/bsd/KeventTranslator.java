package io.github.kqueueffm.bsd;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;

/**
 * Copies records between our FreeBSD-valued {@link KEventList} and one host's {@code struct kevent}
 * array, as a {@link KeventAbi} describes it: fields read and written at the ABI's offsets and
 * sizes, filters, flags and filter flags mapped through its tables. Built once per ABI; every
 * lookup is an array index afterwards, so a copy allocates nothing.
 *
 * <p><b>What the host lacks.</b> A change is never silently changed in meaning: a filter the host
 * does not have (or that FreeBSD does not define), a flag bit or a filter-flag bit with no entry in
 * the ABI's maps, turns the change's host filter into {@link #unknownFilter()}, a number no host
 * defines. The host then refuses that one change exactly as it refuses any unknown filter — its
 * own errno (EINVAL on every kqueue), in an EV_ERROR entry or as the call's error, with the
 * changes before and after it applied in order — and the EV_ERROR entry is given back with the
 * caller's own filter. A bit the map sends to 0 is one the host has no use for and is dropped
 * (for example FreeBSD's NOTE_MSECONDS on hosts whose default unit is the millisecond, or vnode
 * events a host can never report).
 *
 * <p><b>Host to FreeBSD.</b> Filters, flags and filter flags are mapped back through the inverse
 * tables (host bits without a FreeBSD meaning are dropped). The filter flags of EVFILT_READ,
 * EVFILT_WRITE and EVFILT_EMPTY are returned unchanged: on the way out they carry the socket's
 * errno with EV_EOF, a host number like EV_ERROR's {@code data}, which is never translated. Hosts
 * whose record has no {@code ext} return zeros there, except in EV_ERROR entries, which echo the
 * change as FreeBSD does.
 */
public final class KeventTranslator {
    /** FreeBSD filters are −1 … −{@value #FILTER_SLOTS} at most; index = −filter. */
    private static final int FILTER_SLOTS = 31;
    /** Marks a FreeBSD bit the host lacks in {@code flagsIn}/{@code fflagsIn}. */
    private static final int LACKED = -1;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;

    private final KeventAbi abi;
    private final boolean identity;
    private final long size;
    private final long ident;
    private final long filter;
    private final boolean wideFilter;
    private final long flags;
    private final boolean wideFlags;
    private final long fflags;
    private final long data;
    private final long udata;
    private final long ext;
    private final int unknownFilter;
    /** FreeBSD filter (index −filter) → host filter, or {@link #unknownFilter}. */
    private final int[] filterIn = new int[FILTER_SLOTS + 1];
    /** Host filter − {@link #filterOutBase} → FreeBSD filter, or 0 for none. */
    private final short[] filterOut;
    private final int filterOutBase;
    /** FreeBSD flag bit number → host bits, 0 (dropped) or {@link #LACKED}. */
    private final int[] flagsIn = new int[32];
    /** Host flag bit number → FreeBSD bits (0: dropped). */
    private final int[] flagsOut = new int[32];
    /** Per FreeBSD filter (index −filter): bit number → host bits/0/LACKED; null: unchanged. */
    private final int[][] fflagsIn = new int[FILTER_SLOTS + 1][];
    /** Per FreeBSD filter: host bit number → FreeBSD bits; null: unchanged. */
    private final int[][] fflagsOut = new int[FILTER_SLOTS + 1][];
    private final int hostRead;
    private final int hostError;

    /**
     * A translator for one ABI.
     *
     * @param abi the host's record layout and numbers
     */
    public KeventTranslator(KeventAbi abi) {
        this.abi = abi;
        this.identity = abi.isFreeBsdLayout();
        this.size = abi.recordSize();
        this.ident = abi.identOffset();
        this.filter = abi.filterOffset();
        this.wideFilter = abi.filterSize() == 4;
        this.flags = abi.flagsOffset();
        this.wideFlags = abi.flagsSize() == 4;
        this.fflags = abi.fflagsOffset();
        this.data = abi.dataOffset();
        this.udata = abi.udataOffset();
        this.ext = abi.extOffset();
        if (abi.filterSize() != 2 && abi.filterSize() != 4 || abi.flagsSize() != 2 && abi.flagsSize() != 4) {
            throw new IllegalArgumentException(abi.name() + ": filter and flags are 2 or 4 bytes");
        }
        this.unknownFilter = wideFilter ? Integer.MAX_VALUE : Short.MIN_VALUE;
        java.util.Arrays.fill(filterIn, unknownFilter);
        int min = 0;
        int max = 0;
        for (Map.Entry<Short, Integer> e : abi.filters().entrySet()) {
            int fb = e.getKey();
            if (fb >= 0 || -fb > FILTER_SLOTS) {
                throw new IllegalArgumentException(abi.name() + ": not a FreeBSD filter: " + fb);
            }
            filterIn[-fb] = e.getValue();
            min = Math.min(min, e.getValue());
            max = Math.max(max, e.getValue());
        }
        this.filterOutBase = min;
        this.filterOut = new short[max - min + 1];
        abi.filters().forEach((fb, host) -> filterOut[host - filterOutBase] = fb);
        java.util.Arrays.fill(flagsIn, LACKED);
        bitsIn(abi.flags(), flagsIn, flagsOut);
        for (int bit = 0; bit < flagsIn.length; bit++) {
            if ((FREEBSD_ACTION_AND_STICKY_FLAGS & (1 << bit)) == 0 && flagsIn[bit] == LACKED) {
                flagsIn[bit] = 0; // FreeBSD defines no such change flag (or strips it: EV_SYSFLAGS): dropped, as there
            }
        }
        abi.fflags().forEach((fb, map) -> {
            if (fb >= 0 || -fb > FILTER_SLOTS) {
                throw new IllegalArgumentException(abi.name() + ": not a FreeBSD filter: " + fb);
            }
            int[] in = new int[32];
            java.util.Arrays.fill(in, LACKED);
            int[] out = new int[32];
            bitsIn(map, in, out);
            fflagsIn[-fb] = in;
            fflagsOut[-fb] = out;
        });
        this.hostRead = hostFilter(KEvent.EVFILT_READ);
        Integer error = abi.flags().get(KEvent.EV_ERROR);
        if (error == null || error == 0 || hostRead == unknownFilter) {
            throw new IllegalArgumentException(abi.name() + ": a host without EVFILT_READ or EV_ERROR");
        }
        this.hostError = error;
    }

    /** The flags a FreeBSD change may carry: EV_ADD … EV_KEEPUDATA; the rest it ignores or strips. */
    private static final int FREEBSD_ACTION_AND_STICKY_FLAGS = KEvent.EV_ADD | KEvent.EV_DELETE | KEvent.EV_ENABLE
            | KEvent.EV_DISABLE | KEvent.EV_FORCEONESHOT | KEvent.EV_ONESHOT | KEvent.EV_CLEAR | KEvent.EV_RECEIPT
            | KEvent.EV_DISPATCH | KEvent.EV_KEEPUDATA;

    private void bitsIn(Map<Integer, Integer> map, int[] in, int[] out) {
        map.forEach((fb, host) -> {
            if (Integer.bitCount(fb) != 1) {
                throw new IllegalArgumentException(abi.name() + ": not one bit: 0x" + Integer.toHexString(fb));
            }
            in[Integer.numberOfTrailingZeros(fb)] = host;
            for (int bits = host; bits != 0; bits &= bits - 1) {
                out[Integer.numberOfTrailingZeros(bits)] |= fb;
            }
        });
    }

    /**
     * The ABI translated for.
     *
     * @return the ABI
     */
    public KeventAbi abi() {
        return abi;
    }

    /**
     * Whether host records are FreeBSD's, so lists are passed to the host as they are.
     *
     * @return {@link KeventAbi#isFreeBsdLayout()}
     */
    public boolean identity() {
        return identity;
    }

    /**
     * Bytes per host record.
     *
     * @return {@code sizeof(struct kevent)} on the host
     */
    public long recordSize() {
        return size;
    }

    /**
     * The host filter number that no host defines: a change carrying it fails with the host's
     * EINVAL.
     *
     * @return {@code SHORT_MIN} for 2-byte filters, {@code INT_MAX} for 4-byte ones
     */
    public int unknownFilter() {
        return unknownFilter;
    }

    /**
     * A FreeBSD filter as the host numbers it.
     *
     * @param freeBsd an EVFILT_* value
     * @return the host's number, or {@link #unknownFilter()}
     */
    public int hostFilter(short freeBsd) {
        return freeBsd < 0 && freeBsd >= -FILTER_SLOTS ? filterIn[-freeBsd] : unknownFilter;
    }

    // ---------------------------------------------------------------- FreeBSD → host

    /**
     * Writes one host record from FreeBSD values.
     *
     * @param host the host array
     * @param index the record
     * @param ident ident
     * @param fbFilter FreeBSD filter
     * @param fbFlags FreeBSD EV_* bits
     * @param fbFflags FreeBSD NOTE_* bits
     * @param dataValue data
     * @param udataValue udata
     */
    public void put(MemorySegment host, int index, long ident, short fbFilter, int fbFlags, int fbFflags,
            long dataValue, long udataValue) {
        long base = index * size;
        int hostFilter = hostFilter(fbFilter);
        long hostFlags = mapIn(flagsIn, fbFlags & 0xFFFF);
        long hostFflags = Integer.toUnsignedLong(fbFflags);
        if (hostFilter != unknownFilter && fflagsIn[-fbFilter] != null) {
            hostFflags = mapIn(fflagsIn[-fbFilter], fbFflags);
        }
        if (severalUnits(fbFilter, fbFflags)) {
            hostFflags = -1;
        }
        if (hostFlags < 0 || hostFflags < 0) {
            hostFilter = unknownFilter; // the host refuses it as an unknown filter
            hostFlags = hostFlags < 0 ? fbFlags & 0xFFFF : hostFlags;
            hostFflags = fbFflags;
        }
        host.set(LONG, base + this.ident, ident);
        putFilter(host, base, hostFilter);
        putFlags(host, base, (int) hostFlags);
        host.set(INT, base + fflags, (int) hostFflags);
        host.set(LONG, base + data, dataValue);
        host.set(LONG, base + udata, udataValue);
    }

    /**
     * Copies {@code n} changes into host records, {@code ext} included where the host has it.
     *
     * @param from the caller's changelist
     * @param n records to copy
     * @param host room for {@code n} host records
     */
    public void toHost(KEventList from, int n, MemorySegment host) {
        for (int i = 0; i < n; i++) {
            put(host, i, from.ident(i), from.filter(i), from.flags(i), from.fflags(i), from.data(i), from.udata(i));
            if (ext >= 0) {
                long base = i * size + ext;
                for (int slot = 0; slot < 4; slot++) {
                    host.set(LONG, base + 8L * slot, from.ext(i, slot));
                }
            }
        }
    }

    /** Maps bits; returns the host bits as an unsigned value, or −1 if one has no entry. */
    private static long mapIn(int[] map, int bits) {
        int out = 0;
        for (int rest = bits; rest != 0; rest &= rest - 1) {
            int host = map[Integer.numberOfTrailingZeros(rest)];
            if (host == LACKED) {
                return -1;
            }
            out |= host;
        }
        return Integer.toUnsignedLong(out);
    }

    // ---------------------------------------------------------------- host → FreeBSD

    /**
     * Copies host records {@code from}…{@code to−1} into the caller's eventlist from index
     * {@code at} on, leaving out the host's records for {@code skipIdent} on EVFILT_READ (the
     * kqueue's internal wakeup).
     *
     * @param host the host array
     * @param from first record
     * @param to end of the records
     * @param skipIdent the ident whose EVFILT_READ records are left out, or −1
     * @param changes the changelist of this call (EV_ERROR entries take the caller's filter, filter
     *                flags and ext from the change they answer), or null
     * @param nchanges its length
     * @param events the caller's eventlist
     * @return the number of records written
     */
    public int fromHost(MemorySegment host, int from, int to, long skipIdent, KEventList changes, int nchanges,
            KEventList events) {
        int n = 0;
        int i = from;
        if (changes != null) {
            // EV_ERROR entries of the changelist come first, in changelist order
            int cursor = 0;
            for (; i < to && (getFlags(host, i * size) & hostError) != 0; i++) {
                int change = answered(changes, nchanges, cursor, host, i);
                if (change < 0) {
                    break;
                }
                cursor = change + 1;
                reply(host, i, changes, change, events, n++);
            }
        }
        for (; i < to; i++) {
            long base = i * size;
            long id = host.get(LONG, base + ident);
            int hostFilter = getFilter(host, base);
            int hostFlags = getFlags(host, base);
            if (id == skipIdent && hostFilter == hostRead && (hostFlags & hostError) == 0) {
                continue;
            }
            short fbFilter = freeBsdFilter(hostFilter);
            events.set(n, id, fbFilter, mapOut(flagsOut, hostFlags), fflagsOut(fbFilter, host.get(INT, base + fflags)),
                    host.get(LONG, base + data), host.get(LONG, base + udata));
            if (ext >= 0) {
                for (int slot = 0; slot < 4; slot++) {
                    events.ext(n, slot, host.get(LONG, base + ext + 8L * slot));
                }
            }
            n++;
        }
        return n;
    }

    /** Writes the EV_ERROR entry at host record {@code i}, which answers {@code change}, as FreeBSD's. */
    private void reply(MemorySegment host, int i, KEventList changes, int change, KEventList events, int n) {
        long base = i * size;
        long id = host.get(LONG, base + ident);
        long ud = host.get(LONG, base + udata);
        int hostFflags = host.get(INT, base + fflags);
        short fbFilter = changes.filter(change);
        int fbFflags = hostFflags == echoedFflags(changes, change) ? changes.fflags(change)
                : fflagsOut(fbFilter, hostFflags);
        long e0 = changes.ext(change, 0);   // read before the write: the lists may be one
        long e1 = changes.ext(change, 1);
        long e2 = changes.ext(change, 2);
        long e3 = changes.ext(change, 3);
        events.set(n, id, fbFilter, mapOut(flagsOut, getFlags(host, base)), fbFflags, host.get(LONG, base + data), ud);
        events.ext(n, 0, e0).ext(n, 1, e1).ext(n, 2, e2).ext(n, 3, e3);
    }

    /**
     * The change an EV_ERROR entry answers: the next one from {@code cursor} on with the same
     * ident, host filter and udata (entries come in changelist order).
     */
    private int answered(KEventList changes, int nchanges, int cursor, MemorySegment host, int i) {
        long id = host.get(LONG, i * size + ident);
        int hostFilter = getFilter(host, i * size);
        long ud = host.get(LONG, i * size + udata);
        for (int c = cursor; c < nchanges; c++) {
            if (changes.ident(c) == id && changes.udata(c) == ud && hostFilterOfChange(changes, c) == hostFilter) {
                return c;
            }
        }
        return -1;
    }

    /** The host filter {@link #put} gives change {@code c}. */
    private int hostFilterOfChange(KEventList changes, int c) {
        short fb = changes.filter(c);
        int hostFilter = hostFilter(fb);
        if (hostFilter == unknownFilter) {
            return hostFilter;
        }
        if (mapIn(flagsIn, changes.flags(c)) < 0) {
            return unknownFilter;
        }
        int[] map = fflagsIn[-fb];
        if (severalUnits(fb, changes.fflags(c))) {
            return unknownFilter;
        }
        return map != null && mapIn(map, changes.fflags(c)) < 0 ? unknownFilter : hostFilter;
    }

    /**
     * Whether a timer change names more than one unit, which FreeBSD refuses (EINVAL). Checked here
     * for every host: NetBSD and OpenBSD number their units as values (1 | 2 would be their
     * NOTE_NSECONDS), so such a change must not reach them translated bit by bit.
     */
    private static boolean severalUnits(short fbFilter, int fbFflags) {
        return fbFilter == KEvent.EVFILT_TIMER && Integer.bitCount(fbFflags & TIMER_UNITS) > 1;
    }

    private static final int TIMER_UNITS = KEvent.NOTE_SECONDS | KEvent.NOTE_MSECONDS | KEvent.NOTE_USECONDS
            | KEvent.NOTE_NSECONDS;

    /** The fflags {@link #put} wrote for change {@code c}. */
    private int echoedFflags(KEventList changes, int c) {
        short fb = changes.filter(c);
        int hostFilter = hostFilter(fb);
        if (hostFilter == unknownFilter || fflagsIn[-fb] == null) {
            return changes.fflags(c);
        }
        long mapped = mapIn(fflagsIn[-fb], changes.fflags(c));
        return mapped < 0 ? changes.fflags(c) : (int) mapped;
    }

    /**
     * A host filter number as FreeBSD numbers it.
     *
     * @param host the host's filter
     * @return the FreeBSD filter, or the host value narrowed when FreeBSD has none
     */
    public short freeBsdFilter(int host) {
        int slot = host - filterOutBase;
        if (slot >= 0 && slot < filterOut.length && filterOut[slot] != 0) {
            return filterOut[slot];
        }
        return (short) host;
    }

    /**
     * Host EV_* bits as FreeBSD's.
     *
     * @param host the host's flags
     * @return FreeBSD's bits (host bits without a FreeBSD meaning dropped)
     */
    public int freeBsdFlags(int host) {
        return mapOut(flagsOut, host);
    }

    private int fflagsOut(short fbFilter, int hostFflags) {
        if (fbFilter >= 0 || fbFilter < -FILTER_SLOTS || fbFilter == KEvent.EVFILT_READ
                || fbFilter == KEvent.EVFILT_WRITE || fbFilter == KEvent.EVFILT_EMPTY) {
            return hostFflags;
        }
        int[] map = fflagsOut[-fbFilter];
        return map == null ? hostFflags : mapOut(map, hostFflags);
    }

    private static int mapOut(int[] map, int bits) {
        int out = 0;
        for (int rest = bits; rest != 0; rest &= rest - 1) {
            out |= map[Integer.numberOfTrailingZeros(rest)];
        }
        return out;
    }

    // ---------------------------------------------------------------- host record fields

    /**
     * A host record's ident.
     *
     * @param host the host array
     * @param index the record
     * @return its ident
     */
    public long ident(MemorySegment host, int index) {
        return host.get(LONG, index * size + ident);
    }

    /**
     * A host record's filter, as the host numbers it.
     *
     * @param host the host array
     * @param index the record
     * @return its filter
     */
    public int filter(MemorySegment host, int index) {
        return getFilter(host, index * size);
    }

    /**
     * A host record's flags, as the host numbers them.
     *
     * @param host the host array
     * @param index the record
     * @return its flags, unsigned
     */
    public int flags(MemorySegment host, int index) {
        return getFlags(host, index * size);
    }

    /**
     * A host record's udata.
     *
     * @param host the host array
     * @param index the record
     * @return its udata
     */
    public long udata(MemorySegment host, int index) {
        return host.get(LONG, index * size + udata);
    }

    /**
     * A host record's data.
     *
     * @param host the host array
     * @param index the record
     * @return its data
     */
    public long data(MemorySegment host, int index) {
        return host.get(LONG, index * size + data);
    }

    /**
     * Whether a host record carries EV_ERROR.
     *
     * @param host the host array
     * @param index the record
     * @return true for an EV_ERROR entry
     */
    public boolean isError(MemorySegment host, int index) {
        return (getFlags(host, index * size) & hostError) != 0;
    }

    /**
     * Clears a host record's flags, so that an EV_ERROR entry found there later is new.
     *
     * @param host the host array
     * @param index the record
     */
    public void clearFlags(MemorySegment host, int index) {
        putFlags(host, index * size, 0);
    }

    /**
     * Whether a host record is the EVFILT_READ report of descriptor {@code fd} (not an EV_ERROR
     * entry).
     *
     * @param host the host array
     * @param index the record
     * @param fd the descriptor
     * @return true for its readiness report
     */
    public boolean isReadReport(MemorySegment host, int index, int fd) {
        long base = index * size;
        return host.get(LONG, base + ident) == fd && getFilter(host, base) == hostRead
                && (getFlags(host, base) & hostError) == 0;
    }

    private int getFilter(MemorySegment host, long base) {
        return wideFilter ? host.get(INT, base + filter) : host.get(SHORT, base + filter);
    }

    private int getFlags(MemorySegment host, long base) {
        return wideFlags ? host.get(INT, base + flags) : Short.toUnsignedInt(host.get(SHORT, base + flags));
    }

    private void putFilter(MemorySegment host, long base, int value) {
        if (wideFilter) {
            host.set(INT, base + filter, value);
        } else {
            host.set(SHORT, base + filter, (short) value);
        }
    }

    private void putFlags(MemorySegment host, long base, int value) {
        if (wideFlags) {
            host.set(INT, base + flags, value);
        } else {
            host.set(SHORT, base + flags, (short) value);
        }
    }
}
