package io.github.kqueueffm.emul;

/**
 * The facts about an OS's signals that {@link SignalFilter} needs: which numbers a kqueue may
 * watch, their names as {@code sun.misc.Signal} knows them, and whether the kernel discards one.
 * Process-wide and thread-safe.
 */
public interface SignalTable {
    /**
     * Whether EV_ADD of this number fails with EINVAL: not a signal, or one the kernel or the JVM
     * keeps for itself.
     *
     * @param number a knote's ident
     * @return true if the number may not be watched
     */
    boolean refused(long number);

    /**
     * @param number a signal number
     * @return its name without the SIG prefix, as {@code sun.misc.Signal} takes it, or null
     */
    String name(int number);

    /**
     * Whether the kernel discards the signal on delivery, so that there is nothing to count
     * (SIGCHLD set to SIG_IGN, SG-21).
     *
     * @param number a signal number
     * @return true if deliveries are discarded
     */
    boolean discarded(int number);
}
