package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxCalls;

import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CLOEXEC;

/**
 * Registrations that outlived their descriptor, and the rebuild that drops them. A report whose
 * tag no record owns usually means the record was just dropped while the report was on its way
 * (harmless); the same tag reported twice means the registration outlived its descriptor (a dup
 * keeps the file open after the user closed the number the knote named), and the epoll sets are
 * rebuilt after the current dispatch. Guarded by the kqueue's lock.
 */
final class Compaction {
    private final EpollSets sets;
    private final InternalSources sources;
    private final FdTable fds;
    private final Scratch scratch;
    // guarded by the kqueue's lock
    private boolean due;
    private long lastStaleTag;

    Compaction(EpollSets sets, InternalSources sources, FdTable fds, Scratch scratch) {
        this.sets = sets;
        this.sources = sources;
        this.fds = fds;
        this.scratch = scratch;
    }

    /** Notes a report whose tag no record owns. */
    void staleReport(long tag) {
        if (tag == lastStaleTag) {
            due = true;
        }
        lastStaleTag = tag;
    }

    /** Rebuilds the sets if a registration was found to outlive its descriptor. */
    void runIfDue() {
        if (due) {
            run();
        }
    }

    /**
     * Rebuilds the epoll sets from the internal sources and the live records and puts the main one
     * in place of the old one under the same number (dup3), dropping registrations that outlived
     * their descriptor. Threads waiting on the old set are still woken through WAKE. If the
     * rebuild fails, the records are registered again in the sets as they are.
     */
    private void run() {
        due = false;
        lastStaleTag = 0;
        int fresh = LinuxCalls.epollCreate1(EPOLL_CLOEXEC);
        if (fresh < 0) {
            return;
        }
        EpollSets rebuilt = new EpollSets(fresh);
        boolean ok = sources.registerAll(fresh) == 0 && rebuilt.ensure(1, scratch) == 0;
        int[] reused = ok ? fds.registerAll(rebuilt) : new int[0];
        if (ok) {
            ok = sets.takeOver(rebuilt); // closes the fresh numbers
        } else {
            rebuilt.closeNested();
            LinuxCalls.close(fresh);
        }
        fds.dropReused(reused);
        if (!ok) {
            fds.registerAgain();
        }
    }
}
