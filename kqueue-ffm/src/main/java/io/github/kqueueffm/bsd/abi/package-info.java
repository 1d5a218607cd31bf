/**
 * One {@link io.github.kqueueffm.bsd.KeventAbi} per host whose {@code kevent(2)} the native
 * passthrough calls: {@link io.github.kqueueffm.bsd.abi.FreeBsdAbi},
 * {@link io.github.kqueueffm.bsd.abi.MacOsAbi}, {@link io.github.kqueueffm.bsd.abi.NetBsdAbi},
 * {@link io.github.kqueueffm.bsd.abi.OpenBsdAbi}, {@link io.github.kqueueffm.bsd.abi.DragonFlyAbi}
 * and {@link io.github.kqueueffm.bsd.abi.LibkqueueAbi}. Each is written by hand from that host's
 * headers (the full header trees cannot be compiled here) and names them; the test
 * {@code KeventAbiTablesTest} checks every number and offset against the data files that
 * {@code scripts/abi-extract.py} extracts from the same headers.
 *
 * <p>A FreeBSD name is in a table only when the host defines the same name with the same meaning;
 * bits a host reuses for something else (macOS's 0x0100 is EV_UDATA_SPECIFIC, not
 * EV_FORCEONESHOT) are left out, never mapped to the nearest thing. The two deliberate exceptions,
 * both timer options with other names but the same meaning, are NOTE_MSECONDS → 0 where
 * milliseconds are the host's default unit and NOTE_ABSTIME → NOTE_ABSOLUTE on macOS and
 * libkqueue.
 */
package io.github.kqueueffm.bsd.abi;
