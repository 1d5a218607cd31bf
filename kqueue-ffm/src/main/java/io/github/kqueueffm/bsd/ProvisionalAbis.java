package io.github.kqueueffm.bsd;

import io.github.kqueueffm.bindings.ErrnoNames;
import io.github.kqueueffm.bindings.linux.LinuxBindings;

import java.util.HashMap;
import java.util.Map;

import static io.github.kqueueffm.KEvent.EVFILT_AIO;
import static io.github.kqueueffm.KEvent.EVFILT_EMPTY;
import static io.github.kqueueffm.KEvent.EVFILT_FS;
import static io.github.kqueueffm.KEvent.EVFILT_LIO;
import static io.github.kqueueffm.KEvent.EVFILT_PROC;
import static io.github.kqueueffm.KEvent.EVFILT_PROCDESC;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_SENDFILE;
import static io.github.kqueueffm.KEvent.EVFILT_SIGNAL;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EVFILT_VNODE;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;

/**
 * PROVISIONAL: the two {@link KeventAbi}s the native backend needs to run before the per-OS
 * tables ({@code io.github.kqueueffm.bsd.abi.<Os>Abi.ABI}, written separately with their layout
 * tests) are merged; the lead swaps these for them in {@link NativeHosts}.
 *
 * <ul>
 *   <li>{@link #FREEBSD}: FreeBSD ≥ 12's layout and numbers as the identity, so lists pass
 *       untranslated. Its errno and signal tables are empty here: the FreeBSD table supplies them.
 *   <li>{@link #libkqueue()}: libkqueue on Linux LP64, from libkqueue 2.7.0's installed
 *       {@code include/kqueue/sys/event.h} (git f966089, 2.7.0-266); errno and signal numbers are the
 *       host's (glibc's), read from the generated Linux bindings.
 * </ul>
 */
public final class ProvisionalAbis {
    /** FreeBSD ≥ 12 ({@code sys/sys/event.h}, FreeBSD 14): the identity; errno and signals left empty. */
    public static final KeventAbi FREEBSD = new KeventAbi("FreeBSD", "FreeBSD 14 sys/sys/event.h (provisional identity)",
            64, 0, 8, 2, 10, 2, 12, 16, 24, 32,
            identityFilters(), freeBsdFlags(), Map.of(), Map.of(), Map.of());

    /** The standard signals, by the names every Unix shares. */
    private static final String[] SIGNALS = {"SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
        "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGSYS"};

    private ProvisionalAbis() {
    }

    /**
     * libkqueue on Linux LP64: {@code struct kevent} of 32 bytes without {@code ext}
     * ({@code uintptr_t ident; short filter; unsigned short flags; unsigned int fflags;
     * intptr_t data; void *udata;}); FreeBSD's filter numbers for the filters it builds on Linux
     * (READ, WRITE, VNODE, PROC, SIGNAL, TIMER, USER; −12 is its own EVFILT_LIBKQUEUE, not
     * FreeBSD's EVFILT_SENDFILE); no EV_FORCEONESHOT or EV_KEEPUDATA; timer units numbered as
     * macOS's {@code kevent64} (NOTE_SECONDS 1, NOTE_USECONDS 2, NOTE_NSECONDS 4, NOTE_ABSOLUTE 8,
     * milliseconds by default); vnode NOTE_DELETE … NOTE_RENAME as FreeBSD, 0x80 is its
     * NOTE_TRUNCATE.
     *
     * @return the ABI, with the running host's errno and signal numbers
     */
    public static KeventAbi libkqueue() {
        Map<Short, Integer> filters = new HashMap<>();
        for (short f : new short[] {EVFILT_READ, EVFILT_WRITE, EVFILT_VNODE, EVFILT_PROC, EVFILT_SIGNAL,
            EVFILT_TIMER, EVFILT_USER}) {
            filters.put(f, (int) f);
        }
        Map<Integer, Integer> flags = new HashMap<>();
        for (int bit : new int[] {0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x1000, 0x2000, 0x4000, 0x8000}) {
            flags.put(bit, bit); // EV_ADD … EV_DISPATCH; EV_SYSFLAGS (EV_DROP, EV_FLAG1, EV_ERROR, EV_EOF)
        }
        flags.put(0x400, 0); // defined by no kqueue: FreeBSD ignores them
        flags.put(0x800, 0);
        Map<Integer, Integer> timer = Map.of(0x1, 0x1, 0x2, 0, 0x4, 0x2, 0x8, 0x4, 0x10, 0x8);
        Map<Integer, Integer> vnode = new HashMap<>();
        for (int bit : new int[] {0x1, 0x2, 0x4, 0x8, 0x10, 0x20}) {
            vnode.put(bit, bit); // NOTE_DELETE, WRITE, EXTEND, ATTRIB, LINK, RENAME
        }
        for (int bit : new int[] {0x40, 0x80, 0x100, 0x200, 0x400}) {
            vnode.put(bit, 0); // REVOKE, OPEN, CLOSE, CLOSE_WRITE, READ: never reported by libkqueue
        }
        Map<String, Integer> signals = new HashMap<>();
        if (LinuxBindings.isAvailable()) {
            for (String name : SIGNALS) {
                signals.put(name, LinuxBindings.intConstant(name));
            }
        }
        return new KeventAbi("libkqueue", "libkqueue 2.7.0-266 include/kqueue/sys/event.h (git f966089), Linux LP64",
                32, 0, 8, 2, 10, 2, 12, 16, 24, -1,
                Map.copyOf(filters), Map.copyOf(flags), Map.of(EVFILT_TIMER, timer, EVFILT_VNODE, Map.copyOf(vnode)),
                ErrnoNames.all(), Map.copyOf(signals));
    }

    private static Map<Short, Integer> identityFilters() {
        Map<Short, Integer> filters = new HashMap<>();
        for (short f : new short[] {EVFILT_READ, EVFILT_WRITE, EVFILT_AIO, EVFILT_VNODE, EVFILT_PROC, EVFILT_SIGNAL,
            EVFILT_TIMER, EVFILT_PROCDESC, EVFILT_FS, EVFILT_LIO, EVFILT_USER, EVFILT_SENDFILE, EVFILT_EMPTY}) {
            filters.put(f, (int) f);
        }
        return Map.copyOf(filters);
    }

    private static Map<Integer, Integer> freeBsdFlags() {
        Map<Integer, Integer> flags = new HashMap<>();
        for (int bit : new int[] {0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100, 0x200, 0x1000, 0x2000, 0x4000,
            0x8000}) {
            flags.put(bit, bit);
        }
        return Map.copyOf(flags);
    }
}
