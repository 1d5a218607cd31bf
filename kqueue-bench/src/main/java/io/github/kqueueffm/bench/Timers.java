package io.github.kqueueffm.bench;

/**
 * One backend's one-shot timers for W3: arm many, then wait until every one has expired. Timer
 * {@code i} expires {@link #timeoutMillis}{@code (i)} after its own arming call, so the deadlines
 * spread over 100 ms and the last one falls about 200 ms after the first call.
 */
interface Timers extends AutoCloseable {
    /**
     * The relative timeout of timer {@code i}.
     *
     * @param i the timer's number
     * @return 100 to 199 milliseconds
     */
    static long timeoutMillis(int i) {
        return 100 + i % 100;
    }

    /**
     * Arms timers 0 to {@code count − 1}, one call of the backend each.
     *
     * @param count how many
     * @return nanoseconds the arming took
     * @throws Exception if the backend refuses a timer
     */
    long armAll(int count) throws Exception;

    /**
     * Waits until all {@code count} timers have expired, collecting each expiry.
     *
     * @param count how many were armed
     * @throws Exception if the wait fails
     */
    void awaitAll(int count) throws Exception;

    /** Releases the backend. */
    @Override
    void close();
}
