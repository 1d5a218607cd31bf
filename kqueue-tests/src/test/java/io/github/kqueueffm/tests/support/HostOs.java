package io.github.kqueueffm.tests.support;

import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every raw operating-system operation the tests make, behind one interface so that the same
 * conformance suite can judge the library on any host. The test sources call the kernel only
 * through {@link #current()}; {@link LinuxHostOs} is the one test source that touches the Linux
 * bindings.
 *
 * <p>Parameters are host-neutral: errno values travel as names ({@code "EAGAIN"}), open flags,
 * socket options, clocks and shutdown directions as the small enums below, signals as the host's
 * own numbers looked up by name ({@link #signalNumber}). A call that fails throws a
 * {@link CallException} carrying the errno name; no method answers −1 and leaves errno behind.
 *
 * <p>A few methods report facts only some kernels have (a pipe's capacity, the link text of a
 * descriptor, the process connector): each says what it means on Linux and what another host
 * should answer.
 */
public interface HostOs {

    /**
     * The implementation for the running operating system.
     *
     * <p>Linux only today; issue 10 adds the BSD implementation (FreeBSD, macOS) for the native
     * kqueue backend, which runs this same suite.
     *
     * @return the host's operations
     * @throws UnsupportedOperationException on an operating system without an implementation
     */
    static HostOs current() {
        String os = System.getProperty("os.name", "");
        if (os.equals("Linux")) {
            return LinuxHostOs.INSTANCE;
        }
        throw new UnsupportedOperationException("the tests have no HostOs implementation for " + os
                + " (os.name); only Linux has one so far (issue 10 adds the BSDs)");
    }

    /**
     * A system call that failed, with the symbolic errno it failed with.
     */
    final class CallException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final String call;
        private final String errno;

        /**
         * @param call the call and its arguments, e.g. {@code dup(7)}
         * @param errno the errno name, e.g. {@code EMFILE}
         */
        public CallException(String call, String errno) {
            super(call + " failed: " + errno);
            this.call = call;
            this.errno = errno;
        }

        /** @return the call and its arguments */
        public String call() {
            return call;
        }

        /** @return the errno name, e.g. {@code EAGAIN} ({@code "errno N"} for a number the host does not name) */
        public String errno() {
            return errno;
        }
    }

    /** Access mode and flags of {@link #open}; close-on-exec is always added. */
    enum OpenFlag {
        /** {@code O_RDONLY}. */
        READ_ONLY,
        /** {@code O_WRONLY}. */
        WRITE_ONLY,
        /** {@code O_RDWR}. */
        READ_WRITE,
        /** {@code O_APPEND}. */
        APPEND,
        /** {@code O_NONBLOCK}. */
        NON_BLOCKING
    }

    /** The direction argument of {@link #shutdown}. */
    enum Shutdown {
        /** {@code SHUT_RD}. */
        READ,
        /** {@code SHUT_WR}. */
        WRITE,
        /** {@code SHUT_RDWR}. */
        BOTH
    }

    /** The {@code SOL_SOCKET} integer options the tests read or set. */
    enum SocketOption {
        /** {@code SO_ERROR}: the pending socket error (an errno number); reading it clears it. */
        SO_ERROR,
        /** {@code SO_SNDBUF}: on Linux getsockopt reports twice the value set. */
        SO_SNDBUF,
        /** {@code SO_RCVLOWAT}. */
        SO_RCVLOWAT
    }

    /** TCP connection states, by their RFC 793 names (each kernel numbers them its own way). */
    enum TcpState {
        /** ESTABLISHED. */
        ESTABLISHED,
        /** SYN-SENT: a connect waiting for the handshake. */
        SYN_SENT,
        /** SYN-RECEIVED. */
        SYN_RECEIVED,
        /** FIN-WAIT-1. */
        FIN_WAIT_1,
        /** FIN-WAIT-2. */
        FIN_WAIT_2,
        /** TIME-WAIT. */
        TIME_WAIT,
        /** CLOSED. */
        CLOSED,
        /** CLOSE-WAIT. */
        CLOSE_WAIT,
        /** LAST-ACK. */
        LAST_ACK,
        /** LISTEN. */
        LISTEN,
        /** CLOSING. */
        CLOSING,
        /** A state the host has beyond RFC 793's (Linux's NEW_SYN_RECV). */
        OTHER
    }

    /** The clocks of {@link #clockNanos}. */
    enum Clock {
        /** {@code CLOCK_REALTIME}: nanoseconds since the epoch. */
        REALTIME,
        /** {@code CLOCK_MONOTONIC}. */
        MONOTONIC,
        /** {@code CLOCK_BOOTTIME}: time since boot, suspend included (FreeBSD: CLOCK_UPTIME). */
        BOOTTIME
    }

    // ------------------------------------------------------------------ errno

    /**
     * The symbolic name of a host errno number.
     *
     * @param number a host errno number
     * @return its name, e.g. {@code EBADF}, or {@code "errno N"} for a number the host does not name
     */
    String errnoName(int number);

    /**
     * The host's number of an errno name (ECONNRESET is 104 on Linux, 54 on FreeBSD).
     *
     * @param name e.g. {@code EBADF}
     * @return its number, or −1 if the host does not define it
     */
    int errnoNumber(String name);

    // ------------------------------------------------------------------ descriptors

    /**
     * {@code pipe2(O_CLOEXEC | O_NONBLOCK)}.
     *
     * @return {@code [0]} the read end, {@code [1]} the write end
     */
    int[] pipe();

    /**
     * {@code socketpair(AF_UNIX, SOCK_STREAM)}, both ends close-on-exec and non-blocking.
     *
     * @return the two ends
     */
    int[] socketpair();

    /**
     * {@code eventfd(initial, EFD_CLOEXEC | EFD_NONBLOCK)} (Linux; FreeBSD 13 has it too).
     *
     * @param initial the counter's first value
     * @return the descriptor
     */
    int eventfd(int initial);

    /**
     * {@code open(2)} with close-on-exec added.
     *
     * @param path the file
     * @param flags one access mode and any further flags
     * @return the descriptor
     */
    int open(Path path, OpenFlag... flags);

    /**
     * {@code mkfifo(3)} with mode 0600.
     *
     * @param path where
     */
    void mkfifo(Path path);

    /**
     * {@code read(2)}.
     *
     * @param fd the descriptor
     * @param buffer the destination
     * @param count bytes to read at most
     * @return bytes read, 0 at end of file
     */
    long read(int fd, MemorySegment buffer, long count);

    /**
     * {@code write(2)}.
     *
     * @param fd the descriptor
     * @param buffer the source
     * @param count bytes to write
     * @return bytes written
     */
    long write(int fd, MemorySegment buffer, long count);

    /**
     * {@code pwrite(2)}.
     *
     * @param fd the descriptor
     * @param buffer the source
     * @param count bytes to write
     * @param offset where in the file
     * @return bytes written
     */
    long pwrite(int fd, MemorySegment buffer, long count, long offset);

    /**
     * {@code close(2)}.
     *
     * @param fd the descriptor
     */
    void close(int fd);

    /**
     * {@code dup(2)}: the lowest free number, without close-on-exec.
     *
     * @param fd the descriptor
     * @return the copy
     */
    int dup(int fd);

    /**
     * Whether a number names an open descriptor ({@code fcntl(F_GETFD)} succeeds; EBADF means no,
     * any other failure throws).
     *
     * @param fd the number
     * @return true if open
     */
    boolean isOpen(int fd);

    /**
     * Whether close-on-exec ({@code FD_CLOEXEC}) is set.
     *
     * @param fd the descriptor
     * @return true if set
     */
    boolean isCloseOnExec(int fd);

    /**
     * Bytes queued for reading ({@code FIONREAD}).
     *
     * @param fd the descriptor
     * @return the count
     */
    int bytesReadable(int fd);

    /**
     * Whether {@code poll(2)} with a zero timeout reports {@code POLLIN}.
     *
     * @param fd the descriptor
     * @return true if readable now
     */
    boolean pollReadable(int fd);

    /**
     * The buffer size of a pipe: how many bytes an empty pipe takes before a write blocks (Linux:
     * {@code F_GETPIPE_SZ}, 65536 by default).
     *
     * @param fd either end
     * @return the capacity in bytes
     */
    int pipeCapacity(int fd);

    /**
     * Whether a descriptor is a socket ({@code S_ISSOCK} of {@code fstat}).
     *
     * @param fd the descriptor
     * @return true for a socket
     */
    boolean isSocket(int fd);

    /**
     * This process's open descriptor numbers as the host's descriptor directory lists them (Linux
     * {@code /proc/self/fd}, FreeBSD {@code /dev/fd}). The listing includes the one descriptor it
     * was read through, closed again by the time this returns: open descriptors are one fewer.
     *
     * @return the numbers, ascending
     */
    int[] openDescriptors();

    /**
     * What each open descriptor of a process refers to, as the host names it: Linux gives the link
     * text of {@code /proc/<pid>/fd/<n>} (a path, {@code socket:[…]}, {@code pipe:[…]},
     * {@code anon_inode:inotify}, ...). Descriptors that close while the listing runs are left out.
     *
     * @param pid the process (this one: {@link ProcessHandle#pid()})
     * @return descriptor number to target, ascending
     */
    Map<Integer, String> descriptorTargets(long pid);

    // ------------------------------------------------------------------ sockets

    /**
     * {@code shutdown(2)}.
     *
     * @param fd a connected socket
     * @param how which direction
     */
    void shutdown(int fd, Shutdown how);

    /**
     * {@code getsockopt(SOL_SOCKET)} of an integer option.
     *
     * @param fd a socket
     * @param option the option
     * @return its value
     */
    int socketOption(int fd, SocketOption option);

    /**
     * {@code setsockopt(SOL_SOCKET)} of an integer option.
     *
     * @param fd a socket
     * @param option the option
     * @param value its new value
     */
    void setSocketOption(int fd, SocketOption option, int value);

    /**
     * {@code SO_LINGER {1, 0}}: the next {@code close(2)} resets the connection.
     *
     * @param fd a TCP socket
     */
    void setLingerZero(int fd);

    /**
     * The state of a TCP socket (Linux: {@code tcpi_state} of {@code TCP_INFO}).
     *
     * @param fd a TCP socket
     * @return the state
     */
    TcpState tcpState(int fd);

    /**
     * Bytes in a socket's send queue that the peer has not acknowledged yet (Linux:
     * {@code SIOCOUTQ}; FreeBSD: {@code FIONWRITE}).
     *
     * @param fd a socket
     * @return the count
     */
    int unacknowledgedBytes(int fd);

    // ------------------------------------------------------------------ files

    /**
     * {@code futimens(fd, NULL)}: both times set to now.
     *
     * @param fd the file
     */
    void futimens(int fd);

    /**
     * {@code utimensat(AT_FDCWD, path, NULL, 0)}: both times set to now, by path.
     *
     * @param path the file
     */
    void utimes(Path path);

    /**
     * {@code ftruncate(2)}.
     *
     * @param fd the file
     * @param length the new length
     */
    void ftruncate(int fd, long length);

    /**
     * {@code fchmod(2)}.
     *
     * @param fd the file
     * @param mode permission bits
     */
    void fchmod(int fd, int mode);

    /**
     * {@code fchown(2)}.
     *
     * @param fd the file
     * @param uid the owner
     * @param gid the group
     */
    void fchown(int fd, int uid, int gid);

    /**
     * {@code link(2)}.
     *
     * @param existing the file
     * @param newName its new name
     */
    void link(Path existing, Path newName);

    /**
     * {@code unlink(2)}.
     *
     * @param path the name to remove
     */
    void unlink(Path path);

    /**
     * {@code rename(2)}.
     *
     * @param from the old name
     * @param to the new name
     */
    void rename(Path from, Path to);

    /**
     * {@code mkdir(2)} with mode 0700.
     *
     * @param path the new directory
     */
    void mkdir(Path path);

    /**
     * {@code rmdir(2)}.
     *
     * @param path the directory
     */
    void rmdir(Path path);

    // ------------------------------------------------------------------ processes and threads

    /** @return {@code getpid()} */
    int pid();

    /** @return the calling thread's kernel id (Linux {@code gettid()}) */
    int tid();

    /**
     * The kernel ids of this process's threads (Linux: {@code /proc/self/task}).
     *
     * @return the ids
     */
    long[] threadIds();

    /**
     * Starts {@code /bin/sh -c script} with {@code posix_spawn(3)}: a real child that the JDK knows
     * nothing about, so no reaper thread waits for it and it stays a zombie after it exits until
     * {@link #waitpid}.
     *
     * @param script the script
     * @return its pid
     */
    int spawnUnreaped(String script);

    /**
     * {@code waitpid(pid, &status, 0)}.
     *
     * @param pid a child of this process
     * @return its wait status
     */
    int waitpid(int pid);

    /**
     * Whether a process exists (zombies included).
     *
     * @param pid the process
     * @return true until it has been reaped
     */
    boolean processExists(long pid);

    /**
     * The state letter of a process as {@code ps} shows it ({@code R}, {@code S}, {@code Z} for a
     * zombie, ...).
     *
     * @param pid the process
     * @return the letter, or 0 if the process is gone
     */
    char processState(long pid);

    /**
     * @param pid the process
     * @return its parent's pid, or −1 if it is gone
     */
    long parentPid(long pid);

    /**
     * @param pid the process
     * @return its real uid, or −1 if it is gone
     */
    long processUid(long pid);

    /**
     * @param pid the process
     * @return its command name (Linux: {@code /proc/<pid>/comm}), or null if it is gone
     */
    String processCommand(long pid);

    /**
     * Whether this process may watch other processes' fork and exec: on Linux the library uses
     * the netlink process connector, which needs CAP_NET_ADMIN in the initial user namespace; a
     * BSD kernel always allows it.
     *
     * @return true if NOTE_FORK, NOTE_EXEC and NOTE_TRACK can be registered
     */
    boolean canWatchForkAndExec();

    // ------------------------------------------------------------------ signals

    /**
     * The host's number of a signal (SIGUSR1 is 10 on Linux, 30 on FreeBSD).
     *
     * @param name with or without the SIG prefix: {@code "USR1"}, {@code "SIGWINCH"}
     * @return its number
     * @throws IllegalArgumentException if the host has no such signal
     */
    int signalNumber(String name);

    /** @return the first real-time signal applications may use ({@code SIGRTMIN}) */
    int sigrtmin();

    /** @return the last real-time signal ({@code SIGRTMAX}), the largest signal number */
    int sigrtmax();

    /**
     * {@code kill(2)}.
     *
     * @param pid the process
     * @param signal the signal number
     */
    void kill(int pid, int signal);

    /**
     * Sends a signal to one thread of this process (Linux {@code tgkill(getpid(), tid, signal)};
     * with {@code tid = tid()} this is {@code pthread_kill(pthread_self(), signal)}).
     *
     * @param tid the thread's kernel id
     * @param signal the signal number
     */
    void signalThread(int tid, int signal);

    /**
     * {@code pthread_sigmask(SIG_BLOCK, signals)} in the calling thread.
     *
     * @param signals the signals to block
     * @return the mask the thread had before, for {@link #setSignalMask}
     */
    byte[] blockSignals(int... signals);

    /**
     * {@code pthread_sigmask(SIG_SETMASK)} in the calling thread.
     *
     * @param mask a mask from {@link #blockSignals} or {@link #signalMask}
     */
    void setSignalMask(byte[] mask);

    /**
     * The calling thread's signal mask.
     *
     * @return the bytes of its {@code sigset_t}
     */
    byte[] signalMask();

    /**
     * Whether a signal is pending for the calling thread or the process ({@code sigpending(2)}).
     *
     * @param signal the signal
     * @return true if pending
     */
    boolean signalPending(int signal);

    /**
     * {@code sigtimedwait({signal}, NULL, timeout)} in the calling thread; the signal should be
     * blocked in it. Throws a {@link CallException} with EAGAIN when the timeout passes.
     *
     * @param signal the signal to take
     * @param timeout the longest wait
     * @return the signal taken
     */
    int sigtimedwait(int signal, Duration timeout);

    /**
     * The native handler of a signal ({@code sa_handler} of {@code sigaction(sig, NULL, &old)}):
     * 0 for {@code SIG_DFL}, 1 for {@code SIG_IGN}, otherwise a handler address.
     *
     * @param signal the signal
     * @return the handler
     */
    long signalHandler(int signal);

    /**
     * The whole native disposition of a signal as the kernel keeps it (handler, mask, flags, and
     * on Linux the restorer), as text that changes whenever any of them changes.
     *
     * @param signal the signal
     * @return e.g. {@code handler … mask … flags+restorer …} in hex
     */
    String signalDisposition(int signal);

    /**
     * The blocked-signal sets of every thread of this process (Linux: {@code SigBlk} of
     * {@code /proc/self/task/<tid>/status}); bit {@code s − 1} stands for signal {@code s}.
     * Threads that exit while being read are left out.
     *
     * @return one set per thread
     */
    List<BigInteger> blockedSignalsPerThread();

    // ------------------------------------------------------------------ clocks and limits

    /**
     * {@code clock_gettime(2)}.
     *
     * @param clock the clock
     * @return its value in nanoseconds
     */
    long clockNanos(Clock clock);

    /**
     * {@code clock_settime(CLOCK_REALTIME)}; needs CAP_SYS_TIME (root on the BSDs).
     *
     * @param nanos nanoseconds since the epoch
     * @return whether the clock was set
     */
    boolean setRealtimeClock(long nanos);

    /**
     * {@code getrlimit(RLIMIT_NOFILE)}.
     *
     * @return {@code {rlim_cur, rlim_max}}
     */
    long[] noFileLimit();

    /**
     * {@code setrlimit(RLIMIT_NOFILE, {cur, max})}.
     *
     * @param cur the soft limit
     * @param max the hard limit
     */
    void setNoFileLimit(long cur, long max);
}
