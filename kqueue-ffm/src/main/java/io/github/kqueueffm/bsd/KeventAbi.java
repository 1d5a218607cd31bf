package io.github.kqueueffm.bsd;

import java.util.Map;

/**
 * How one host's native kqueue lays out {@code struct kevent} and numbers its filters, flags,
 * filter flags, errno values and signals — everything the passthrough translates between our
 * FreeBSD-valued API and the host. One instance per host ABI (FreeBSD ≥ 12, macOS, NetBSD,
 * OpenBSD, DragonFly, libkqueue), each built from the header named in {@link #source()}.
 *
 * <p>Numbers are kept as FreeBSD value → host value maps: a FreeBSD value missing from a map is
 * one the host lacks (the translator then gives what that host gives for an unknown value).
 *
 * @param name a short name, e.g. {@code "macOS"}
 * @param source the header(s) and version the values were taken from
 * @param recordSize {@code sizeof(struct kevent)}
 * @param identOffset offset of {@code ident} (8 bytes, {@code uintptr_t})
 * @param filterOffset offset of {@code filter}
 * @param filterSize 2 ({@code short}) or 4 (NetBSD's {@code uint32_t})
 * @param flagsOffset offset of {@code flags}
 * @param flagsSize 2 or 4
 * @param fflagsOffset offset of {@code fflags} (4 bytes)
 * @param dataOffset offset of {@code data} (8 bytes)
 * @param udataOffset offset of {@code udata} (8 bytes)
 * @param extOffset offset of {@code ext[4]} (4 × 8 bytes), or −1 when the record has none
 * @param filters FreeBSD EVFILT_* → host number
 * @param flags FreeBSD EV_* bit → host bit
 * @param fflags FreeBSD EVFILT_* → (FreeBSD NOTE_* bit → host bit), for filters whose bits differ
 *               or that the host lacks some of; a filter absent here passes fflags unchanged
 * @param errnos errno name → host number
 * @param signals signal name (with SIG) → host number
 */
public record KeventAbi(
        String name,
        String source,
        long recordSize,
        long identOffset,
        long filterOffset,
        int filterSize,
        long flagsOffset,
        int flagsSize,
        long fflagsOffset,
        long dataOffset,
        long udataOffset,
        long extOffset,
        Map<Short, Integer> filters,
        Map<Integer, Integer> flags,
        Map<Short, Map<Integer, Integer>> fflags,
        Map<String, Integer> errnos,
        Map<String, Integer> signals) {

    /**
     * Whether records have FreeBSD ≥ 12's layout and numbers, so a {@code KEventList} is passed
     * to the host as it is, with no copy.
     *
     * @return true for FreeBSD ≥ 12
     */
    public boolean isFreeBsdLayout() {
        return recordSize == 64 && extOffset == 32 && filterSize == 2 && flagsSize == 2
                && filters.entrySet().stream().allMatch(e -> e.getKey().intValue() == e.getValue())
                && flags.entrySet().stream().allMatch(e -> e.getKey().equals(e.getValue()))
                && fflags.isEmpty();
    }
}
