package io.github.kqueueffm.bindings.kqueue;

import io.github.kqueueffm.bindings.ErrnoCapture;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The few POSIX calls the native kqueue backend makes besides {@code kqueue} and {@code kevent},
 * bound by name from the C library of whatever Unix runs the JVM: their signatures and the values
 * used with them ({@code F_SETFD} 2, {@code FD_CLOEXEC} 1, {@code O_RDONLY} 0) are the same on
 * Linux, FreeBSD, macOS, NetBSD, OpenBSD and DragonFly.
 *
 * <p>Every method returns the call's result, or {@code -errno} when it failed (the kernel's
 * convention). Nothing allocates: errno is captured into a per-thread segment, pointers are the
 * caller's.
 */
public final class PosixCalls {
    /** {@code fcntl} command: set descriptor flags. */
    public static final int F_SETFD = 2;
    /** Descriptor flag: close on exec. */
    public static final int FD_CLOEXEC = 1;
    /** {@code open} access mode: read only. */
    public static final int O_RDONLY = 0;

    private static final ValueLayout INT = ValueLayout.JAVA_INT;
    private static final ValueLayout LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout POINTER = ValueLayout.ADDRESS;
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);

    private static final MethodHandle PIPE = NativeLinker.link(null, "pipe", FunctionDescriptor.of(INT, POINTER));
    private static final MethodHandle READ = NativeLinker.link(null, "read",
            FunctionDescriptor.of(LONG, INT, POINTER, LONG), CRITICAL);
    private static final MethodHandle WRITE = NativeLinker.link(null, "write",
            FunctionDescriptor.of(LONG, INT, POINTER, LONG), CRITICAL);
    private static final MethodHandle CLOSE = NativeLinker.link(null, "close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle OPEN = NativeLinker.link(null, "open",
            FunctionDescriptor.of(INT, POINTER, INT, INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle FCNTL = NativeLinker.link(null, "fcntl",
            FunctionDescriptor.of(INT, INT, INT, INT), Linker.Option.firstVariadicArg(2), CRITICAL);

    private PosixCalls() {
    }

    /**
     * {@code pipe(2)}.
     *
     * @param fds two {@code int}s: the read end, then the write end
     * @return 0, or −errno
     */
    public static int pipe(MemorySegment fds) {
        try {
            return result((int) PIPE.invokeExact(ErrnoCapture.state(), fds));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code read(2)}; blocks on a blocking descriptor.
     *
     * @param fd the descriptor
     * @param buffer at least {@code count} bytes
     * @param count bytes to read
     * @return bytes read, or −errno
     */
    public static long read(int fd, MemorySegment buffer, long count) {
        try {
            long n = (long) READ.invokeExact(ErrnoCapture.state(), fd, buffer, count);
            return n < 0 ? -ErrnoCapture.errno() : n;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code write(2)}, for writes that do not block (a byte into a pipe with room).
     *
     * @param fd the descriptor
     * @param buffer at least {@code count} bytes
     * @param count bytes to write
     * @return bytes written, or −errno
     */
    public static long write(int fd, MemorySegment buffer, long count) {
        try {
            long n = (long) WRITE.invokeExact(ErrnoCapture.state(), fd, buffer, count);
            return n < 0 ? -ErrnoCapture.errno() : n;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code close(2)}.
     *
     * @param fd the descriptor
     * @return 0, or −errno
     */
    public static int close(int fd) {
        try {
            return result((int) CLOSE.invokeExact(ErrnoCapture.state(), fd));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code open(2)} without {@code O_CREAT}.
     *
     * @param path a NUL-terminated path
     * @param flags e.g. {@link #O_RDONLY}
     * @return the descriptor, or −errno
     */
    public static int open(MemorySegment path, int flags) {
        try {
            return result((int) OPEN.invokeExact(ErrnoCapture.state(), path, flags, 0));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code fcntl(2)} with an {@code int} argument.
     *
     * @param fd the descriptor
     * @param command e.g. {@link #F_SETFD}
     * @param argument e.g. {@link #FD_CLOEXEC}
     * @return the command's result, or −errno
     */
    public static int fcntl(int fd, int command, int argument) {
        try {
            return result((int) FCNTL.invokeExact(ErrnoCapture.state(), fd, command, argument));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * A pipe whose two ends are close-on-exec.
     *
     * @param fds two {@code int}s: the read end, then the write end
     * @return 0, or −errno (no descriptor is left open then)
     */
    public static int cloexecPipe(MemorySegment fds) {
        int rc = pipe(fds);
        if (rc < 0) {
            return rc;
        }
        for (int end = 0; end < 2; end++) {
            rc = fcntl(fds.getAtIndex(ValueLayout.JAVA_INT, end), F_SETFD, FD_CLOEXEC);
            if (rc < 0) {
                close(fds.getAtIndex(ValueLayout.JAVA_INT, 0));
                close(fds.getAtIndex(ValueLayout.JAVA_INT, 1));
                return rc;
            }
        }
        return 0;
    }

    private static int result(int rc) {
        return rc < 0 ? -ErrnoCapture.errno() : rc;
    }

    static IllegalStateException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected exception from a native call", t);
    }
}
