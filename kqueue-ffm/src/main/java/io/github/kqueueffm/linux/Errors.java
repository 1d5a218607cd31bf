package io.github.kqueueffm.linux;

import io.github.kqueueffm.Errno;

/** Host errno numbers the Linux backend compares with, resolved once. */
final class Errors {
    static final int EBADF = Errno.EBADF.value();
    static final int EINVAL = Errno.EINVAL.value();
    static final int EEXIST = Errno.EEXIST.value();
    static final int EPERM = Errno.EPERM.value();
    static final int ENXIO = Errno.ENXIO.value();
    static final int ENOMEM = Errno.ENOMEM.value();
    static final int EINTR = Errno.EINTR.value();
    static final int EAGAIN = Errno.EAGAIN.value();
    static final int ENOSYS = Errno.ENOSYS.value();
    static final int ENOTTY = Errno.ENOTTY.value();
    static final int EOPNOTSUPP = Errno.EOPNOTSUPP.value();
    static final int ENOENT = Errno.ENOENT.value();
    static final int ESRCH = Errno.ESRCH.value();
    static final int ECHILD = Errno.ECHILD.value();
    static final int EMFILE = Errno.EMFILE.value();
    static final int EPIPE = Errno.EPIPE.value();

    private Errors() {
    }
}
