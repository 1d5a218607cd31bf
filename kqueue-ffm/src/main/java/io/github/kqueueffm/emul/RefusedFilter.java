package io.github.kqueueffm.emul;

import io.github.kqueueffm.core.Filter;
import io.github.kqueueffm.core.Knote;

/**
 * A FreeBSD filter a backend does not offer: every EV_ADD fails with a fixed errno (EPERM for the
 * kernel-only EVFILT_AIO, EVFILT_LIO and EVFILT_SENDFILE, KQ-26; ENXIO for EVFILT_FS, KQ-27;
 * EOPNOTSUPP for filters still to be implemented). Holds no state, so it needs no lock.
 */
public final class RefusedFilter implements Filter {
    private final int errno;
    private final boolean isFd;

    /**
     * @param errno the host errno every EV_ADD fails with
     * @param isFd whether idents are descriptors (checked for EBADF first)
     */
    public RefusedFilter(int errno, boolean isFd) {
        this.errno = errno;
        this.isFd = isFd;
    }

    @Override
    public boolean isFd() {
        return isFd;
    }

    @Override
    public int attach(Knote kn) {
        return errno;
    }

    @Override
    public void detach(Knote kn) {
    }

    @Override
    public boolean event(Knote kn) {
        return false;
    }
}
