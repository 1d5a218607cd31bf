package io.github.kqueueffm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/**
 * W8 on the JDK's {@link WatchService}: the directory registered for ENTRY_MODIFY; a change is
 * {@code take()}, {@code pollEvents()} (whose context is matched to the file's name) and
 * {@code reset()}, as a user writes it. On Linux the JDK's service is a background thread polling
 * one inotify instance (a watch on the directory): it reads the events, turns each into a
 * {@code WatchEvent} on the key and queues the key, and {@code take()} is woken from that thread.
 * That hand-off to another thread is the JDK's design; it is measured as a user gets it, threads
 * unpinned. On a 2-vCPU VM it is bimodal: about 4 µs a change while the scheduler keeps both
 * threads on one CPU (the whole JVM under {@code taskset -c 0}), 20 to 50 µs while the wake-up
 * crosses CPUs (as W4 on two CPUs), so its iterations vary widely.
 */
final class NioFileWatcher implements FileWatcher {
    private final WatchService service;
    private final Path[] names;

    /**
     * Opens the service and registers the directory.
     *
     * @param files the files
     * @throws IOException if the service cannot be opened or the directory registered
     */
    NioFileWatcher(WatchedFiles files) throws IOException {
        service = FileSystems.getDefault().newWatchService();
        files.directory().register(service, StandardWatchEventKinds.ENTRY_MODIFY);
        names = new Path[files.count()];
        for (int i = 0; i < names.length; i++) {
            names[i] = files.path(i).getFileName();
        }
    }

    @Override
    public void awaitChange(int index) throws InterruptedException {
        boolean seen = false;
        while (!seen) {
            WatchKey key = service.take();
            for (WatchEvent<?> event : key.pollEvents()) {
                if (!names[index].equals(event.context())) {
                    throw new IllegalStateException("expected a change of " + names[index] + ", got " + event.kind()
                            + " " + event.context());
                }
                seen = true;
            }
            key.reset();
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
