package io.github.kqueueffm.bsd.abi;

import io.github.kqueueffm.bsd.KeventAbi;

import java.util.Map;

import static io.github.kqueueffm.KEvent.EVFILT_AIO;
import static io.github.kqueueffm.KEvent.EVFILT_EMPTY;
import static io.github.kqueueffm.KEvent.EVFILT_FS;
import static io.github.kqueueffm.KEvent.EVFILT_PROC;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_SIGNAL;
import static io.github.kqueueffm.KEvent.EVFILT_TIMER;
import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static io.github.kqueueffm.KEvent.EVFILT_VNODE;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_DISABLE;
import static io.github.kqueueffm.KEvent.EV_DISPATCH;
import static io.github.kqueueffm.KEvent.EV_ENABLE;
import static io.github.kqueueffm.KEvent.EV_EOF;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_FLAG1;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.EV_RECEIPT;
import static io.github.kqueueffm.KEvent.NOTE_ABSTIME;
import static io.github.kqueueffm.KEvent.NOTE_LOWAT;
import static io.github.kqueueffm.KEvent.NOTE_MSECONDS;
import static io.github.kqueueffm.KEvent.NOTE_NSECONDS;
import static io.github.kqueueffm.KEvent.NOTE_SECONDS;
import static io.github.kqueueffm.KEvent.NOTE_USECONDS;

/**
 * NetBSD (64-bit): filters numbered from 0 and a {@code struct kevent} whose {@code filter} and
 * {@code flags} are {@code uint32_t}, so every field after {@code flags} sits 4 or 8 bytes later
 * than on FreeBSD.
 *
 * <p>Two record layouts, same numbers:
 * <ul>
 * <li>{@link #ABI}, NetBSD ≥ 11 (10.99.x -current since the 2023 epoll work): 72 bytes with
 *     {@code uint64_t ext[4]} at 40. libc's {@code kevent} is {@code __RENAME(__kevent100)}, so the
 *     symbol to bind is {@code __kevent100}. Source: {@code sys/sys/event.h} of NetBSD -current as
 *     held by the fork 6167656e74323431/gsoc-netbsd-linux-emulation (9a4b632c), whose
 *     {@code compat/sys/event.h} keeps the old record as {@code struct kevent100}.</li>
 * <li>{@link #NETBSD_10}, NetBSD 10: 40 bytes, no {@code ext}; the symbol is {@code __kevent50}.
 *     Source: {@code sys/sys/event.h} $NetBSD: event.h,v 1.54 2022/07/19$ (netbsd-10).</li>
 * </ul>
 * The plain {@code kevent} symbol of libc is neither: it is the NetBSD 4 compatibility entry with a
 * 32-bit {@code time_t} in its timeout.
 * <pre>
 * struct kevent {
 *     uintptr_t       ident;          //  0
 *     uint32_t        filter;         //  8
 *     uint32_t        flags;          // 12
 *     uint32_t        fflags;         // 16
 *     int64_t         data;           // 24
 *     void            *udata;         // 32
 *     uint64_t        ext[4];         // 40, 72 bytes in all (NetBSD 10: no ext, 40 bytes)
 * };
 * </pre>
 * Errno and signal numbers: {@code sys/sys/errno.h} 1.42 (2020, the fork sel4-cap/netbsd-fork
 * 0307b5f7) and {@code sys/sys/signal.h} 1.75.4.2 (netbsd-10), the newest copies found; they
 * serve both layouts (no NetBSD 11 copy of these two files was at hand to compare).
 *
 * <p>What differs from FreeBSD besides the numbering: no EVFILT_PROCDESC, EVFILT_LIO or
 * EVFILT_SENDFILE; no EV_FORCEONESHOT, EV_KEEPUDATA or EV_DROP; no NOTE_FILE_POLL; timer units
 * are the values 0 to 3 (NOTE_MSECONDS is 0), not bits. {@code netbsd.properties} and
 * {@code netbsd10.properties} under {@code kqueue-ffm/src/test/resources/abi/} hold the values
 * extracted from these headers; {@code KeventAbiTablesTest} compares the two.
 */
public final class NetBsdAbi {
    private static final String SOURCE = "NetBSD 11 sys/sys/event.h (-current after the 2023 epoll work, via fork"
            + " 6167656e74323431/gsoc-netbsd-linux-emulation 9a4b632c), errno.h 1.42, signal.h 1.75.4.2";
    private static final String SOURCE_10 = "NetBSD 10 sys/sys/event.h,v 1.54 2022/07/19, errno.h 1.42,"
            + " signal.h 1.75.4.2";

    /** FreeBSD filter → NetBSD filter. */
    private static final int[][] FILTERS = {
        {EVFILT_READ, 0}, {EVFILT_WRITE, 1}, {EVFILT_AIO, 2}, {EVFILT_VNODE, 3}, {EVFILT_PROC, 4},
        {EVFILT_SIGNAL, 5}, {EVFILT_TIMER, 6}, {EVFILT_FS, 7}, {EVFILT_USER, 8}, {EVFILT_EMPTY, 9},
    };

    /** FreeBSD flag → NetBSD flag (the 16 bits NetBSD shares, in its 32-bit field). */
    private static final int[][] FLAGS = {
        {EV_ADD, 0x0001}, {EV_DELETE, 0x0002}, {EV_ENABLE, 0x0004}, {EV_DISABLE, 0x0008},
        {EV_ONESHOT, 0x0010}, {EV_CLEAR, 0x0020}, {EV_RECEIPT, 0x0040}, {EV_DISPATCH, 0x0080},
        {EV_FLAG1, 0x2000}, {EV_ERROR, 0x4000}, {EV_EOF, 0x8000},
    };

    /** EVFILT_READ and EVFILT_WRITE: NOTE_LOWAT only. */
    private static final int[][] READ_WRITE_NOTES = {
        {NOTE_LOWAT, 0x00000001},
    };

    /** EVFILT_TIMER: the unit is a value (ms 0, s 1, µs 2, ns 3), NOTE_ABSTIME the same bit. */
    private static final int[][] TIMER_NOTES = {
        {NOTE_SECONDS, 1}, {NOTE_MSECONDS, 0}, {NOTE_USECONDS, 2}, {NOTE_NSECONDS, 3},
        {NOTE_ABSTIME, 0x00000010},
    };

    /** {@code sys/sys/errno.h}. */
    private static final String ERRNOS = """
            EPERM 1             ENOENT 2            ESRCH 3             EINTR 4             EIO 5
            ENXIO 6             E2BIG 7             ENOEXEC 8           EBADF 9             ECHILD 10
            EDEADLK 11          ENOMEM 12           EACCES 13           EFAULT 14           ENOTBLK 15
            EBUSY 16            EEXIST 17           EXDEV 18            ENODEV 19           ENOTDIR 20
            EISDIR 21           EINVAL 22           ENFILE 23           EMFILE 24           ENOTTY 25
            ETXTBSY 26          EFBIG 27            ENOSPC 28           ESPIPE 29           EROFS 30
            EMLINK 31           EPIPE 32            EDOM 33             ERANGE 34           EAGAIN 35
            EWOULDBLOCK 35      EINPROGRESS 36      EALREADY 37         ENOTSOCK 38         EDESTADDRREQ 39
            EMSGSIZE 40         EPROTOTYPE 41       ENOPROTOOPT 42      EPROTONOSUPPORT 43  ESOCKTNOSUPPORT 44
            EOPNOTSUPP 45       EPFNOSUPPORT 46     EAFNOSUPPORT 47     EADDRINUSE 48       EADDRNOTAVAIL 49
            ENETDOWN 50         ENETUNREACH 51      ENETRESET 52        ECONNABORTED 53     ECONNRESET 54
            ENOBUFS 55          EISCONN 56          ENOTCONN 57         ESHUTDOWN 58        ETOOMANYREFS 59
            ETIMEDOUT 60        ECONNREFUSED 61     ELOOP 62            ENAMETOOLONG 63     EHOSTDOWN 64
            EHOSTUNREACH 65     ENOTEMPTY 66        EPROCLIM 67         EUSERS 68           EDQUOT 69
            ESTALE 70           EREMOTE 71          EBADRPC 72          ERPCMISMATCH 73     EPROGUNAVAIL 74
            EPROGMISMATCH 75    EPROCUNAVAIL 76     ENOLCK 77           ENOSYS 78           EFTYPE 79
            EAUTH 80            ENEEDAUTH 81        EIDRM 82            ENOMSG 83           EOVERFLOW 84
            EILSEQ 85           ENOTSUP 86          ECANCELED 87        EBADMSG 88          ENODATA 89
            ENOSR 90            ENOSTR 91           ETIME 92            ENOATTR 93          EMULTIHOP 94
            ENOLINK 95          EPROTO 96           EOWNERDEAD 97       ENOTRECOVERABLE 98
            """;

    /** {@code sys/sys/signal.h}. */
    private static final String SIGNALS = """
            SIGHUP 1            SIGINT 2            SIGQUIT 3           SIGILL 4            SIGTRAP 5
            SIGABRT 6           SIGIOT 6            SIGEMT 7            SIGFPE 8            SIGKILL 9
            SIGBUS 10           SIGSEGV 11          SIGSYS 12           SIGPIPE 13          SIGALRM 14
            SIGTERM 15          SIGURG 16           SIGSTOP 17          SIGTSTP 18          SIGCONT 19
            SIGCHLD 20          SIGTTIN 21          SIGTTOU 22          SIGIO 23            SIGXCPU 24
            SIGXFSZ 25          SIGVTALRM 26        SIGPROF 27          SIGWINCH 28         SIGINFO 29
            SIGUSR1 30          SIGUSR2 31          SIGPWR 32           SIGRTMIN 33         SIGRTMAX 63
            """;

    private static final Map<Short, Map<Integer, Integer>> FFLAGS = Map.of(
            EVFILT_READ, AbiTable.bits(READ_WRITE_NOTES), EVFILT_WRITE, AbiTable.bits(READ_WRITE_NOTES),
            EVFILT_TIMER, AbiTable.bits(TIMER_NOTES));

    /** NetBSD ≥ 11, LP64: 72-byte records with {@code ext[4]}, through {@code __kevent100}. */
    public static final KeventAbi ABI = new KeventAbi("NetBSD", SOURCE,
            72, 0, 8, 4, 12, 4, 16, 24, 32, 40,
            AbiTable.filters(FILTERS), AbiTable.bits(FLAGS), FFLAGS,
            AbiTable.numbers(ERRNOS), AbiTable.numbers(SIGNALS));

    /** NetBSD 10, LP64: 40-byte records without {@code ext}, through {@code __kevent50}. */
    public static final KeventAbi NETBSD_10 = new KeventAbi("NetBSD 10", SOURCE_10,
            40, 0, 8, 4, 12, 4, 16, 24, 32, -1,
            ABI.filters(), ABI.flags(), ABI.fflags(), ABI.errnos(), ABI.signals());

    private NetBsdAbi() {
    }
}
