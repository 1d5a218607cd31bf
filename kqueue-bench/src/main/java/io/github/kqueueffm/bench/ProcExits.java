package io.github.kqueueffm.bench;

import java.util.List;

/**
 * One backend's exit watches for W7: a watch registered for every child, one call each, then the
 * wait until the backend has reported every child's exit.
 */
interface ProcExits extends AutoCloseable {
    /** How long a wait may see no exit at all before it gives up, so a lost exit fails, not hangs. */
    long STALL_MILLIS = 10_000;

    /**
     * Registers an exit watch for each child, one call of the backend each.
     *
     * @param children running children, none of which can exit before this returns
     * @return nanoseconds the registrations took
     * @throws Exception if the backend refuses a watch
     */
    long watchAll(List<Process> children) throws Exception;

    /**
     * Waits until the backend has reported the exit of every watched child, checking that each report
     * is of a watched child's exit and comes once.
     *
     * @throws Exception if the wait fails, or no exit is reported for {@link #STALL_MILLIS}
     */
    void awaitAll() throws Exception;

    /** Releases the backend and whatever watches remain. */
    @Override
    void close();

    /**
     * The failure of a wait that saw no exit for {@link #STALL_MILLIS}.
     *
     * @param backend what was waited on
     * @param reported exits reported so far
     * @param expected exits expected
     * @return the exception to throw
     */
    static IllegalStateException stalled(String backend, int reported, int expected) {
        return new IllegalStateException(backend + ": " + reported + " of " + expected + " exits reported, then none for "
                + STALL_MILLIS + " ms");
    }
}
