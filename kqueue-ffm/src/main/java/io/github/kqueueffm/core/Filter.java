package io.github.kqueueffm.core;

/**
 * One event filter, FreeBSD's {@code struct filterops}. Filters hold no flag logic: the core
 * applies every EV_* rule and calls these operations at the points kern_event.c does.
 * Every method runs under the kqueue's lock.
 */
public interface Filter {
    /** EVENT_REGISTER: a change is applied to an existing knote. */
    int EVENT_REGISTER = 1;
    /** EVENT_PROCESS: an event is copied out. */
    int EVENT_PROCESS = 2;

    /**
     * {@code f_isfd}: whether idents are descriptor numbers (kept in the per-descriptor array,
     * checked for EBADF, dropped when the descriptor closes).
     *
     * @return true for descriptor filters
     */
    boolean isFd();

    /**
     * {@code f_attach}: connects a new knote to its source. {@code kn.sfflags}/{@code kn.sdata}
     * hold the change's fflags/data.
     *
     * @param kn the new knote
     * @return 0, or the host errno that fails the change
     */
    int attach(Knote kn);

    /**
     * {@code f_detach}: disconnects a knote that is being dropped.
     *
     * @param kn the knote
     */
    void detach(Knote kn);

    /**
     * {@code f_event}: re-evaluates the knote's condition, updating {@code kn.data},
     * {@code kn.fflags} and EV_EOF in {@code kn.flags}. A filter that finds its source gone
     * (the descriptor was closed) sets {@link Knote#GONE} and returns false.
     *
     * @param kn the knote
     * @return whether the knote has something to report
     */
    boolean event(Knote kn);

    /**
     * Whether the filter has {@code f_touch}; only non-descriptor filters' touch is called.
     *
     * @return true if {@link #touch} is implemented
     */
    default boolean hasTouch() {
        return false;
    }

    /**
     * {@code f_touch}: EVENT_REGISTER applies a change's fflags/data (and may rewrite the
     * change's fflags, which a receipt then shows); EVENT_PROCESS fills the outgoing event.
     *
     * @param kn the knote
     * @param kev the change, or the event being copied out
     * @param type {@link #EVENT_REGISTER} or {@link #EVENT_PROCESS}
     */
    default void touch(Knote kn, KEventRecord kev, int type) {
    }

    /**
     * Not in FreeBSD: whether the kernel keeps re-reporting this level-triggered knote while its
     * condition holds (a level-triggered epoll registration), so the scan need not re-queue it
     * after delivery. Observably the same; it saves a re-check system call per call.
     *
     * @param kn a knote without EV_CLEAR, EV_DISPATCH or EV_ONESHOT that was just delivered
     * @return true if the source reports it again by itself
     */
    default boolean reportsLevelItself(Knote kn) {
        return false;
    }

    /**
     * Not in FreeBSD: whether the OS registration that attaching or changing this knote just made
     * will report the knote's condition by itself if it holds now (an epoll registration queues
     * its current readiness), and only then. The core then leaves the activation to that report
     * instead of evaluating the knote too, so that one readiness is one activation, however many
     * threads collect (MT-01). Asked once per change, right after {@link #attach} or
     * {@link #changed}, for an enabled knote.
     *
     * @param kn the knote just attached or changed
     * @return true if the registration's report activates the knote
     */
    default boolean reportedByRegistration(Knote kn) {
        return false;
    }

    /**
     * Not in FreeBSD, whose filters run when activity happens ({@code filt_proc} from the exit,
     * {@code filt_vfsvnode} from the write) and record it with the {@code kn_sfflags} of that
     * moment: a filter that learns of activity only when it asks the OS collects now what concerns
     * this knote and judges it with the sfflags still in force. The core calls it before a change
     * replaces an existing knote's sfflags (EV_ADD, EV_ENABLE, EV_DISABLE), so that the change
     * does not re-judge earlier activity (PR-24, VN-36).
     *
     * @param kn an existing knote about to be changed
     */
    default void collectPending(Knote kn) {
    }

    /**
     * Not in FreeBSD: the core changed the knote's enabled state or parameters (EV_ENABLE,
     * EV_DISABLE, a modify, EV_DISPATCH after delivery) and a platform filter may update its
     * kernel registration.
     *
     * @param kn the knote
     */
    default void changed(Knote kn) {
    }

    /**
     * Not in FreeBSD: the knotes this filter keeps in compact form, without a {@link Knote}, until
     * something names them.
     *
     * @return the filter's compact knotes, or null if it keeps none (most filters)
     */
    default CompactKnotes compactKnotes() {
        return null;
    }
}
