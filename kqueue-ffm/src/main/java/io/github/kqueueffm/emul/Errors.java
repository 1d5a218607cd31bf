package io.github.kqueueffm.emul;

import io.github.kqueueffm.Errno;

/**
 * The errno numbers the emulation's filters answer with, resolved once from the running OS's table
 * ({@link Errno}): never an OS's constants, so every backend reports its own host's numbers.
 */
public final class Errors {
    /** {@code EBADF}. */
    public static final int EBADF = Errno.EBADF.value();
    /** {@code EINVAL}. */
    public static final int EINVAL = Errno.EINVAL.value();
    /** {@code EEXIST}. */
    public static final int EEXIST = Errno.EEXIST.value();
    /** {@code EPERM}. */
    public static final int EPERM = Errno.EPERM.value();
    /** {@code ENXIO}. */
    public static final int ENXIO = Errno.ENXIO.value();
    /** {@code ENOMEM}. */
    public static final int ENOMEM = Errno.ENOMEM.value();
    /** {@code ENOSYS}. */
    public static final int ENOSYS = Errno.ENOSYS.value();
    /** {@code ENOENT}. */
    public static final int ENOENT = Errno.ENOENT.value();
    /** {@code ESRCH}. */
    public static final int ESRCH = Errno.ESRCH.value();
    /** {@code EPIPE}. */
    public static final int EPIPE = Errno.EPIPE.value();

    private Errors() {
    }
}
