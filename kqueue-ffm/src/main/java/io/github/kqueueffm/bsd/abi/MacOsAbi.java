package io.github.kqueueffm.bsd.abi;

import io.github.kqueueffm.bsd.KeventAbi;

import java.util.Map;

import static io.github.kqueueffm.KEvent.EVFILT_AIO;
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
 * macOS (arm64 and x86_64): the {@code struct kevent} of {@code kevent(2)} and the numbers of XNU.
 *
 * <p>Source: {@code bsd/sys/event.h}, {@code bsd/sys/errno.h} and {@code bsd/sys/signal.h} of
 * apple-oss-distributions/xnu, tag xnu-11417.121.6 (a1e26a70, macOS 15; the three files are the
 * same at xnu-11417.101.15). The record is 32 bytes, declared under {@code #pragma pack(4)}:
 * <pre>
 * struct kevent {
 *     uintptr_t       ident;          //  0
 *     int16_t         filter;         //  8
 *     uint16_t        flags;          // 10
 *     uint32_t        fflags;         // 12
 *     intptr_t        data;           // 16
 *     void            *udata;         // 24, 32 bytes in all, no ext
 * };
 * </pre>
 * {@code struct kevent64_s} (48 bytes, {@code ext[2]}, through {@code kevent64}) is not used: our
 * API has no use for {@code ext}, and the 32-byte record is the one every macOS has had.
 *
 * <p>What differs from FreeBSD: EVFILT_USER is −10, not −11; −8 is EVFILT_MACHPORT, −12 EVFILT_VM
 * and −13 the private EVFILT_SOCK, so FreeBSD's EVFILT_PROCDESC, EVFILT_LIO, EVFILT_SENDFILE and
 * EVFILT_EMPTY are absent. Flag 0x0100 is EV_UDATA_SPECIFIC and 0x0200 EV_VANISHED, so
 * EV_FORCEONESHOT and EV_KEEPUDATA are absent; 0x1000 is EV_FLAG0 (EV_POLL), not EV_DROP. Timer units
 * are numbered differently, milliseconds are the default with no bit of their own, and
 * NOTE_ABSOLUTE (0x8) is FreeBSD's NOTE_ABSTIME (0x10). EVFILT_VNODE has no NOTE_OPEN, NOTE_CLOSE,
 * NOTE_CLOSE_WRITE or NOTE_READ (0x80 to 0x400 mean other things), and EVFILT_READ has no
 * NOTE_FILE_POLL (0x2 is EVFILT_EXCEPT's NOTE_OOB). {@code kqueue-ffm/src/test/resources/abi/macos.properties}
 * holds the values extracted from these headers; {@code KeventAbiTablesTest} compares the two.
 */
public final class MacOsAbi {
    private static final String SOURCE = "XNU xnu-11417.121.6 (a1e26a70) bsd/sys/event.h, errno.h, signal.h"
            + " (apple-oss-distributions/xnu); macOS 15";

    /** FreeBSD filter → macOS filter: only the filters macOS has under the same name. */
    private static final int[][] FILTERS = {
        {EVFILT_READ, -1}, {EVFILT_WRITE, -2}, {EVFILT_AIO, -3}, {EVFILT_VNODE, -4},
        {EVFILT_PROC, -5}, {EVFILT_SIGNAL, -6}, {EVFILT_TIMER, -7}, {EVFILT_FS, -9},
        {EVFILT_USER, -10},
    };

    /** FreeBSD flag → macOS flag: the bits macOS has with the same meaning. */
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

    /** EVFILT_TIMER: milliseconds are macOS's default (no bit); NOTE_ABSTIME is NOTE_ABSOLUTE. */
    private static final int[][] TIMER_NOTES = {
        {NOTE_SECONDS, 0x00000001}, {NOTE_MSECONDS, 0}, {NOTE_USECONDS, 0x00000002},
        {NOTE_NSECONDS, 0x00000004}, {NOTE_ABSTIME, 0x00000008},
    };

    /** {@code bsd/sys/errno.h} with {@code __DARWIN_UNIX03} (EOPNOTSUPP is 102, ENOTSUP 45). */
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
            ENOTSUP 45          EPFNOSUPPORT 46     EAFNOSUPPORT 47     EADDRINUSE 48       EADDRNOTAVAIL 49
            ENETDOWN 50         ENETUNREACH 51      ENETRESET 52        ECONNABORTED 53     ECONNRESET 54
            ENOBUFS 55          EISCONN 56          ENOTCONN 57         ESHUTDOWN 58        ETOOMANYREFS 59
            ETIMEDOUT 60        ECONNREFUSED 61     ELOOP 62            ENAMETOOLONG 63     EHOSTDOWN 64
            EHOSTUNREACH 65     ENOTEMPTY 66        EPROCLIM 67         EUSERS 68           EDQUOT 69
            ESTALE 70           EREMOTE 71          EBADRPC 72          ERPCMISMATCH 73     EPROGUNAVAIL 74
            EPROGMISMATCH 75    EPROCUNAVAIL 76     ENOLCK 77           ENOSYS 78           EFTYPE 79
            EAUTH 80            ENEEDAUTH 81        EPWROFF 82          EDEVERR 83          EOVERFLOW 84
            EBADEXEC 85         EBADARCH 86         ESHLIBVERS 87       EBADMACHO 88        ECANCELED 89
            EIDRM 90            ENOMSG 91           EILSEQ 92           ENOATTR 93          EBADMSG 94
            EMULTIHOP 95        ENODATA 96          ENOLINK 97          ENOSR 98            ENOSTR 99
            EPROTO 100          ETIME 101           EOPNOTSUPP 102      ENOPOLICY 103       ENOTRECOVERABLE 104
            EOWNERDEAD 105      EQFULL 106
            """;

    /** {@code bsd/sys/signal.h} (SIGEMT, not SIGPOLL, as a program without _POSIX_C_SOURCE sees it). */
    private static final String SIGNALS = """
            SIGHUP 1            SIGINT 2            SIGQUIT 3           SIGILL 4            SIGTRAP 5
            SIGABRT 6           SIGIOT 6            SIGEMT 7            SIGFPE 8            SIGKILL 9
            SIGBUS 10           SIGSEGV 11          SIGSYS 12           SIGPIPE 13          SIGALRM 14
            SIGTERM 15          SIGURG 16           SIGSTOP 17          SIGTSTP 18          SIGCONT 19
            SIGCHLD 20          SIGTTIN 21          SIGTTOU 22          SIGIO 23            SIGXCPU 24
            SIGXFSZ 25          SIGVTALRM 26        SIGPROF 27          SIGWINCH 28         SIGINFO 29
            SIGUSR1 30          SIGUSR2 31
            """;

    /** macOS, LP64: 32-byte records with no {@code ext}. */
    public static final KeventAbi ABI = new KeventAbi("macOS", SOURCE,
            32, 0, 8, 2, 10, 2, 12, 16, 24, -1,
            AbiTable.filters(FILTERS), AbiTable.bits(FLAGS),
            Map.of(EVFILT_READ, AbiTable.bits(READ_WRITE_NOTES), EVFILT_WRITE, AbiTable.bits(READ_WRITE_NOTES),
                    EVFILT_VNODE, AbiTable.bits(VNODE_NOTES), EVFILT_TIMER, AbiTable.bits(TIMER_NOTES)),
            AbiTable.numbers(ERRNOS), AbiTable.numbers(SIGNALS));

    private MacOsAbi() {
    }
}
