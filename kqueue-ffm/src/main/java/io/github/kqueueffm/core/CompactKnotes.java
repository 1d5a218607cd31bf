package io.github.kqueueffm.core;

/**
 * Not in FreeBSD: knotes a filter keeps in compact form, without a {@link Knote}, until something
 * names them; a kqueue holding 100 000 timers then holds 100 000 small records instead of 100 000
 * objects. The core looks here where its table has no knote: a change to a compact knote expands
 * it into a whole one first (an EV_DELETE only detaches it), so every flag rule still applies to
 * knotes alone; and the filter expands one ({@link KQueueCore#expand}) before it activates it.
 * Every method runs under the kqueue's lock.
 */
public interface CompactKnotes {
    /**
     * Registers a new knote in compact form. The core calls it, instead of making a knote and
     * calling {@link Filter#attach}, for an EV_ADD of a new, enabled knote with no {@code ext[]}.
     * It may accept only if the knote {@code attach} would make is not active (the core evaluates
     * nothing) and if it can later give back exactly that knote, as time moved it on, through
     * {@link #expand}.
     *
     * @param kev the change: ident, fflags (the knote's sfflags), data (its sdata), udata
     * @param flags the knote's flags (the change's, without its actions)
     * @return 0, the host errno that fails the change (as {@code attach}'s), or −1 to have the
     *         core make a knote instead
     */
    int attach(KEventRecord kev, int flags);

    /**
     * Whether a compact knote has this ident.
     *
     * @param ident the ident
     * @return true if {@link #expand} would find it
     */
    boolean holds(long ident);

    /**
     * Turns a compact knote into a whole one: fills the new knote's flags, udata, sfflags and
     * sdata (and data and fflags, when they are not 0) from its compact form, attaches it to its
     * source as {@link Filter#attach} would have, and forgets the compact form.
     *
     * @param kn a new knote with the ident of a compact knote this filter {@linkplain #holds holds}
     */
    void expand(Knote kn);

    /**
     * Drops a compact knote as {@link Filter#detach} would drop its whole form (EV_DELETE).
     *
     * @param ident the ident
     * @return false if no compact knote has it
     */
    boolean detach(long ident);

    /**
     * The kqueue is being released (after every knote was detached): forgets every compact knote
     * and gives back what each holds, as {@link Filter#detach} would.
     */
    void releaseAll();
}
