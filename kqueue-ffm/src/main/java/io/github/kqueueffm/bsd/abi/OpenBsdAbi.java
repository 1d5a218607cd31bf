package io.github.kqueueffm.bsd.abi;

import io.github.kqueueffm.bsd.KeventAbi;

import java.util.Map;

import static io.github.kqueueffm.KEvent.EVFILT_AIO;
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
import static io.github.kqueueffm.KEvent.NOTE_ATTRIB;
import static io.github.kqueueffm.KEvent.NOTE_DELETE;
import static io.github.kqueueffm.KEvent.NOTE_EXTEND;
import static io.github.kqueueffm.KEvent.NOTE_LINK;
import static io.github.kqueueffm.KEvent.NOTE_LOWAT;
import static io.github.kqueueffm.KEvent.NOTE_MSECONDS;
import static io.github.kqueueffm.KEvent.NOTE_NSECONDS;
import static io.github.kqueueffm.KEvent.NOTE_RENAME;
import static io.github.kqueueffm.KEvent.NOTE_REVOKE;
import static io.github.kqueueffm.KEvent.NOTE_SECONDS;
import static io.github.kqueueffm.KEvent.NOTE_USECONDS;
import static io.github.kqueueffm.KEvent.NOTE_WRITE;

/**
 * OpenBSD (64-bit): FreeBSD's 32-byte record before {@code ext} was added, with OpenBSD's filters.
 *
 * <p>Source: {@code sys/sys/event.h} $OpenBSD: event.h,v 1.74 2025/05/10$, {@code sys/sys/errno.h}
 * 1.25 (2017/09/05) and {@code sys/sys/signal.h} 1.29 (2018/04/18) of openbsd/src, as identified by
 * their RCS ids (the index that served them did not name a repository).
 * <pre>
 * struct kevent {
 *     __uintptr_t     ident;          //  0
 *     short           filter;         //  8
 *     unsigned short  flags;          // 10
 *     unsigned int    fflags;         // 12
 *     __int64_t       data;           // 16
 *     void            *udata;         // 24, 32 bytes in all, no ext
 * };
 * </pre>
 * What differs from FreeBSD: EVFILT_USER is −10 (and new: event.h 1.74 has it, older releases do
 * not); −8 is EVFILT_DEVICE and −9 EVFILT_EXCEPT, so there is no EVFILT_PROCDESC, EVFILT_FS,
 * EVFILT_LIO, EVFILT_SENDFILE or EVFILT_EMPTY. No EV_FORCEONESHOT, EV_KEEPUDATA or EV_DROP.
 * NOTE_FILE_POLL's bit (0x2) is OpenBSD's NOTE_EOF; NOTE_OPEN's (0x80) is NOTE_TRUNCATE, and
 * NOTE_CLOSE, NOTE_CLOSE_WRITE and NOTE_READ do not exist. Timer units are the values 0 to 3.
 * {@code kqueue-ffm/src/test/resources/abi/openbsd.properties} holds the values extracted from these
 * headers; {@code KeventAbiTablesTest} compares the two.
 */
public final class OpenBsdAbi {
    private static final String SOURCE = "OpenBSD sys/sys/event.h,v 1.74 2025/05/10, errno.h,v 1.25,"
            + " signal.h,v 1.29 (openbsd/src)";

    /** FreeBSD filter → OpenBSD filter. */
    private static final int[][] FILTERS = {
        {EVFILT_READ, -1}, {EVFILT_WRITE, -2}, {EVFILT_AIO, -3}, {EVFILT_VNODE, -4},
        {EVFILT_PROC, -5}, {EVFILT_SIGNAL, -6}, {EVFILT_TIMER, -7}, {EVFILT_USER, -10},
    };

    /** FreeBSD flag → OpenBSD flag. */
    private static final int[][] FLAGS = {
        {EV_ADD, 0x0001}, {EV_DELETE, 0x0002}, {EV_ENABLE, 0x0004}, {EV_DISABLE, 0x0008},
        {EV_ONESHOT, 0x0010}, {EV_CLEAR, 0x0020}, {EV_RECEIPT, 0x0040}, {EV_DISPATCH, 0x0080},
        {EV_FLAG1, 0x2000}, {EV_ERROR, 0x4000}, {EV_EOF, 0x8000},
    };

    /** EVFILT_READ and EVFILT_WRITE: NOTE_LOWAT only. */
    private static final int[][] READ_WRITE_NOTES = {
        {NOTE_LOWAT, 0x00000001},
    };

    /** EVFILT_VNODE: the seven notes the two systems share. */
    private static final int[][] VNODE_NOTES = {
        {NOTE_DELETE, 0x00000001}, {NOTE_WRITE, 0x00000002}, {NOTE_EXTEND, 0x00000004},
        {NOTE_ATTRIB, 0x00000008}, {NOTE_LINK, 0x00000010}, {NOTE_RENAME, 0x00000020},
        {NOTE_REVOKE, 0x00000040},
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
            EAUTH 80            ENEEDAUTH 81        EIPSEC 82           ENOATTR 83          EILSEQ 84
            ENOMEDIUM 85        EMEDIUMTYPE 86      EOVERFLOW 87        ECANCELED 88        EIDRM 89
            ENOMSG 90           ENOTSUP 91          EBADMSG 92          ENOTRECOVERABLE 93  EOWNERDEAD 94
            EPROTO 95
            """;

    /** {@code sys/sys/signal.h}. */
    private static final String SIGNALS = """
            SIGHUP 1            SIGINT 2            SIGQUIT 3           SIGILL 4            SIGTRAP 5
            SIGABRT 6           SIGIOT 6            SIGEMT 7            SIGFPE 8            SIGKILL 9
            SIGBUS 10           SIGSEGV 11          SIGSYS 12           SIGPIPE 13          SIGALRM 14
            SIGTERM 15          SIGURG 16           SIGSTOP 17          SIGTSTP 18          SIGCONT 19
            SIGCHLD 20          SIGTTIN 21          SIGTTOU 22          SIGIO 23            SIGXCPU 24
            SIGXFSZ 25          SIGVTALRM 26        SIGPROF 27          SIGWINCH 28         SIGINFO 29
            SIGUSR1 30          SIGUSR2 31          SIGTHR 32
            """;

    /** OpenBSD, LP64: 32-byte records with no {@code ext}. */
    public static final KeventAbi ABI = new KeventAbi("OpenBSD", SOURCE,
            32, 0, 8, 2, 10, 2, 12, 16, 24, -1,
            AbiTable.filters(FILTERS), AbiTable.bits(FLAGS),
            Map.of(EVFILT_READ, AbiTable.bits(READ_WRITE_NOTES), EVFILT_WRITE, AbiTable.bits(READ_WRITE_NOTES),
                    EVFILT_VNODE, AbiTable.bits(VNODE_NOTES), EVFILT_TIMER, AbiTable.bits(TIMER_NOTES)),
            AbiTable.numbers(ERRNOS), AbiTable.numbers(SIGNALS));

    private OpenBsdAbi() {
    }
}
