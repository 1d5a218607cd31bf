package io.github.kqueueffm.bindings.kqueue;

import io.github.kqueueffm.bindings.ErrnoCapture;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * {@code kqueue()} and {@code kevent()} of one library: the C library on FreeBSD, macOS, NetBSD,
 * OpenBSD and DragonFly, or a kqueue library named by an absolute path (libkqueue on Linux). The
 * records passed to {@code kevent} are the host's own {@code struct kevent}s; this class does not
 * look into them.
 *
 * <pre>
 * int kqueue(void);
 * int kevent(int kq, const struct kevent *changelist, int nchanges,
 *            struct kevent *eventlist, int nevents, const struct timespec *timeout);
 * </pre>
 *
 * <p>Every method returns the call's result, or {@code -errno} when it failed. A kqueue
 * descriptor is closed with {@link PosixCalls#close(int)} (libkqueue too: it notices the close).
 */
public final class KqueueCalls {
    /** {@code struct timespec} on every 64-bit target: {@code tv_sec}, then {@code tv_nsec}. */
    public static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("tv_sec"), ValueLayout.JAVA_LONG.withName("tv_nsec"));

    private static final FunctionDescriptor KEVENT = FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS);

    private final String source;
    private final MethodHandle kqueue;
    private final MethodHandle kevent;
    private final MethodHandle keventNow;

    private KqueueCalls(Path library, String keventSymbol) {
        this.source = library == null ? "libc " + keventSymbol : library + " " + keventSymbol;
        this.kqueue = NativeLinker.link(library, "kqueue", FunctionDescriptor.of(ValueLayout.JAVA_INT));
        this.kevent = NativeLinker.link(library, keventSymbol, KEVENT);
        this.keventNow = NativeLinker.link(library, keventSymbol, KEVENT, Linker.Option.critical(false));
    }

    /**
     * The C library's kqueue functions.
     *
     * @param keventSymbol the symbol of the {@code kevent} whose record layout the caller uses:
     *                     {@code kevent}, or on NetBSD the versioned name the header renames it
     *                     to ({@code __kevent50}, {@code __kevent100})
     * @return the calls
     * @throws IllegalStateException if the C library has no such functions
     */
    public static KqueueCalls libc(String keventSymbol) {
        return new KqueueCalls(null, keventSymbol);
    }

    /**
     * The kqueue functions of a library loaded from an absolute path (libkqueue's
     * {@code libkqueue.so}). The library stays loaded for the life of the JVM.
     *
     * @param library an absolute path
     * @return the calls
     * @throws IllegalArgumentException if the path is not absolute
     * @throws IllegalStateException if the library cannot be loaded or lacks the functions
     */
    public static KqueueCalls library(Path library) {
        if (!library.isAbsolute()) {
            throw new IllegalArgumentException("not an absolute path: " + library);
        }
        return new KqueueCalls(library, "kevent");
    }

    /**
     * Where the functions come from, for messages.
     *
     * @return e.g. {@code /opt/libkqueue/lib/libkqueue.so kevent}
     */
    public String source() {
        return source;
    }

    /**
     * {@code kqueue(2)}.
     *
     * @return a kqueue descriptor, or −errno
     */
    public int kqueue() {
        try {
            int fd = (int) kqueue.invokeExact(ErrnoCapture.state());
            return fd < 0 ? -ErrnoCapture.errno() : fd;
        } catch (Throwable t) {
            throw PosixCalls.unexpected(t);
        }
    }

    /**
     * {@code kevent(2)}, which may block for as long as {@code timeout} says.
     *
     * @param kq the kqueue descriptor
     * @param changes {@code nchanges} host records, or {@link MemorySegment#NULL}
     * @param nchanges changes to apply
     * @param events room for {@code nevents} host records, or {@link MemorySegment#NULL}
     * @param nevents room for events
     * @param timeout a {@link #TIMESPEC}, or {@link MemorySegment#NULL} to wait without limit
     * @return the number of records written to {@code events}, or −errno
     */
    public int kevent(int kq, MemorySegment changes, int nchanges, MemorySegment events, int nevents,
            MemorySegment timeout) {
        try {
            int n = (int) kevent.invokeExact(ErrnoCapture.state(), kq, changes, nchanges, events, nevents, timeout);
            return n < 0 ? -ErrnoCapture.errno() : n;
        } catch (Throwable t) {
            throw PosixCalls.unexpected(t);
        }
    }

    /**
     * {@code kevent(2)} for a call that does not wait (a zero timeout, or no room for events),
     * linked {@code critical}: it skips the thread-state transition of a blocking call.
     *
     * @param kq the kqueue descriptor
     * @param changes {@code nchanges} host records, or {@link MemorySegment#NULL}
     * @param nchanges changes to apply
     * @param events room for {@code nevents} host records, or {@link MemorySegment#NULL}
     * @param nevents room for events
     * @param timeout a zero {@link #TIMESPEC} (or any, when {@code nevents} is 0)
     * @return the number of records written to {@code events}, or −errno
     */
    public int keventNow(int kq, MemorySegment changes, int nchanges, MemorySegment events, int nevents,
            MemorySegment timeout) {
        try {
            int n = (int) keventNow.invokeExact(ErrnoCapture.state(), kq, changes, nchanges, events, nevents, timeout);
            return n < 0 ? -ErrnoCapture.errno() : n;
        } catch (Throwable t) {
            throw PosixCalls.unexpected(t);
        }
    }

    @Override
    public String toString() {
        return "KqueueCalls[" + source + "]";
    }
}
