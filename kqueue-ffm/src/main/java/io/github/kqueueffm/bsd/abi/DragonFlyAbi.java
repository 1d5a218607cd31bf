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
import static io.github.kqueueffm.KEvent.NOTE_ATTRIB;
import static io.github.kqueueffm.KEvent.NOTE_DELETE;
import static io.github.kqueueffm.KEvent.NOTE_EXTEND;
import static io.github.kqueueffm.KEvent.NOTE_LINK;
import static io.github.kqueueffm.KEvent.NOTE_LOWAT;
import static io.github.kqueueffm.KEvent.NOTE_MSECONDS;
import static io.github.kqueueffm.KEvent.NOTE_RENAME;
import static io.github.kqueueffm.KEvent.NOTE_REVOKE;
import static io.github.kqueueffm.KEvent.NOTE_WRITE;

/**
 * DragonFly BSD (x86_64): FreeBSD's 32-byte record before {@code ext} was added, with DragonFly's
 * own filter numbers.
 *
 * <p>Source: {@code sys/sys/event.h} of DragonFly master as held by the fork tuxillo/DragonFlyBSD
 * (f3cb9a78; newer than the official repository's copy that was at hand), {@code sys/sys/errno.h}
 * of the fork levex/dragonfly (372d0ed9) and {@code sys/sys/signal.h} of DragonFlyBSD/DragonFlyBSD
 * (d668a6f1). The errno copy may predate numbers DragonFly has since assigned (it has none at 94 to
 * 98).
 * <pre>
 * struct kevent {
 *     uintptr_t       ident;          //  0
 *     short           filter;         //  8
 *     u_short         flags;          // 10
 *     u_int           fflags;         // 12
 *     intptr_t        data;           // 16
 *     void            *udata;         // 24, 32 bytes in all, no ext
 * };
 * </pre>
 * What differs from FreeBSD: −8 is EVFILT_EXCEPT, EVFILT_USER is −9 and EVFILT_FS −10; there is
 * no EVFILT_PROCDESC, EVFILT_LIO, EVFILT_SENDFILE or EVFILT_EMPTY. 0x0800 is EV_HUP and 0x1000
 * EV_NODATA (EV_SYSFLAGS is 0xF800); no EV_FORCEONESHOT, EV_KEEPUDATA or EV_DROP. The header has no
 * timer unit bits at all: timers count milliseconds, so only NOTE_MSECONDS (as nothing) is kept.
 * EVFILT_VNODE has the seven original notes; NOTE_FILE_POLL's bit (0x2) is EVFILT_EXCEPT's NOTE_OOB.
 * {@code kqueue-ffm/src/test/resources/abi/dragonfly.properties} holds the values extracted from
 * these headers; {@code KeventAbiTablesTest} compares the two.
 */
public final class DragonFlyAbi {
    private static final String SOURCE = "DragonFly sys/sys/event.h (master via fork tuxillo/DragonFlyBSD f3cb9a78),"
            + " errno.h (fork levex/dragonfly 372d0ed9), signal.h (DragonFlyBSD/DragonFlyBSD d668a6f1)";

    /** FreeBSD filter → DragonFly filter. */
    private static final int[][] FILTERS = {
        {EVFILT_READ, -1}, {EVFILT_WRITE, -2}, {EVFILT_AIO, -3}, {EVFILT_VNODE, -4},
        {EVFILT_PROC, -5}, {EVFILT_SIGNAL, -6}, {EVFILT_TIMER, -7}, {EVFILT_USER, -9},
        {EVFILT_FS, -10},
    };

    /** FreeBSD flag → DragonFly flag. */
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

    /** EVFILT_TIMER: milliseconds, DragonFly's only unit; no other unit, no absolute time. */
    private static final int[][] TIMER_NOTES = {
        {NOTE_MSECONDS, 0},
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
            EOPNOTSUPP 45       ENOTSUP 45          EPFNOSUPPORT 46     EAFNOSUPPORT 47     EADDRINUSE 48
            EADDRNOTAVAIL 49    ENETDOWN 50         ENETUNREACH 51      ENETRESET 52        ECONNABORTED 53
            ECONNRESET 54       ENOBUFS 55          EISCONN 56          ENOTCONN 57         ESHUTDOWN 58
            ETOOMANYREFS 59     ETIMEDOUT 60        ECONNREFUSED 61     ELOOP 62            ENAMETOOLONG 63
            EHOSTDOWN 64        EHOSTUNREACH 65     ENOTEMPTY 66        EPROCLIM 67         EUSERS 68
            EDQUOT 69           ESTALE 70           EREMOTE 71          EBADRPC 72          ERPCMISMATCH 73
            EPROGUNAVAIL 74     EPROGMISMATCH 75    EPROCUNAVAIL 76     ENOLCK 77           ENOSYS 78
            EFTYPE 79           EAUTH 80            ENEEDAUTH 81        EIDRM 82            ENOMSG 83
            EOVERFLOW 84        ECANCELED 85        EILSEQ 86           ENOATTR 87          EDOOFUS 88
            EBADMSG 89          EMULTIHOP 90        ENOLINK 91          EPROTO 92           ENOMEDIUM 93
            EASYNC 99
            """;

    /** {@code sys/sys/signal.h}. */
    private static final String SIGNALS = """
            SIGHUP 1            SIGINT 2            SIGQUIT 3           SIGILL 4            SIGTRAP 5
            SIGABRT 6           SIGIOT 6            SIGEMT 7            SIGFPE 8            SIGKILL 9
            SIGBUS 10           SIGSEGV 11          SIGSYS 12           SIGPIPE 13          SIGALRM 14
            SIGTERM 15          SIGURG 16           SIGSTOP 17          SIGTSTP 18          SIGCONT 19
            SIGCHLD 20          SIGTTIN 21          SIGTTOU 22          SIGIO 23            SIGXCPU 24
            SIGXFSZ 25          SIGVTALRM 26        SIGPROF 27          SIGWINCH 28         SIGINFO 29
            SIGUSR1 30          SIGUSR2 31          SIGTHR 32           SIGCKPT 33          SIGCKPTEXIT 34
            """;

    /** DragonFly, LP64: 32-byte records with no {@code ext}. */
    public static final KeventAbi ABI = new KeventAbi("DragonFly", SOURCE,
            32, 0, 8, 2, 10, 2, 12, 16, 24, -1,
            AbiTable.filters(FILTERS), AbiTable.bits(FLAGS),
            Map.of(EVFILT_READ, AbiTable.bits(READ_WRITE_NOTES), EVFILT_WRITE, AbiTable.bits(READ_WRITE_NOTES),
                    EVFILT_VNODE, AbiTable.bits(VNODE_NOTES), EVFILT_TIMER, AbiTable.bits(TIMER_NOTES)),
            AbiTable.numbers(ERRNOS), AbiTable.numbers(SIGNALS));

    private DragonFlyAbi() {
    }
}
