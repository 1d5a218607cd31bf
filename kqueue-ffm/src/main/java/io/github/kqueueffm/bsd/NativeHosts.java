package io.github.kqueueffm.bsd;

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
        return new NativeHost("Linux (libkqueue " + library + ")", ProvisionalAbis.libkqueue(),
                KqueueCalls.library(library), false);
    }

    /**
     * The ABI table of a BSD or macOS. PROVISIONAL: only FreeBSD's identity is in this build; the
     * lead replaces this switch with the per-OS tables ({@code bsd.abi.<Os>Abi.ABI}).
     */
    private static KeventAbi abi(Os os) {
        return switch (os) {
            case FREEBSD -> ProvisionalAbis.FREEBSD;
            case MACOS, NETBSD, OPENBSD, DRAGONFLY -> throw new UnsupportedOperationException(
                    "kqueue-ffm has no kevent table for " + name(os) + " in this build");
            case LINUX -> throw new UnsupportedOperationException(
                    "Linux has no kqueue of its own: name libkqueue with -Dkqueue.native.library");
        };
    }

    /**
     * The symbol of the {@code kevent} that uses the table's record. NetBSD renames it in its
     * header ({@code __RENAME(__kevent50)} for NetBSD 10's record, {@code __kevent100} for the one
     * with {@code ext[4]}); the others export {@code kevent} (FreeBSD's default symbol version is
     * the 64-byte record of FreeBSD 12 on).
     */
    private static String keventSymbol(Os os) {
        return os == Os.NETBSD ? "__kevent50" : "kevent";
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
