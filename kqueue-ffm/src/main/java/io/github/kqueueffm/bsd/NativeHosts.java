package io.github.kqueueffm.bsd;

import io.github.kqueueffm.bsd.abi.DragonFlyAbi;
import io.github.kqueueffm.bsd.abi.FreeBsdAbi;
import io.github.kqueueffm.bsd.abi.LibkqueueAbi;
import io.github.kqueueffm.bsd.abi.MacOsAbi;
import io.github.kqueueffm.bsd.abi.NetBsdAbi;
import io.github.kqueueffm.bsd.abi.OpenBsdAbi;

import io.github.kqueueffm.bindings.Os;
import io.github.kqueueffm.bindings.Target;
import io.github.kqueueffm.bindings.kqueue.KqueueCalls;

import java.nio.file.Path;

/**
 * The native kqueue of each host: which ABI table, which library and which {@code kevent} symbol.
 */
public final class NativeHosts {
    private NativeHosts() {
    }

    /**
     * The C library's kqueue on a BSD or macOS.
     *
     * @param target the running OS and architecture
     * @return the host
     * @throws UnsupportedOperationException for an OS whose ABI table is not in this build, or
     *         Linux (whose kqueue is libkqueue's, see {@link #libkqueue(Path)})
     * @throws IllegalStateException if the C library lacks the functions
     */
    public static NativeHost libc(Target target) {
        KeventAbi abi = abi(target.os());
        return new NativeHost(name(target.os()) + " " + target.arch().packageName() + " (native kqueue)", abi,
                KqueueCalls.libc(keventSymbol(target.os())), true);
    }

    /**
     * libkqueue loaded from a path, on Linux.
     *
     * @param library an absolute path to {@code libkqueue.so}
     * @return the host
     * @throws IllegalArgumentException if the path is not absolute
     * @throws IllegalStateException if the library cannot be loaded
     */
    public static NativeHost libkqueue(Path library) {
        return new NativeHost("Linux (libkqueue " + library + ")", LibkqueueAbi.ABI,
                KqueueCalls.library(library), false);
    }

    /** The ABI table of a BSD or macOS ({@code bsd.abi}: each names the header it came from). */
    private static KeventAbi abi(Os os) {
        return switch (os) {
            case FREEBSD -> FreeBsdAbi.ABI;
            case MACOS -> MacOsAbi.ABI;
            case NETBSD -> netBsd11OrLater() ? NetBsdAbi.ABI : NetBsdAbi.NETBSD_10;
            case OPENBSD -> OpenBsdAbi.ABI;
            case DRAGONFLY -> DragonFlyAbi.ABI;
            case LINUX -> throw new UnsupportedOperationException(
                    "Linux has no kqueue of its own: name libkqueue with -Dkqueue.native.library");
        };
    }

    /**
     * The symbol of the {@code kevent} that uses the table's record. NetBSD renames it in its
     * header ({@code __RENAME(__kevent50)} for NetBSD 10's record, {@code __kevent100} for NetBSD
     * 11's with {@code ext[4]}); the others export {@code kevent} (FreeBSD's default symbol version
     * is the 64-byte record of FreeBSD 12 on).
     */
    private static String keventSymbol(Os os) {
        if (os == Os.NETBSD) {
            return netBsd11OrLater() ? "__kevent100" : "__kevent50";
        }
        return "kevent";
    }

    /** Whether the running NetBSD is 11 or later ({@code os.version} such as {@code 10.1}). */
    private static boolean netBsd11OrLater() {
        String version = System.getProperty("os.version", "");
        int dot = version.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? version : version.substring(0, dot)) >= 11;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String name(Os os) {
        return switch (os) {
            case LINUX -> "Linux";
            case FREEBSD -> "FreeBSD";
            case MACOS -> "macOS";
            case NETBSD -> "NetBSD";
            case OPENBSD -> "OpenBSD";
            case DRAGONFLY -> "DragonFly";
        };
    }
}
