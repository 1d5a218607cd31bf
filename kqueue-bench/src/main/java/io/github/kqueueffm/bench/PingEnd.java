package io.github.kqueueffm.bench;

/**
 * One end of the ping-pong socket and its thread's way of waiting for it, one implementation per
 * backend (W1, W2). An end belongs to one thread after setup; it owns its socket and poller.
 */
interface PingEnd extends AutoCloseable {
    /**
     * Writes the one byte.
     *
     * @throws Exception if the write fails
     */
    void send() throws Exception;

    /**
     * Waits through the backend until the socket is readable, then reads the byte.
     *
     * @return false at end of stream (the other end was closed)
     * @throws Exception if the wait or the read fails
     */
    boolean receive() throws Exception;

    /**
     * Registers both ends of {@code pairs} new connected socket pairs for reading with this end's
     * poller; nothing is ever written to them, so they never become ready (W2).
     *
     * @param pairs how many pairs (twice as many descriptors)
     * @throws Exception if a registration fails
     */
    void watchIdle(int pairs) throws Exception;

    /** Closes the socket, the poller and the idle descriptors. */
    @Override
    void close();
}
