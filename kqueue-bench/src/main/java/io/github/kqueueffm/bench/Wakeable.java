package io.github.kqueueffm.bench;

/**
 * A thread's poller that one other thread wakes, one implementation per backend (W4). The owner
 * calls {@link #await()}; the other thread calls {@link #wake()}, strictly alternating with it.
 */
interface Wakeable extends AutoCloseable {
    /**
     * Blocks the owner in the backend's wait until it is woken.
     *
     * @throws Exception if the wait fails
     */
    void await() throws Exception;

    /**
     * Wakes the owner, from the other thread.
     *
     * @throws Exception if the backend fails
     */
    void wake() throws Exception;

    /** Releases the poller. */
    @Override
    void close();
}
