package io.github.kqueueffm.tests.support;

import io.github.kqueueffm.bindings.ErrnoCapture;
import io.github.kqueueffm.bindings.ErrnoNames;
import io.github.kqueueffm.bindings.linux.LinuxBindings;
import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxConstants;
import io.github.kqueueffm.bindings.linux.LinuxStructs;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@link HostOs} on Linux (glibc, x86_64 and aarch64): the one test source that uses the Linux
 * bindings. Calls go through {@link LinuxCalls} where it has them; the few C functions it lacks
 * (file times, {@code sigtimedwait}, {@code posix_spawn}, ...) are linked here by name. Reads of
 * {@code /proc} are in {@link LinuxProcFs}.
 *
 * <p>Every result passes through {@link #check}, the only place that turns −errno into a failure.
 */
final class LinuxHostOs implements HostOs {
    /** The instance {@link HostOs#current()} returns on Linux. */
    static final LinuxHostOs INSTANCE = new LinuxHostOs();

    /** Linux's {@code tcpi_state} numbers, from {@code include/net/tcp_states.h} (index = number). */
    private static final TcpState[] TCP_STATES = {TcpState.OTHER, TcpState.ESTABLISHED, TcpState.SYN_SENT,
        TcpState.SYN_RECEIVED, TcpState.FIN_WAIT_1, TcpState.FIN_WAIT_2, TcpState.TIME_WAIT, TcpState.CLOSED,
        TcpState.CLOSE_WAIT, TcpState.LAST_ACK, TcpState.LISTEN, TcpState.CLOSING, TcpState.OTHER};

    /**
     * Made now, so that its class is loaded before the first failure: the descriptor-exhaustion
     * tests make calls fail with EMFILE, when no descriptor is left to read a class file with.
     */
    private static final CallException PRELOADED = new CallException("preload", "none");

    private LinuxHostOs() {
    }

    // ------------------------------------------------------------------ the error convention

    /**
     * Checks a call's result: non-negative is success, negative a failure whose errno is thrown
     * by name. {@link LinuxCalls} and {@link #libc} return −errno, the kernel's convention.
     */
    private static long check(long result, String what) {
        if (result < 0) {
            throw failure(what, (int) -result);
        }
        return result;
    }

    private static CallException failure(String what, int errno) {
        return new CallException(what, ErrnoNames.name(errno));
    }

    private static int checkInt(long result, String what) {
        return (int) check(result, what);
    }

    // ------------------------------------------------------------------ errno

    @Override
    public String errnoName(int number) {
        return ErrnoNames.name(number);
    }

    @Override
    public int errnoNumber(String name) {
        return ErrnoNames.number(name);
    }

    // ------------------------------------------------------------------ descriptors

    @Override
    public int[] pipe() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            check(LinuxCalls.pipe2(fds, LinuxConstants.O_CLOEXEC | LinuxConstants.O_NONBLOCK), "pipe2");
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        }
    }

    @Override
    public int[] socketpair() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            check(LinuxCalls.socketpair(LinuxConstants.AF_UNIX,
                    LinuxConstants.SOCK_STREAM | LinuxConstants.SOCK_CLOEXEC | LinuxConstants.SOCK_NONBLOCK, 0, fds),
                    "socketpair");
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        }
    }

    @Override
    public int eventfd(int initial) {
        return checkInt(LinuxCalls.eventfd(initial, LinuxConstants.EFD_CLOEXEC | LinuxConstants.EFD_NONBLOCK),
                "eventfd");
    }

    @Override
    public int open(Path path, OpenFlag... flags) {
        int bits = LinuxConstants.O_CLOEXEC;
        for (OpenFlag f : flags) {
            bits |= switch (f) {
                case READ_ONLY -> LinuxConstants.O_RDONLY;
                case WRITE_ONLY -> LinuxConstants.O_WRONLY;
                case READ_WRITE -> LinuxConstants.O_RDWR;
                case APPEND -> LinuxConstants.O_APPEND;
                case NON_BLOCKING -> LinuxConstants.O_NONBLOCK;
            };
        }
        try (Arena arena = Arena.ofConfined()) {
            return checkInt(LinuxCalls.open(cString(arena, path), bits, 0), "open(" + path + ")");
        }
    }

    @Override
    public void mkfifo(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            check(LinuxCalls.mkfifo(cString(arena, path), 0600), "mkfifo(" + path + ")");
        }
    }

    @Override
    public long read(int fd, MemorySegment buffer, long count) {
        return check(LinuxCalls.read(fd, buffer, count), "read(" + fd + ")");
    }

    @Override
    public long write(int fd, MemorySegment buffer, long count) {
        return check(LinuxCalls.write(fd, buffer, count), "write(" + fd + ")");
    }

    @Override
    public long pwrite(int fd, MemorySegment buffer, long count, long offset) {
        return check(libc(Libc.PWRITE, fd, buffer, count, offset), "pwrite(" + fd + ")");
    }

    @Override
    public void close(int fd) {
        check(LinuxCalls.close(fd), "close(" + fd + ")");
    }

    @Override
    public int dup(int fd) {
        return checkInt(LinuxCalls.dup(fd), "dup"); // no string building: runs until EMFILE
    }

    @Override
    public boolean isOpen(int fd) {
        try {
            check(LinuxCalls.fcntl(fd, LinuxConstants.F_GETFD, 0), "fcntl(F_GETFD)");
            return true;
        } catch (CallException e) {
            if (e.errno().equals("EBADF")) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean isCloseOnExec(int fd) {
        int flags = checkInt(LinuxCalls.fcntl(fd, LinuxConstants.F_GETFD, 0), "fcntl(" + fd + ", F_GETFD)");
        return (flags & LinuxConstants.FD_CLOEXEC) != 0;
    }

    @Override
    public int bytesReadable(int fd) {
        return ioctlInt(fd, LinuxConstants.FIONREAD, "FIONREAD");
    }

    private static int ioctlInt(int fd, int request, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocate(JAVA_INT);
            check(LinuxCalls.ioctl(fd, request, n), "ioctl(" + fd + ", " + name + ")");
            return n.get(JAVA_INT, 0);
        }
    }

    @Override
    public boolean pollReadable(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pfd = arena.allocate(LinuxStructs.POLLFD_SIZE, 4);
            pfd.set(JAVA_INT, LinuxStructs.POLLFD_FD, fd);
            pfd.set(ValueLayout.JAVA_SHORT, LinuxStructs.POLLFD_EVENTS, (short) LinuxConstants.POLLIN);
            int n = checkInt(LinuxCalls.poll(pfd, 1, 0), "poll");
            return n == 1 && (pfd.get(ValueLayout.JAVA_SHORT, LinuxStructs.POLLFD_REVENTS) & LinuxConstants.POLLIN) != 0;
        }
    }

    @Override
    public int pipeCapacity(int fd) {
        return checkInt(LinuxCalls.fcntl(fd, LinuxConstants.F_GETPIPE_SZ, 0), "fcntl(" + fd + ", F_GETPIPE_SZ)");
    }

    @Override
    public boolean isSocket(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(LinuxStructs.STAT_SIZE, 8);
            check(LinuxCalls.fstat(fd, st), "fstat(" + fd + ")");
            return (st.get(JAVA_INT, LinuxStructs.STAT_MODE) & LinuxConstants.S_IFMT) == LinuxConstants.S_IFSOCK;
        }
    }

    @Override
    public int[] openDescriptors() {
        return LinuxProcFs.openDescriptors();
    }

    @Override
    public Map<Integer, String> descriptorTargets(long pid) {
        return LinuxProcFs.descriptorTargets(pid);
    }

    // ------------------------------------------------------------------ sockets

    @Override
    public void shutdown(int fd, Shutdown how) {
        int h = switch (how) {
            case READ -> LinuxConstants.SHUT_RD;
            case WRITE -> LinuxConstants.SHUT_WR;
            case BOTH -> LinuxConstants.SHUT_RDWR;
        };
        check(LinuxCalls.shutdown(fd, h), "shutdown(" + fd + ", " + how + ")");
    }

    private static int option(SocketOption option) {
        return switch (option) {
            case SO_ERROR -> LinuxConstants.SO_ERROR;
            case SO_SNDBUF -> LinuxConstants.SO_SNDBUF;
            case SO_RCVLOWAT -> LinuxConstants.SO_RCVLOWAT;
        };
    }

    @Override
    public int socketOption(int fd, SocketOption option) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, 4);
            check(LinuxCalls.getsockopt(fd, LinuxConstants.SOL_SOCKET, option(option), value, length),
                    "getsockopt(" + fd + ", " + option + ")");
            return value.get(JAVA_INT, 0);
        }
    }

    @Override
    public void setSocketOption(int fd, SocketOption option, int v) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            value.set(JAVA_INT, 0, v);
            check(LinuxCalls.setsockopt(fd, LinuxConstants.SOL_SOCKET, option(option), value, 4),
                    "setsockopt(" + fd + ", " + option + ")");
        }
    }

    @Override
    public void setLingerZero(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment linger = arena.allocate(LinuxStructs.LINGER_SIZE, 4);
            linger.set(JAVA_INT, LinuxStructs.LINGER_ONOFF, 1);
            linger.set(JAVA_INT, LinuxStructs.LINGER_LINGER, 0);
            check(LinuxCalls.setsockopt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_LINGER, linger,
                    (int) LinuxStructs.LINGER_SIZE), "setsockopt(" + fd + ", SO_LINGER)");
        }
    }

    @Override
    public TcpState tcpState(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(LinuxStructs.TCP_INFO_SIZE, 8);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, (int) LinuxStructs.TCP_INFO_SIZE);
            check(LinuxCalls.getsockopt(fd, LinuxConstants.IPPROTO_TCP, LinuxConstants.TCP_INFO, info, length),
                    "getsockopt(" + fd + ", TCP_INFO)");
            int state = Byte.toUnsignedInt(info.get(ValueLayout.JAVA_BYTE, LinuxStructs.TCP_INFO_STATE));
            return state < TCP_STATES.length ? TCP_STATES[state] : TcpState.OTHER;
        }
    }

    @Override
    public int unacknowledgedBytes(int fd) {
        return ioctlInt(fd, LinuxConstants.SIOCOUTQ, "SIOCOUTQ");
    }

    /**
     * Linux only, for PR-23's probe: what the kernel answers this process when it subscribes to
     * the process-events connector (bind of a NETLINK_CONNECTOR socket to CN_IDX_PROC).
     *
     * @return "OK" or the errno name
     */
    static String processConnectorAnswer() {
        int s;
        try {
            s = checkInt(LinuxCalls.socket(LinuxConstants.AF_NETLINK,
                    LinuxConstants.SOCK_DGRAM | LinuxConstants.SOCK_CLOEXEC, LinuxConstants.NETLINK_CONNECTOR),
                    "socket(AF_NETLINK)");
        } catch (CallException e) {
            return e.errno();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(LinuxStructs.SOCKADDR_NL_SIZE, 4);
            address.set(ValueLayout.JAVA_SHORT, LinuxStructs.SOCKADDR_NL_FAMILY, (short) LinuxConstants.AF_NETLINK);
            address.set(JAVA_INT, LinuxStructs.SOCKADDR_NL_GROUPS, LinuxConstants.CN_IDX_PROC);
            check(LinuxCalls.bind(s, address, (int) LinuxStructs.SOCKADDR_NL_SIZE), "bind(CN_IDX_PROC)");
            return "OK";
        } catch (CallException e) {
            return e.errno();
        } finally {
            LinuxCalls.close(s);
        }
    }

    // ------------------------------------------------------------------ files

    @Override
    public void futimens(int fd) {
        check(libc(Libc.FUTIMENS, fd, MemorySegment.NULL), "futimens(" + fd + ")");
    }

    @Override
    public void utimes(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            check(libc(Libc.UTIMENSAT, LinuxConstants.AT_FDCWD, cString(arena, path), MemorySegment.NULL, 0),
                    "utimensat(" + path + ")");
        }
    }

    @Override
    public void ftruncate(int fd, long length) {
        check(libc(Libc.FTRUNCATE, fd, length), "ftruncate(" + fd + ")");
    }

    @Override
    public void fchmod(int fd, int mode) {
        check(libc(Libc.FCHMOD, fd, mode), "fchmod(" + fd + ")");
    }

    @Override
    public void fchown(int fd, int uid, int gid) {
        check(libc(Libc.FCHOWN, fd, uid, gid), "fchown(" + fd + ")");
    }

    @Override
    public void link(Path existing, Path newName) {
        try (Arena arena = Arena.ofConfined()) {
            check(libc(Libc.LINK, cString(arena, existing), cString(arena, newName)),
                    "link(" + existing + ", " + newName + ")");
        }
    }

    @Override
    public void unlink(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            check(libc(Libc.UNLINK, cString(arena, path)), "unlink(" + path + ")");
        }
    }

    @Override
    public void rename(Path from, Path to) {
        try (Arena arena = Arena.ofConfined()) {
            check(libc(Libc.RENAME, cString(arena, from), cString(arena, to)), "rename(" + from + ", " + to + ")");
        }
    }

    @Override
    public void mkdir(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            check(libc(Libc.MKDIR, cString(arena, path), 0700), "mkdir(" + path + ")");
        }
    }

    @Override
    public void rmdir(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            check(libc(Libc.RMDIR, cString(arena, path)), "rmdir(" + path + ")");
        }
    }

    private static MemorySegment cString(Arena arena, Path path) {
        return arena.allocateFrom(path.toString(), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ processes and threads

    @Override
    public int pid() {
        return LinuxCalls.getpid();
    }

    @Override
    public int tid() {
        return LinuxCalls.gettid();
    }

    @Override
    public long[] threadIds() {
        return LinuxProcFs.threadIds();
    }

    @Override
    public int spawnUnreaped(String script) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pid = arena.allocate(JAVA_INT);
            MemorySegment argv = arena.allocate(ADDRESS, 4);
            argv.setAtIndex(ADDRESS, 0, arena.allocateFrom("sh"));
            argv.setAtIndex(ADDRESS, 1, arena.allocateFrom("-c"));
            argv.setAtIndex(ADDRESS, 2, arena.allocateFrom(script));
            argv.setAtIndex(ADDRESS, 3, MemorySegment.NULL);
            MemorySegment envp = arena.allocate(ADDRESS, 2);
            envp.setAtIndex(ADDRESS, 0, arena.allocateFrom("PATH=/usr/bin:/bin"));
            envp.setAtIndex(ADDRESS, 1, MemorySegment.NULL);
            // posix_spawn returns the errno itself instead of setting errno
            int error = (int) call(Libc.POSIX_SPAWN, pid, arena.allocateFrom("/bin/sh"), MemorySegment.NULL,
                    MemorySegment.NULL, argv, envp);
            if (error != 0) {
                throw failure("posix_spawn(/bin/sh -c " + script + ")", error);
            }
            return pid.get(JAVA_INT, 0);
        }
    }

    @Override
    public int waitpid(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(JAVA_INT);
            long rc = check(libc(Libc.WAITPID, pid, status, 0), "waitpid(" + pid + ")");
            if (rc != pid) {
                throw new IllegalStateException("waitpid(" + pid + ") returned " + rc);
            }
            return status.get(JAVA_INT, 0);
        }
    }

    @Override
    public boolean processExists(long pid) {
        return LinuxProcFs.exists(pid);
    }

    @Override
    public char processState(long pid) {
        String[] f = LinuxProcFs.statFields(pid);
        return f == null ? 0 : f[0].charAt(0);
    }

    @Override
    public long parentPid(long pid) {
        String[] f = LinuxProcFs.statFields(pid);
        return f == null ? -1 : Long.parseLong(f[1]);
    }

    @Override
    public long processUid(long pid) {
        return LinuxProcFs.uid(pid);
    }

    @Override
    public String processCommand(long pid) {
        return LinuxProcFs.command(pid);
    }

    @Override
    public boolean canWatchForkAndExec() {
        return LinuxProcFs.hasEffectiveCapability(LinuxProcFs.CAP_NET_ADMIN) && LinuxProcFs.inInitialUserNamespace();
    }

    // ------------------------------------------------------------------ signals

    @Override
    public int signalNumber(String name) {
        String full = name.startsWith("SIG") ? name : "SIG" + name;
        if (!full.matches("SIG[A-Z0-9]+")) {
            throw new IllegalArgumentException("not a signal name: " + name);
        }
        try {
            return LinuxBindings.intConstant(full);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("no signal " + full + " on Linux", e);
        }
    }

    @Override
    public int sigrtmin() {
        return (int) call(Libc.SIGRTMIN);
    }

    @Override
    public int sigrtmax() {
        return (int) call(Libc.SIGRTMAX);
    }

    @Override
    public void kill(int pid, int signal) {
        check(LinuxCalls.kill(pid, signal), "kill(" + pid + ", " + signal + ")");
    }

    @Override
    public void signalThread(int tid, int signal) {
        check(LinuxCalls.tgkill(LinuxCalls.getpid(), tid, signal), "tgkill(" + tid + ", " + signal + ")");
    }

    private static MemorySegment sigset(Arena arena, int... signals) {
        MemorySegment set = arena.allocate(LinuxStructs.SIGSET_SIZE, 8);
        check(LinuxCalls.sigemptyset(set), "sigemptyset");
        for (int s : signals) {
            check(LinuxCalls.sigaddset(set, s), "sigaddset(" + s + ")");
        }
        return set;
    }

    private static void sigmask(int how, MemorySegment set, MemorySegment old, String what) {
        check(LinuxCalls.pthreadSigmask(how, set, old), what);
    }

    @Override
    public byte[] blockSignals(int... signals) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(LinuxStructs.SIGSET_SIZE, 8);
            sigmask(LinuxConstants.SIG_BLOCK, sigset(arena, signals), old, "pthread_sigmask(SIG_BLOCK)");
            return old.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Override
    public void setSignalMask(byte[] mask) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(LinuxStructs.SIGSET_SIZE, 8);
            MemorySegment.copy(mask, 0, set, ValueLayout.JAVA_BYTE, 0, mask.length);
            sigmask(LinuxConstants.SIG_SETMASK, set, MemorySegment.NULL, "pthread_sigmask(SIG_SETMASK)");
        }
    }

    @Override
    public byte[] signalMask() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(LinuxStructs.SIGSET_SIZE, 8);
            sigmask(LinuxConstants.SIG_BLOCK, MemorySegment.NULL, old, "pthread_sigmask(query)");
            return old.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Override
    public boolean signalPending(int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(LinuxStructs.SIGSET_SIZE, 8);
            check(libc(Libc.SIGPENDING, set), "sigpending");
            return check(LinuxCalls.sigismember(set, signal), "sigismember(" + signal + ")") == 1;
        }
    }

    @Override
    public int sigtimedwait(int signal, Duration timeout) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = sigset(arena, signal);
            MemorySegment ts = arena.allocate(LinuxStructs.TIMESPEC_SIZE, 8);
            ts.set(JAVA_LONG, LinuxStructs.TIMESPEC_SEC, timeout.getSeconds());
            ts.set(JAVA_LONG, LinuxStructs.TIMESPEC_NSEC, timeout.getNano());
            return checkInt(libc(Libc.SIGTIMEDWAIT, set, MemorySegment.NULL, ts), "sigtimedwait(" + signal + ")");
        }
    }

    @Override
    public long signalHandler(int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(LinuxStructs.SIGACTION_SIZE, 8);
            check(LinuxCalls.sigaction(signal, MemorySegment.NULL, old), "sigaction(" + signal + ", NULL, &old)");
            return old.get(JAVA_LONG, LinuxStructs.SIGACTION_HANDLER);
        }
    }

    /**
     * The fields the kernel keeps — {@code sa_handler}, the kernel's 64-bit {@code sa_mask},
     * {@code sa_flags} and {@code sa_restorer} — in hex. glibc's {@code struct sigaction} (152
     * bytes on x86_64 and aarch64) has a 1024-bit mask of which glibc fills the first 64 bits and
     * copies stack bytes into the rest, so the rest is left out.
     */
    @Override
    public String signalDisposition(int signal) {
        if (LinuxStructs.SIGACTION_SIZE != 152 || LinuxStructs.SIGACTION_HANDLER != 0) {
            throw new IllegalStateException("not glibc's struct sigaction layout: size " + LinuxStructs.SIGACTION_SIZE
                    + ", handler at " + LinuxStructs.SIGACTION_HANDLER);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(LinuxStructs.SIGACTION_SIZE, 8);
            check(LinuxCalls.sigaction(signal, MemorySegment.NULL, old), "sigaction(" + signal + ", NULL, &old)");
            HexFormat hex = HexFormat.of();
            return "handler " + hex.formatHex(old.asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE))
                    + " mask " + hex.formatHex(old.asSlice(8, 8).toArray(ValueLayout.JAVA_BYTE))
                    + " flags+restorer " + hex.formatHex(old.asSlice(136, 16).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Override
    public List<BigInteger> blockedSignalsPerThread() {
        return LinuxProcFs.blockedSetsOfAllThreads();
    }

    // ------------------------------------------------------------------ clocks and limits

    private static int clockId(Clock clock) {
        return switch (clock) {
            case REALTIME -> LinuxConstants.CLOCK_REALTIME;
            case MONOTONIC -> LinuxConstants.CLOCK_MONOTONIC;
            case BOOTTIME -> LinuxConstants.CLOCK_BOOTTIME;
        };
    }

    @Override
    public long clockNanos(Clock clock) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ts = arena.allocate(LinuxStructs.TIMESPEC_SIZE, 8);
            check(LinuxCalls.clockGettime(clockId(clock), ts), "clock_gettime(" + clock + ")");
            return ts.get(JAVA_LONG, LinuxStructs.TIMESPEC_SEC) * 1_000_000_000L
                    + ts.get(JAVA_LONG, LinuxStructs.TIMESPEC_NSEC);
        }
    }

    @Override
    public boolean setRealtimeClock(long nanos) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ts = arena.allocate(LinuxStructs.TIMESPEC_SIZE, 8);
            ts.set(JAVA_LONG, LinuxStructs.TIMESPEC_SEC, Math.floorDiv(nanos, 1_000_000_000L));
            ts.set(JAVA_LONG, LinuxStructs.TIMESPEC_NSEC, Math.floorMod(nanos, 1_000_000_000L));
            check(libc(Libc.CLOCK_SETTIME, LinuxConstants.CLOCK_REALTIME, ts), "clock_settime(CLOCK_REALTIME)");
            return true;
        } catch (CallException e) {
            return false; // EPERM without CAP_SYS_TIME
        }
    }

    @Override
    public long[] noFileLimit() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rl = arena.allocate(LinuxStructs.RLIMIT_SIZE, 8);
            check(LinuxCalls.getrlimit(LinuxConstants.RLIMIT_NOFILE, rl), "getrlimit(RLIMIT_NOFILE)");
            return new long[] {rl.get(JAVA_LONG, LinuxStructs.RLIMIT_CUR), rl.get(JAVA_LONG, LinuxStructs.RLIMIT_MAX)};
        }
    }

    @Override
    public void setNoFileLimit(long cur, long max) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rl = arena.allocate(LinuxStructs.RLIMIT_SIZE, 8);
            rl.set(JAVA_LONG, LinuxStructs.RLIMIT_CUR, cur);
            rl.set(JAVA_LONG, LinuxStructs.RLIMIT_MAX, max);
            check(LinuxCalls.setrlimit(LinuxConstants.RLIMIT_NOFILE, rl), "setrlimit(RLIMIT_NOFILE, " + cur + ")");
        }
    }

    // ------------------------------------------------------------------ C functions LinuxCalls lacks

    /**
     * Calls a {@link Libc} function linked with errno capture. Returns what the C function
     * returns on success and −errno on failure, as {@link LinuxCalls} does (see {@link #check}).
     */
    private static long libc(MethodHandle function, Object... args) {
        MemorySegment state = ErrnoCapture.state();
        Object[] all = new Object[args.length + 1];
        all[0] = state;
        System.arraycopy(args, 0, all, 1, args.length);
        long result = call(function, all);
        return result < 0 ? -ErrnoCapture.errno(state) : result;
    }

    /** Calls a {@link Libc} function with exactly the arguments given. */
    private static long call(MethodHandle function, Object... args) {
        try {
            return ((Number) function.invokeWithArguments(args)).longValue();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Downcalls for the C functions the tests need and {@link LinuxCalls} does not wrap. */
    private static final class Libc {
        private static final Linker LINKER = Linker.nativeLinker();

        static final MethodHandle FUTIMENS = capturing("futimens", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle UTIMENSAT = capturing("utimensat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        static final MethodHandle FTRUNCATE = capturing("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
        static final MethodHandle PWRITE = capturing("pwrite",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        static final MethodHandle FCHMOD = capturing("fchmod", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle FCHOWN = capturing("fchown",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle LINK = capturing("link", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle UNLINK = capturing("unlink", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle RENAME = capturing("rename", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle MKDIR = capturing("mkdir", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle RMDIR = capturing("rmdir", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle WAITPID = capturing("waitpid",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle SIGTIMEDWAIT = capturing("sigtimedwait",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle SIGPENDING = capturing("sigpending", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle CLOCK_SETTIME = capturing("clock_settime",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle POSIX_SPAWN = plain("posix_spawn", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        /** glibc's SIGRTMIN is a function: the first real-time signals are reserved for threads. */
        static final MethodHandle SIGRTMIN = plain("__libc_current_sigrtmin", FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle SIGRTMAX = plain("__libc_current_sigrtmax", FunctionDescriptor.of(JAVA_INT));

        private Libc() {
        }

        private static MethodHandle capturing(String name, FunctionDescriptor descriptor) {
            return LINKER.downcallHandle(address(name), descriptor, ErrnoCapture.option());
        }

        private static MethodHandle plain(String name, FunctionDescriptor descriptor) {
            return LINKER.downcallHandle(address(name), descriptor);
        }

        private static MemorySegment address(String name) {
            return LINKER.defaultLookup().find(name)
                    .orElseThrow(() -> new IllegalStateException("the C library has no " + name));
        }
    }
}
