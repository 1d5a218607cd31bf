package io.github.kqueueffm.bench;

/**
 * Every file of a {@link WatchedFiles} watched for writes, and the wait for one change report, one
 * implementation per backend (W8). A watcher belongs to one thread after setup.
 */
interface FileWatcher extends AutoCloseable {
    /**
     * Waits through the backend until it reports a change, and checks that the change is of the
     * expected file.
     *
     * @param index the file just appended to
     * @throws Exception if the wait fails
     * @throws IllegalStateException if the backend reports another file
     */
    void awaitChange(int index) throws Exception;

    /** Stops watching and releases the backend (the files are the caller's). */
    @Override
    void close();
}
