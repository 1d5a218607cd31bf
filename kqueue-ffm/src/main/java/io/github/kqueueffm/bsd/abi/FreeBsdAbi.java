package io.github.kqueueffm.bsd.abi;

import io.github.kqueueffm.bsd.KeventAbi;

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
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_DISABLE;
import static io.github.kqueueffm.KEvent.EV_DISPATCH;
import static io.github.kqueueffm.KEvent.EV_DROP;
import static io.github.kqueueffm.KEvent.EV_ENABLE;
import static io.github.kqueueffm.KEvent.EV_EOF;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_FLAG1;
import static io.github.kqueueffm.KEvent.EV_FORCEONESHOT;
import static io.github.kqueueffm.KEvent.EV_KEEPUDATA;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.EV_RECEIPT;

/**
 * FreeBSD ≥ 12 on a 64-bit architecture: our API's own layout and numbers, so a
 * {@code KEventList} is handed to {@code kevent(2)} as it is ({@link KeventAbi#isFreeBsdLayout()}).
 *
 * <p>Source: {@code sys/sys/event.h}, {@code sys/sys/errno.h} and {@code sys/sys/signal.h} of
 * FreeBSD main (15-CURRENT, 2025), read from copies of freebsd/freebsd-src held by the forks
 * rcghpge/freebsd (event.h, b68d17c0) and SigRISCV/freebsd-src (errno.h 0afcd898, signal.h
 * 232ec9a6). The {@code struct kevent} of FreeBSD 12 to 15 is the same 64 bytes:
 * <pre>
 * struct kevent {
 *     __uintptr_t     ident;          //  0
 *     short           filter;         //  8
 *     unsigned short  flags;          // 10
 *     unsigned int    fflags;         // 12
 *     __int64_t       data;           // 16
 *     void            *udata;         // 24
 *     __uint64_t      ext[4];         // 32, 64 bytes in all
 * };
 * </pre>
 * The header's EVFILT_JAIL (−14) and EVFILT_JAILDESC (−15) of FreeBSD 15 are not in our API, so
 * they are not here. {@code kqueue-ffm/src/test/resources/abi/freebsd.properties} holds the values
 * extracted from these headers; {@code KeventAbiTablesTest} compares the two.
 */
public final class FreeBsdAbi {
    private static final String SOURCE = "FreeBSD 15-CURRENT sys/sys/event.h, errno.h, signal.h"
            + " (freebsd/freebsd-src main via forks rcghpge/freebsd b68d17c0, SigRISCV/freebsd-src"
            + " 0afcd898 and 232ec9a6); layout of FreeBSD >= 12";

    /** Every filter of our API, by its own number. */
    private static final int[][] FILTERS = {
        {EVFILT_READ, -1}, {EVFILT_WRITE, -2}, {EVFILT_AIO, -3}, {EVFILT_VNODE, -4},
        {EVFILT_PROC, -5}, {EVFILT_SIGNAL, -6}, {EVFILT_TIMER, -7}, {EVFILT_PROCDESC, -8},
        {EVFILT_FS, -9}, {EVFILT_LIO, -10}, {EVFILT_USER, -11}, {EVFILT_SENDFILE, -12},
        {EVFILT_EMPTY, -13},
    };

    /** Every flag bit of our API (EV_FLAG2 is EV_ERROR's bit). */
    private static final int[][] FLAGS = {
        {EV_ADD, 0x0001}, {EV_DELETE, 0x0002}, {EV_ENABLE, 0x0004}, {EV_DISABLE, 0x0008},
        {EV_ONESHOT, 0x0010}, {EV_CLEAR, 0x0020}, {EV_RECEIPT, 0x0040}, {EV_DISPATCH, 0x0080},
        {EV_FORCEONESHOT, 0x0100}, {EV_KEEPUDATA, 0x0200}, {EV_DROP, 0x1000}, {EV_FLAG1, 0x2000},
        {EV_ERROR, 0x4000}, {EV_EOF, 0x8000},
    };

    /** {@code sys/sys/errno.h}, every number a program sees (ELAST and the kernel's negative ones are not). */
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
            EBADMSG 89          EMULTIHOP 90        ENOLINK 91          EPROTO 92           ENOTCAPABLE 93
            ECAPMODE 94         ENOTRECOVERABLE 95  EOWNERDEAD 96       EINTEGRITY 97
            """;

    /** {@code sys/sys/signal.h}. */
    private static final String SIGNALS = """
            SIGHUP 1            SIGINT 2            SIGQUIT 3           SIGILL 4            SIGTRAP 5
            SIGABRT 6           SIGIOT 6            SIGEMT 7            SIGFPE 8            SIGKILL 9
            SIGBUS 10           SIGSEGV 11          SIGSYS 12           SIGPIPE 13          SIGALRM 14
            SIGTERM 15          SIGURG 16           SIGSTOP 17          SIGTSTP 18          SIGCONT 19
            SIGCHLD 20          SIGTTIN 21          SIGTTOU 22          SIGIO 23            SIGXCPU 24
            SIGXFSZ 25          SIGVTALRM 26        SIGPROF 27          SIGWINCH 28         SIGINFO 29
            SIGUSR1 30          SIGUSR2 31          SIGTHR 32           SIGLWP 32           SIGLIBRT 33
            SIGRTMIN 65         SIGRTMAX 126
            """;

    /** FreeBSD ≥ 12, LP64: 64-byte records, every filter flag bit passed as it is. */
    public static final KeventAbi ABI = new KeventAbi("FreeBSD", SOURCE,
            64, 0, 8, 2, 10, 2, 12, 16, 24, 32,
            AbiTable.filters(FILTERS), AbiTable.bits(FLAGS), Map.of(),
            AbiTable.numbers(ERRNOS), AbiTable.numbers(SIGNALS));

    private FreeBsdAbi() {
    }
}
