package io.github.kqueueffm;

import io.github.kqueueffm.platform.Platform;

import java.util.HashMap;
import java.util.Map;

/**
 * errno values by their symbolic names. The numbers are the host's own ({@link #value()}):
 * ECONNRESET is 104 on Linux and 54 on FreeBSD, so code compares names, never numbers. Numbers
 * written into {@link KEvent#data()} of an {@code EV_ERROR} entry, or into {@code fflags} with
 * {@code EV_EOF}, are host numbers too and map back with {@link #of(int)}.
 */
public enum Errno {
    /** {@code EPERM}. */
    EPERM,
    /** {@code ENOENT}. */
    ENOENT,
    /** {@code ESRCH}. */
    ESRCH,
    /** {@code EINTR}. */
    EINTR,
    /** {@code EIO}. */
    EIO,
    /** {@code ENXIO}. */
    ENXIO,
    /** {@code E2BIG}. */
    E2BIG,
    /** {@code ENOEXEC}. */
    ENOEXEC,
    /** {@code EBADF}. */
    EBADF,
    /** {@code ECHILD}. */
    ECHILD,
    /** {@code EAGAIN}. */
    EAGAIN,
    /** {@code ENOMEM}. */
    ENOMEM,
    /** {@code EACCES}. */
    EACCES,
    /** {@code EFAULT}. */
    EFAULT,
    /** {@code EBUSY}. */
    EBUSY,
    /** {@code EEXIST}. */
    EEXIST,
    /** {@code EXDEV}. */
    EXDEV,
    /** {@code ENODEV}. */
    ENODEV,
    /** {@code ENOTDIR}. */
    ENOTDIR,
    /** {@code EISDIR}. */
    EISDIR,
    /** {@code EINVAL}. */
    EINVAL,
    /** {@code ENFILE}. */
    ENFILE,
    /** {@code EMFILE}. */
    EMFILE,
    /** {@code ENOTTY}. */
    ENOTTY,
    /** {@code ETXTBSY}. */
    ETXTBSY,
    /** {@code EFBIG}. */
    EFBIG,
    /** {@code ENOSPC}. */
    ENOSPC,
    /** {@code ESPIPE}. */
    ESPIPE,
    /** {@code EROFS}. */
    EROFS,
    /** {@code EMLINK}. */
    EMLINK,
    /** {@code EPIPE}. */
    EPIPE,
    /** {@code EDOM}. */
    EDOM,
    /** {@code ERANGE}. */
    ERANGE,
    /** {@code EDEADLK}. */
    EDEADLK,
    /** {@code ENAMETOOLONG}. */
    ENAMETOOLONG,
    /** {@code ENOLCK}. */
    ENOLCK,
    /** {@code ENOSYS}. */
    ENOSYS,
    /** {@code ENOTEMPTY}. */
    ENOTEMPTY,
    /** {@code ELOOP}. */
    ELOOP,
    /** {@code ENOMSG}. */
    ENOMSG,
    /** {@code EIDRM}. */
    EIDRM,
    /** {@code ENOSTR}. */
    ENOSTR,
    /** {@code ENODATA}. */
    ENODATA,
    /** {@code ETIME}. */
    ETIME,
    /** {@code ENOSR}. */
    ENOSR,
    /** {@code ENOLINK}. */
    ENOLINK,
    /** {@code EPROTO}. */
    EPROTO,
    /** {@code EBADMSG}. */
    EBADMSG,
    /** {@code EOVERFLOW}. */
    EOVERFLOW,
    /** {@code EILSEQ}. */
    EILSEQ,
    /** {@code ENOTSOCK}. */
    ENOTSOCK,
    /** {@code EDESTADDRREQ}. */
    EDESTADDRREQ,
    /** {@code EMSGSIZE}. */
    EMSGSIZE,
    /** {@code EPROTOTYPE}. */
    EPROTOTYPE,
    /** {@code ENOPROTOOPT}. */
    ENOPROTOOPT,
    /** {@code EPROTONOSUPPORT}. */
    EPROTONOSUPPORT,
    /** {@code ESOCKTNOSUPPORT}. */
    ESOCKTNOSUPPORT,
    /** {@code EOPNOTSUPP}. */
    EOPNOTSUPP,
    /** {@code EPFNOSUPPORT}. */
    EPFNOSUPPORT,
    /** {@code EAFNOSUPPORT}. */
    EAFNOSUPPORT,
    /** {@code EADDRINUSE}. */
    EADDRINUSE,
    /** {@code EADDRNOTAVAIL}. */
    EADDRNOTAVAIL,
    /** {@code ENETDOWN}. */
    ENETDOWN,
    /** {@code ENETUNREACH}. */
    ENETUNREACH,
    /** {@code ENETRESET}. */
    ENETRESET,
    /** {@code ECONNABORTED}. */
    ECONNABORTED,
    /** {@code ECONNRESET}. */
    ECONNRESET,
    /** {@code ENOBUFS}. */
    ENOBUFS,
    /** {@code EISCONN}. */
    EISCONN,
    /** {@code ENOTCONN}. */
    ENOTCONN,
    /** {@code ESHUTDOWN}. */
    ESHUTDOWN,
    /** {@code ETOOMANYREFS}. */
    ETOOMANYREFS,
    /** {@code ETIMEDOUT}. */
    ETIMEDOUT,
    /** {@code ECONNREFUSED}. */
    ECONNREFUSED,
    /** {@code EHOSTDOWN}. */
    EHOSTDOWN,
    /** {@code EHOSTUNREACH}. */
    EHOSTUNREACH,
    /** {@code EALREADY}. */
    EALREADY,
    /** {@code EINPROGRESS}. */
    EINPROGRESS,
    /** {@code ESTALE}. */
    ESTALE,
    /** {@code EDQUOT}. */
    EDQUOT,
    /** {@code ECANCELED}. */
    ECANCELED,
    /** {@code EOWNERDEAD}. */
    EOWNERDEAD,
    /** {@code ENOTRECOVERABLE}. */
    ENOTRECOVERABLE,
    /** A number this enum has no name for; {@link KQueueException#errnoValue()} keeps the number. */
    UNKNOWN;

    private static final Map<Integer, Errno> BY_VALUE = new HashMap<>();

    static {
        for (Errno e : values()) {
            if (e.value >= 0) {
                BY_VALUE.putIfAbsent(e.value, e);
            }
        }
    }

    private final int value;

    Errno() {
        this.value = Platform.errnoNumber(name());
    }

    /**
     * The host's number for this errno.
     *
     * @return the number, or −1 for {@link #UNKNOWN} and names the host does not define
     */
    public int value() {
        return value;
    }

    /**
     * The errno with a host number.
     *
     * @param value a host errno number
     * @return its name, or {@link #UNKNOWN}
     */
    public static Errno of(int value) {
        return BY_VALUE.getOrDefault(value, UNKNOWN);
    }
}
