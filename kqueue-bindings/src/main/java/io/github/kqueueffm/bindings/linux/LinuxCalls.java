package io.github.kqueueffm.bindings.linux;

import io.github.kqueueffm.bindings.ErrnoCapture;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Typed wrappers around the Linux calls kqueue-ffm makes, each linked with errno capture.
 *
 * <p>Every method follows the kernel's convention (as Netty's native layer does): the C result on
 * success, {@code −errno} on failure, the errno read from the call's capture segment inside the
 * wrapper, right after the call. No success value of these calls is negative ({@code lseek},
 * {@code read} and {@code write} return −1 only on failure). Nothing here allocates: the capture
 * segment is per thread and reused, pointers are the caller's segments. Calls that never block are
 * linked {@code critical}, which skips the thread-state transition.
 *
 * <p>Every segment argument is checked against what the native side will touch before the call:
 * the length argument ({@code read}, {@code write}, {@code send}, {@code recv}, {@code bind},
 * {@code setsockopt}, the room {@code getsockopt}'s length segment declares), the element count
 * ({@code epoll_wait}'s {@code maxEvents} epoll_events, {@code poll}'s pollfds), or the size of the C
 * type the call reads or writes ({@code struct stat}, {@code sigset_t}, ...); paths must hold their
 * NUL byte. A segment too small for it, or a negative length or count, throws
 * {@link IndexOutOfBoundsException} (the segment accessors' own exception for the same access), and
 * nothing is called. {@link MemorySegment#NULL} is accepted where the C argument may be
 * {@code NULL}. The checks allocate nothing unless they fail. (One thread may still change a
 * segment's contents, such as {@code getsockopt}'s length, while another makes the call with it:
 * segments are not thread-safe, and the callers of this class confine them.)
 *
 * <p>{@code pidfd_open}, {@code pidfd_send_signal}, {@code kcmp} and {@code epoll_pwait2} go through
 * {@code syscall(2)}: the kernel has them on systems whose C library lacks the wrapper.
 *
 * <p>Linux only: ask {@link LinuxBindings#isAvailable()} before using this class; elsewhere its
 * initialisation fails, with the {@link UnsupportedOperationException} of {@link LinuxBindings} as
 * the cause.
 */
public final class LinuxCalls {
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);
    private static final MemoryLayout[] ONE_INT = {ValueLayout.JAVA_INT};
    private static final MemoryLayout[] ONE_POINTER = {ValueLayout.ADDRESS};
    /** {@code int fds[2]} of pipe2 and socketpair. */
    private static final long TWO_INTS = 2L * Integer.BYTES;
    /** The requests without a size in their number that {@link #ioctl} accepts: all take an {@code int}. */
    private static final int FIONREAD = LinuxConstants.FIONREAD;
    private static final int SIOCINQ = LinuxConstants.SIOCINQ;
    private static final int SIOCOUTQ = LinuxConstants.SIOCOUTQ;
    private static final int SIOCOUTQNSD = LinuxConstants.SIOCOUTQNSD;
    /** bind's transparent-union argument, one per thread, so that a bind allocates nothing. */
    private static final ThreadLocal<MemorySegment> SOCKADDR_ARG =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(ValueLayout.ADDRESS));

    private static final MethodHandle EPOLL_CREATE1 = LinuxBindings.downcall("epoll_create1");
    private static final MethodHandle EPOLL_CTL = LinuxBindings.downcall("epoll_ctl", CRITICAL);
    private static final MethodHandle EPOLL_PWAIT = LinuxBindings.downcall("epoll_pwait");
    private static final MethodHandle EPOLL_POLL = LinuxBindings.downcall("epoll_pwait", CRITICAL);
    private static final MethodHandle EVENTFD = LinuxBindings.downcall("eventfd");
    private static final MethodHandle TIMERFD_CREATE = LinuxBindings.downcall("timerfd_create");
    private static final MethodHandle TIMERFD_SETTIME = LinuxBindings.downcall("timerfd_settime", CRITICAL);
    private static final MethodHandle TIMERFD_GETTIME = LinuxBindings.downcall("timerfd_gettime", CRITICAL);
    private static final MethodHandle SIGNALFD = LinuxBindings.downcall("signalfd");
    private static final MethodHandle SIGEMPTYSET = LinuxBindings.downcall("sigemptyset", CRITICAL);
    private static final MethodHandle SIGADDSET = LinuxBindings.downcall("sigaddset", CRITICAL);
    private static final MethodHandle SIGISMEMBER = LinuxBindings.downcall("sigismember", CRITICAL);
    private static final MethodHandle PTHREAD_SIGMASK = LinuxBindings.downcall("pthread_sigmask");
    private static final MethodHandle INOTIFY_INIT1 = LinuxBindings.downcall("inotify_init1");
    private static final MethodHandle INOTIFY_ADD_WATCH = LinuxBindings.downcall("inotify_add_watch");
    private static final MethodHandle INOTIFY_RM_WATCH = LinuxBindings.downcall("inotify_rm_watch");
    private static final MethodHandle WAITID = LinuxBindings.downcall("waitid");
    private static final MethodHandle PIPE2 = LinuxBindings.downcall("pipe2");
    private static final MethodHandle SOCKETPAIR = LinuxBindings.downcall("socketpair");
    private static final MethodHandle SOCKET = LinuxBindings.downcall("socket");
    private static final MethodHandle SHUTDOWN = LinuxBindings.downcall("shutdown");
    private static final MethodHandle FCNTL_INT = LinuxBindings.variadicDowncall("fcntl", ONE_INT, CRITICAL);
    private static final MethodHandle IOCTL_POINTER = LinuxBindings.variadicDowncall("ioctl", ONE_POINTER, CRITICAL);
    private static final MethodHandle GETSOCKOPT = LinuxBindings.downcall("getsockopt", CRITICAL);
    private static final MethodHandle SETSOCKOPT = LinuxBindings.downcall("setsockopt");
    private static final MethodHandle FSTAT = LinuxBindings.downcall("fstat");
    private static final MethodHandle LSEEK = LinuxBindings.downcall("lseek", CRITICAL);
    private static final MethodHandle READ = LinuxBindings.downcall("read");
    private static final MethodHandle WRITE = LinuxBindings.downcall("write");
    private static final MethodHandle READ_NONBLOCKING = LinuxBindings.downcall("read", CRITICAL);
    private static final MethodHandle WRITE_NONBLOCKING = LinuxBindings.downcall("write", CRITICAL);
    private static final MethodHandle CLOSE = LinuxBindings.downcall("close");
    private static final MethodHandle DUP = LinuxBindings.downcall("dup");
    private static final MethodHandle DUP3 = LinuxBindings.downcall("dup3");
    private static final MethodHandle KILL = LinuxBindings.downcall("kill");
    private static final MethodHandle GETPID = LinuxBindings.downcall("getpid", CRITICAL);
    private static final MethodHandle CLOCK_GETTIME = LinuxBindings.downcall("clock_gettime", CRITICAL);
    private static final MethodHandle POLL = LinuxBindings.downcall("poll");
    private static final MethodHandle MMAP = LinuxBindings.downcall("mmap");
    private static final MethodHandle MUNMAP = LinuxBindings.downcall("munmap");
    private static final MethodHandle MADVISE = LinuxBindings.downcall("madvise");
    private static final MethodHandle GETRLIMIT = LinuxBindings.downcall("getrlimit", CRITICAL);
    private static final MethodHandle SETRLIMIT = LinuxBindings.downcall("setrlimit", CRITICAL);
    private static final MethodHandle BIND = LinuxBindings.downcall("bind");
    private static final MethodHandle SEND = LinuxBindings.downcall("send", CRITICAL);
    private static final MethodHandle RECV = LinuxBindings.downcall("recv", CRITICAL);
    private static final MethodHandle SIGACTION = LinuxBindings.downcall("sigaction");
    private static final MethodHandle OPEN = LinuxBindings.variadicDowncall("open", ONE_INT);
    private static final MethodHandle MKFIFO = LinuxBindings.downcall("mkfifo");
    private static final MethodHandle SYSCALL3 = LinuxBindings.variadicDowncall("syscall",
            new MemoryLayout[] {ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG});
    /** syscall(SYS_epoll_pwait2, epfd, events, maxevents, timeout, sigmask, sigsetsize): pointers as pointers. */
    private static final MethodHandle SYSCALL_EPOLL_PWAIT2 = LinuxBindings.variadicDowncall("syscall",
            new MemoryLayout[] {ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG});
    private static final MethodHandle SYSCALL6 = LinuxBindings.variadicDowncall("syscall",
            new MemoryLayout[] {ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG});

    private LinuxCalls() {
    }

    /**
     * {@code epoll_create1(2)}.
     *
     * @param flags {@code EPOLL_CLOEXEC} or 0
     * @return a descriptor, or −errno
     */
    public static int epollCreate1(int flags) {
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) EPOLL_CREATE1.invokeExact(state, flags), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code epoll_ctl(2)}.
     *
     * @param epfd the epoll descriptor
     * @param op {@code EPOLL_CTL_ADD}, {@code _MOD} or {@code _DEL}
     * @param fd the target descriptor
     * @param event one {@code struct epoll_event}, or {@link MemorySegment#NULL} for a delete
     * @return 0, or −errno
     * @throws IndexOutOfBoundsException if {@code event} is neither NULL nor an epoll_event
     */
    public static int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        Bounds.fitsOrNull(event, LinuxStructs.EPOLL_EVENT_SIZE, "epoll_ctl");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) EPOLL_CTL.invokeExact(state, epfd, op, fd, event), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code epoll_pwait(2)} with no signal mask.
     *
     * @param epfd the epoll descriptor
     * @param events room for {@code maxEvents} {@code struct epoll_event}s
     * @param maxEvents at least 1
     * @param timeoutMillis −1 to wait forever, 0 to poll
     * @return the number of ready events, or −errno
     * @throws IndexOutOfBoundsException if {@code events} cannot hold {@code maxEvents} epoll_events, or {@code maxEvents} is negative
     */
    public static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        Bounds.fitsArray(events, maxEvents, LinuxStructs.EPOLL_EVENT_SIZE, "epoll_wait");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result(timeoutMillis == 0
                    ? (int) EPOLL_POLL.invokeExact(state, epfd, events, maxEvents, 0, MemorySegment.NULL)
                    : (int) EPOLL_PWAIT.invokeExact(state, epfd, events, maxEvents, timeoutMillis, MemorySegment.NULL),
                    state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code epoll_pwait2(2)} (Linux 5.11) with no signal mask, through {@code syscall(2)}.
     *
     * @param epfd the epoll descriptor
     * @param events room for {@code maxEvents} {@code struct epoll_event}s
     * @param maxEvents at least 1
     * @param timeout a {@code struct timespec}, or {@link MemorySegment#NULL} to wait forever
     * @return the number of ready events, or −errno (−ENOSYS on older kernels)
     * @throws IndexOutOfBoundsException if {@code events} cannot hold {@code maxEvents} epoll_events,
     *         {@code maxEvents} is negative, or {@code timeout} is neither NULL nor a timespec
     */
    public static int epollPwait2(int epfd, MemorySegment events, int maxEvents, MemorySegment timeout) {
        Bounds.fitsArray(events, maxEvents, LinuxStructs.EPOLL_EVENT_SIZE, "epoll_pwait2");
        Bounds.fitsOrNull(timeout, LinuxStructs.TIMESPEC_SIZE, "epoll_pwait2");
        // The segments go as pointers, not addresses as numbers: the linker keeps them alive for the
        // call and refuses heap segments, as for every other wrapper.
        try {
            MemorySegment state = ErrnoCapture.state();
            return (int) result((long) SYSCALL_EPOLL_PWAIT2.invokeExact(state, (long) LinuxConstants.SYS_epoll_pwait2,
                    (long) epfd, events, (long) maxEvents, timeout, MemorySegment.NULL, 0L), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code eventfd(2)}.
     *
     * @param initial the initial counter
     * @param flags {@code EFD_*}
     * @return a descriptor, or −errno
     */
    public static int eventfd(int initial, int flags) {
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) EVENTFD.invokeExact(state, initial, flags), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code timerfd_create(2)}.
     *
     * @param clock {@code CLOCK_MONOTONIC} or another clock id
     * @param flags {@code TFD_*}
     * @return a descriptor, or −errno
     */
    public static int timerfdCreate(int clock, int flags) {
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) TIMERFD_CREATE.invokeExact(state, clock, flags), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code timerfd_settime(2)}.
     *
     * @param fd the timerfd
     * @param flags 0 or {@code TFD_TIMER_ABSTIME}
     * @param newValue a {@code struct itimerspec}
     * @param oldValue a {@code struct itimerspec} or {@link MemorySegment#NULL}
     * @return 0, or −errno
     * @throws IndexOutOfBoundsException if {@code newValue} is not an itimerspec, or {@code oldValue} neither NULL nor one
     */
    public static int timerfdSettime(int fd, int flags, MemorySegment newValue, MemorySegment oldValue) {
        Bounds.fits(newValue, LinuxStructs.ITIMERSPEC_SIZE, "timerfd_settime");
        Bounds.fitsOrNull(oldValue, LinuxStructs.ITIMERSPEC_SIZE, "timerfd_settime");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) TIMERFD_SETTIME.invokeExact(state, fd, flags, newValue, oldValue), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code timerfd_gettime(2)}.
     *
     * @param fd the timerfd
     * @param current receives a {@code struct itimerspec}
     * @return 0, or −errno
     * @throws IndexOutOfBoundsException if {@code current} is not an itimerspec
     */
    public static int timerfdGettime(int fd, MemorySegment current) {
        Bounds.fits(current, LinuxStructs.ITIMERSPEC_SIZE, "timerfd_gettime");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) TIMERFD_GETTIME.invokeExact(state, fd, current), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code signalfd(2)}.
     *
     * @param fd −1 for a new descriptor
     * @param mask a {@code sigset_t}
     * @param flags {@code SFD_*}
     * @return a descriptor, or −errno
     * @throws IndexOutOfBoundsException if {@code mask} is not a sigset_t
     */
    public static int signalfd(int fd, MemorySegment mask, int flags) {
        Bounds.fits(mask, LinuxStructs.SIGSET_SIZE, "signalfd");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) SIGNALFD.invokeExact(state, fd, mask, flags), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code sigemptyset(3)}.
     *
     * @param set a {@code sigset_t}
     * @return 0, or −errno
     * @throws IndexOutOfBoundsException if {@code set} is not a sigset_t
     */
    public static int sigemptyset(MemorySegment set) {
        Bounds.fits(set, LinuxStructs.SIGSET_SIZE, "sigemptyset");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) SIGEMPTYSET.invokeExact(state, set), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code sigaddset(3)}.
     *
     * @param set a {@code sigset_t}
     * @param signal the signal number
     * @return 0, or −errno
     * @throws IndexOutOfBoundsException if {@code set} is not a sigset_t
     */
    public static int sigaddset(MemorySegment set, int signal) {
        Bounds.fits(set, LinuxStructs.SIGSET_SIZE, "sigaddset");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) SIGADDSET.invokeExact(state, set, signal), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code sigismember(3)}.
     *
     * @param set a {@code sigset_t}
     * @param signal the signal number
     * @return 1 if a member, 0 if not, or −errno
     * @throws IndexOutOfBoundsException if {@code set} is not a sigset_t
     */
    public static int sigismember(MemorySegment set, int signal) {
        Bounds.fits(set, LinuxStructs.SIGSET_SIZE, "sigismember");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) SIGISMEMBER.invokeExact(state, set, signal), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code pthread_sigmask(3)}, which returns the error number itself rather than setting errno.
     *
     * @param how {@code SIG_BLOCK}, {@code SIG_UNBLOCK} or {@code SIG_SETMASK}
     * @param set a {@code sigset_t} or {@link MemorySegment#NULL}
     * @param oldSet a {@code sigset_t} or {@link MemorySegment#NULL}
     * @return 0, or −errno
     * @throws IndexOutOfBoundsException if {@code set} or {@code oldSet} is neither NULL nor a sigset_t
     */
    public static int pthreadSigmask(int how, MemorySegment set, MemorySegment oldSet) {
        Bounds.fitsOrNull(set, LinuxStructs.SIGSET_SIZE, "pthread_sigmask");
        Bounds.fitsOrNull(oldSet, LinuxStructs.SIGSET_SIZE, "pthread_sigmask");
        try {
            int error = (int) PTHREAD_SIGMASK.invokeExact(ErrnoCapture.state(), how, set, oldSet);
            return -error;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code inotify_init1(2)}.
     *
     * @param flags {@code IN_CLOEXEC}, {@code IN_NONBLOCK}
     * @return a descriptor, or −errno
     */
    public static int inotifyInit1(int flags) {
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) INOTIFY_INIT1.invokeExact(state, flags), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code inotify_add_watch(2)}.
     *
     * @param fd the inotify descriptor
     * @param path a NUL-terminated path
     * @param mask {@code IN_*}
     * @return a watch descriptor, or −errno
     * @throws IndexOutOfBoundsException if {@code path} has no NUL byte
     */
    public static int inotifyAddWatch(int fd, MemorySegment path, int mask) {
        Bounds.terminated(path, "inotify_add_watch");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) INOTIFY_ADD_WATCH.invokeExact(state, fd, path, mask), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code inotify_rm_watch(2)}.
     *
     * @param fd the inotify descriptor
     * @param wd the watch descriptor
     * @return 0, or −errno
     */
    public static int inotifyRmWatch(int fd, int wd) {
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) INOTIFY_RM_WATCH.invokeExact(state, fd, wd), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code pidfd_open(2)} (Linux 5.3) through {@code syscall(2)}.
     *
     * @param pid the process id
     * @param flags 0 or {@code PIDFD_NONBLOCK}
     * @return a close-on-exec descriptor, or −errno
     */
    public static int pidfdOpen(int pid, int flags) {
        return (int) syscall3(LinuxConstants.SYS_pidfd_open, pid, flags, 0);
    }

    /**
     * {@code pidfd_send_signal(2)} (Linux 5.1) through {@code syscall(2)}, with no siginfo.
     *
     * @param pidfd a process descriptor
     * @param signal the signal number, 0 to test
     * @return 0, or −errno
     */
    public static int pidfdSendSignal(int pidfd, int signal) {
        return (int) syscall6(LinuxConstants.SYS_pidfd_send_signal, pidfd, signal, 0, 0, 0, 0);
    }

    /**
     * {@code kcmp(2)} (Linux 3.5) through {@code syscall(2)}.
     *
     * @param pid1 first process
     * @param pid2 second process
     * @param type {@code KCMP_*}
     * @param idx1 type-dependent
     * @param idx2 type-dependent
     * @return 0 equal, 1 or 2 ordered, 3 different, or −errno
     * @throws IllegalArgumentException for {@code KCMP_EPOLL_TFD}, whose {@code idx2} is a pointer: an
     *         address passed as a number could not be checked against a segment
     */
    public static int kcmp(int pid1, int pid2, int type, long idx1, long idx2) {
        if (type == LinuxConstants.KCMP_EPOLL_TFD) {
            throw new IllegalArgumentException("kcmp: KCMP_EPOLL_TFD takes a pointer, which this wrapper does not pass");
        }
        return (int) syscall6(LinuxConstants.SYS_kcmp, pid1, pid2, type, idx1, idx2, 0);
    }

    /**
     * {@code waitid(2)}.
     *
     * @param idType {@code P_PID}, {@code P_PIDFD}, ...
     * @param id the id
     * @param info receives a {@code siginfo_t}
     * @param options {@code WEXITED}, {@code WNOWAIT}, {@code WNOHANG}, ...
     * @return 0, or −errno
     * @throws IndexOutOfBoundsException if {@code info} is not a siginfo_t
     */
    public static int waitid(int idType, int id, MemorySegment info, int options) {
        Bounds.fits(info, LinuxStructs.SIGINFO_SIZE, "waitid");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) WAITID.invokeExact(state, idType, id, info, options), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code pipe2(2)}.
     *
     * @param fds receives two {@code int}s: read end, write end
     * @param flags {@code O_CLOEXEC}, {@code O_NONBLOCK}
     * @return 0, or −errno
     * @throws IndexOutOfBoundsException if {@code fds} cannot hold two ints
     */
    public static int pipe2(MemorySegment fds, int flags) {
        Bounds.fits(fds, TWO_INTS, "pipe2");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) PIPE2.invokeExact(state, fds, flags), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code socketpair(2)}.
     *
     * @param domain {@code AF_UNIX}
     * @param type {@code SOCK_STREAM}, possibly with {@code SOCK_CLOEXEC}, {@code SOCK_NONBLOCK}
     * @param protocol 0
     * @param fds receives two {@code int}s
     * @return 0, or −errno
     * @throws IndexOutOfBoundsException if {@code fds} cannot hold two ints
     */
    public static int socketpair(int domain, int type, int protocol, MemorySegment fds) {
        Bounds.fits(fds, TWO_INTS, "socketpair");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) SOCKETPAIR.invokeExact(state, domain, type, protocol, fds), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code socket(2)}.
     *
     * @param domain {@code AF_*}
     * @param type {@code SOCK_*}
     * @param protocol usually 0
     * @return a descriptor, or −errno
     */
    public static int socket(int domain, int type, int protocol) {
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) SOCKET.invokeExact(state, domain, type, protocol), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code shutdown(2)}.
     *
     * @param fd a socket
     * @param how {@code SHUT_RD}, {@code SHUT_WR} or {@code SHUT_RDWR}
     * @return 0, or −errno
     */
    public static int shutdown(int fd, int how) {
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) SHUTDOWN.invokeExact(state, fd, how), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code fcntl(2)} with an {@code int} argument (or none: pass 0).
     *
     * @param fd the descriptor
     * @param cmd {@code F_*}
     * @param arg the argument
     * @return the command's result, or −errno
     */
    public static int fcntl(int fd, int cmd, int arg) {
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) FCNTL_INT.invokeExact(state, fd, cmd, arg), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code ioctl(2)} with a pointer argument.
     *
     * @param fd the descriptor
     * @param request e.g. {@code FIONREAD}
     * @param arg the argument buffer
     * @return the request's result, or −errno
     * @throws IndexOutOfBoundsException if {@code arg} is smaller than the size {@code request} encodes (an int for FIONREAD,
     *         SIOCINQ, SIOCOUTQ and SIOCOUTQNSD)
     * @throws IllegalArgumentException if {@code request} encodes no size and is not one of those four
     */
    public static int ioctl(int fd, long request, MemorySegment arg) {
        Bounds.fits(arg, ioctlArgumentSize(request), "ioctl");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) IOCTL_POINTER.invokeExact(state, fd, request, arg), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code getsockopt(2)}.
     *
     * @param fd a socket
     * @param level {@code SOL_SOCKET}, {@code IPPROTO_TCP}, ...
     * @param name the option
     * @param value receives the value
     * @param length in: room in {@code value}; out: bytes written (one {@code int})
     * @return 0, or −errno
     * @throws IndexOutOfBoundsException if {@code length} cannot hold a socklen_t, or {@code value} the bytes it declares
     */
    public static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment length) {
        Bounds.fits(length, Integer.BYTES, "getsockopt");
        Bounds.fits(value, length.get(ValueLayout.JAVA_INT_UNALIGNED, 0), "getsockopt");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) GETSOCKOPT.invokeExact(state, fd, level, name, value, length), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code setsockopt(2)}.
     *
     * @param fd a socket
     * @param level {@code SOL_SOCKET}, {@code IPPROTO_TCP}, ...
     * @param name the option
     * @param value the value
     * @param length bytes of {@code value}
     * @return 0, or −errno
     * @throws IndexOutOfBoundsException if {@code length} is negative or more than {@code value} holds
     */
    public static int setsockopt(int fd, int level, int name, MemorySegment value, int length) {
        Bounds.fits(value, length, "setsockopt");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) SETSOCKOPT.invokeExact(state, fd, level, name, value, length), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code fstat(2)}.
     *
     * @param fd the descriptor
     * @param stat receives a {@code struct stat}
     * @return 0, or −errno
     * @throws IndexOutOfBoundsException if {@code stat} is not a struct stat
     */
    public static int fstat(int fd, MemorySegment stat) {
        Bounds.fits(stat, LinuxStructs.STAT_SIZE, "fstat");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) FSTAT.invokeExact(state, fd, stat), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code lseek(2)}.
     *
     * @param fd the descriptor
     * @param offset the offset
     * @param whence {@code SEEK_*}
     * @return the new offset, or −errno
     */
    public static long lseek(int fd, long offset, int whence) {
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((long) LSEEK.invokeExact(state, fd, offset, whence), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code read(2)}, which may block.
     *
     * @param fd the descriptor
     * @param buffer the destination
     * @param count bytes to read at most
     * @return bytes read, 0 at end of file, or −errno
     * @throws IndexOutOfBoundsException if {@code count} is negative or more than {@code buffer} holds
     */
    public static long read(int fd, MemorySegment buffer, long count) {
        Bounds.fits(buffer, count, "read");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((long) READ.invokeExact(state, fd, buffer, count), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code write(2)}, which may block.
     *
     * @param fd the descriptor
     * @param buffer the source
     * @param count bytes to write
     * @return bytes written, or −errno
     * @throws IndexOutOfBoundsException if {@code count} is negative or more than {@code buffer} holds
     */
    public static long write(int fd, MemorySegment buffer, long count) {
        Bounds.fits(buffer, count, "write");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((long) WRITE.invokeExact(state, fd, buffer, count), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code read(2)} on a descriptor that never blocks (non-blocking, or known ready).
     *
     * @param fd the descriptor
     * @param buffer the destination
     * @param count bytes to read at most
     * @return bytes read, 0 at end of file, or −errno
     * @throws IndexOutOfBoundsException if {@code count} is negative or more than {@code buffer} holds
     */
    public static long readNonBlocking(int fd, MemorySegment buffer, long count) {
        Bounds.fits(buffer, count, "read");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((long) READ_NONBLOCKING.invokeExact(state, fd, buffer, count), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code write(2)} on a descriptor that never blocks (non-blocking, or known ready).
     *
     * @param fd the descriptor
     * @param buffer the source
     * @param count bytes to write
     * @return bytes written, or −errno
     * @throws IndexOutOfBoundsException if {@code count} is negative or more than {@code buffer} holds
     */
    public static long writeNonBlocking(int fd, MemorySegment buffer, long count) {
        Bounds.fits(buffer, count, "write");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((long) WRITE_NONBLOCKING.invokeExact(state, fd, buffer, count), state);
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
            MemorySegment state = ErrnoCapture.state();
            return result((int) CLOSE.invokeExact(state, fd), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code dup(2)}; the copy does not have close-on-exec set.
     *
     * @param fd the descriptor
     * @return the new descriptor, or −errno
     */
    public static int dup(int fd) {
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) DUP.invokeExact(state, fd), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code dup3(2)}.
     *
     * @param fd the descriptor
     * @param target the number to reuse
     * @param flags 0 or {@code O_CLOEXEC}
     * @return {@code target}, or −errno
     */
    public static int dup3(int fd, int target, int flags) {
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) DUP3.invokeExact(state, fd, target, flags), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code kill(2)}.
     *
     * @param pid the process
     * @param signal the signal number, 0 to test
     * @return 0, or −errno
     */
    public static int kill(int pid, int signal) {
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) KILL.invokeExact(state, pid, signal), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code tgkill(2)} through {@code syscall(2)}.
     *
     * @param tgid the process
     * @param tid the thread
     * @param signal the signal number
     * @return 0, or −errno
     */
    public static int tgkill(int tgid, int tid, int signal) {
        return (int) syscall3(LinuxConstants.SYS_tgkill, tgid, tid, signal);
    }

    /**
     * {@code getpid(2)}.
     *
     * @return this process's id
     */
    public static int getpid() {
        try {
            return (int) GETPID.invokeExact(ErrnoCapture.state());
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code gettid(2)} through {@code syscall(2)}.
     *
     * @return the calling thread's kernel id
     */
    public static int gettid() {
        return (int) syscall3(LinuxConstants.SYS_gettid, 0, 0, 0);
    }

    /**
     * {@code clock_gettime(2)}.
     *
     * @param clock {@code CLOCK_*}
     * @param timespec receives a {@code struct timespec}
     * @return 0, or −errno
     * @throws IndexOutOfBoundsException if {@code timespec} is not a struct timespec
     */
    public static int clockGettime(int clock, MemorySegment timespec) {
        Bounds.fits(timespec, LinuxStructs.TIMESPEC_SIZE, "clock_gettime");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) CLOCK_GETTIME.invokeExact(state, clock, timespec), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code mmap(2)} of private anonymous memory, readable and writable (zero-filled by the kernel
     * as it is first touched).
     *
     * @param length bytes, more than 0
     * @return the mapping's address, or −errno
     */
    public static long mmapAnonymous(long length) {
        try {
            MemorySegment state = ErrnoCapture.state();
            MemorySegment mapped = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, length,
                    LinuxConstants.PROT_READ | LinuxConstants.PROT_WRITE,
                    LinuxConstants.MAP_PRIVATE | LinuxConstants.MAP_ANONYMOUS, -1, 0L);
            // MAP_FAILED is (void *) −1; a user-space address is never negative as a long
            return result(mapped.address(), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code munmap(2)}.
     *
     * @param address the first page, page-aligned
     * @param length bytes
     * @return 0, or −errno
     */
    public static int munmap(long address, long length) {
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) MUNMAP.invokeExact(state, MemorySegment.ofAddress(address), length), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code madvise(2)}.
     *
     * @param address the first page, page-aligned
     * @param length bytes
     * @param advice e.g. {@link LinuxConstants#MADV_HUGEPAGE}
     * @return 0, or −errno
     */
    public static int madvise(long address, long length, int advice) {
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) MADVISE.invokeExact(state, MemorySegment.ofAddress(address), length, advice), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code poll(2)}.
     *
     * @param fds {@code struct pollfd}s
     * @param count how many
     * @param timeoutMillis −1 forever, 0 poll
     * @return ready descriptors, 0 on timeout, or −errno
     * @throws IndexOutOfBoundsException if {@code fds} cannot hold {@code count} pollfds, or {@code count} is negative
     */
    public static int poll(MemorySegment fds, long count, int timeoutMillis) {
        Bounds.fitsArray(fds, count, LinuxStructs.POLLFD_SIZE, "poll");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) POLL.invokeExact(state, fds, count, timeoutMillis), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code getrlimit(2)}.
     *
     * @param resource {@code RLIMIT_*}
     * @param limit receives a {@code struct rlimit}
     * @return 0, or −errno
     * @throws IndexOutOfBoundsException if {@code limit} is not a struct rlimit
     */
    public static int getrlimit(int resource, MemorySegment limit) {
        Bounds.fits(limit, LinuxStructs.RLIMIT_SIZE, "getrlimit");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) GETRLIMIT.invokeExact(state, resource, limit), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code setrlimit(2)}.
     *
     * @param resource {@code RLIMIT_*}
     * @param limit a {@code struct rlimit}
     * @return 0, or −errno
     * @throws IndexOutOfBoundsException if {@code limit} is not a struct rlimit
     */
    public static int setrlimit(int resource, MemorySegment limit) {
        Bounds.fits(limit, LinuxStructs.RLIMIT_SIZE, "setrlimit");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) SETRLIMIT.invokeExact(state, resource, limit), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code bind(2)}.
     *
     * @param fd a socket
     * @param address a socket address
     * @param length its size
     * @return 0, or −errno
     * @throws IndexOutOfBoundsException if {@code length} is negative or more than {@code address} holds
     */
    public static int bind(int fd, MemorySegment address, int length) {
        Bounds.fits(address, length, "bind");
        // glibc declares the address as a transparent union of pointers (__CONST_SOCKADDR_ARG),
        // which jextract binds by value: pass a union holding the pointer. The union segment holds
        // a raw address, so the address segment is kept reachable until the call returned.
        try {
            MemorySegment union = SOCKADDR_ARG.get();
            union.set(ValueLayout.ADDRESS, 0, address);
            MemorySegment state = ErrnoCapture.state();
            return result((int) BIND.invokeExact(state, fd, union, length), state);
        } catch (Throwable t) {
            throw unexpected(t);
        } finally {
            java.lang.ref.Reference.reachabilityFence(address);
        }
    }

    /**
     * {@code send(2)} on a non-blocking socket.
     *
     * @param fd a socket
     * @param buffer the data
     * @param length bytes to send
     * @param flags {@code MSG_*}
     * @return bytes sent, or −errno
     * @throws IndexOutOfBoundsException if {@code length} is negative or more than {@code buffer} holds
     */
    public static long send(int fd, MemorySegment buffer, long length, int flags) {
        Bounds.fits(buffer, length, "send");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((long) SEND.invokeExact(state, fd, buffer, length, flags), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code recv(2)} on a non-blocking socket.
     *
     * @param fd a socket
     * @param buffer the destination
     * @param length room in it
     * @param flags {@code MSG_*}
     * @return bytes received, or −errno
     * @throws IndexOutOfBoundsException if {@code length} is negative or more than {@code buffer} holds
     */
    public static long recv(int fd, MemorySegment buffer, long length, int flags) {
        Bounds.fits(buffer, length, "recv");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((long) RECV.invokeExact(state, fd, buffer, length, flags), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code sigaction(2)}.
     *
     * @param signal the signal
     * @param action a {@code struct sigaction}, or {@link MemorySegment#NULL} to only query
     * @param old receives the previous action, or {@link MemorySegment#NULL}
     * @return 0, or −errno
     * @throws IndexOutOfBoundsException if {@code action} or {@code old} is neither NULL nor a struct sigaction
     */
    public static int sigaction(int signal, MemorySegment action, MemorySegment old) {
        Bounds.fitsOrNull(action, LinuxStructs.SIGACTION_SIZE, "sigaction");
        Bounds.fitsOrNull(old, LinuxStructs.SIGACTION_SIZE, "sigaction");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) SIGACTION.invokeExact(state, signal, action, old), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code open(2)}.
     *
     * @param path a NUL-terminated path
     * @param flags {@code O_*}
     * @param mode permissions for a created file
     * @return a descriptor, or −errno
     * @throws IndexOutOfBoundsException if {@code path} has no NUL byte
     */
    public static int open(MemorySegment path, int flags, int mode) {
        Bounds.terminated(path, "open");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) OPEN.invokeExact(state, path, flags, mode), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code mkfifo(3)}.
     *
     * @param path a NUL-terminated path
     * @param mode permissions
     * @return 0, or −errno
     * @throws IndexOutOfBoundsException if {@code path} has no NUL byte
     */
    public static int mkfifo(MemorySegment path, int mode) {
        Bounds.terminated(path, "mkfifo");
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((int) MKFIFO.invokeExact(state, path, mode), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * The bytes {@code ioctl} reads or writes through its pointer argument: a request number of
     * Linux's {@code _IOC} encoding (x86_64 and aarch64: direction in bits 30–31, size in 16–29)
     * carries its size; an old request without one is accepted only when this class knows it
     * takes an {@code int}.
     */
    private static long ioctlArgumentSize(long request) {
        int direction = (int) (request >>> 30) & 0x3;
        if (direction != 0) {
            return (request >>> 16) & 0x3FFF;
        }
        if (request == FIONREAD || request == SIOCINQ || request == SIOCOUTQ || request == SIOCOUTQNSD) {
            return Integer.BYTES;
        }
        throw new IllegalArgumentException("ioctl: request 0x" + Long.toHexString(request)
                + " does not encode its argument size, and its argument type is not known here");
    }

    private static long syscall3(long number, long a, long b, long c) {
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((long) SYSCALL3.invokeExact(state, number, a, b, c), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static long syscall6(long number, long a, long b, long c, long d, long e, long f) {
        try {
            MemorySegment state = ErrnoCapture.state();
            return result((long) SYSCALL6.invokeExact(state, number, a, b, c, d, e, f), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The kernel's convention: the call's result, or −errno read from this call's capture. */
    private static int result(int returned, MemorySegment state) {
        return returned < 0 ? -ErrnoCapture.errno(state) : returned;
    }

    private static long result(long returned, MemorySegment state) {
        return returned < 0 ? -ErrnoCapture.errno(state) : returned;
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("downcall failed", t);
    }
}
