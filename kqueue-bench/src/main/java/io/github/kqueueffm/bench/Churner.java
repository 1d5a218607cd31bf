package io.github.kqueueffm.bench;

/** Registration churn on one socket, one implementation per backend (W5). */
interface Churner extends AutoCloseable {
    /**
     * Starts watching the socket for reading, then stops.
     *
     * @throws Exception if the backend refuses either change
     */
    void addThenDelete() throws Exception;

    /** Releases the poller (the socket is the caller's). */
    @Override
    void close();
}
