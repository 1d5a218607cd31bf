package io.github.kqueueffm.bsd;

import io.github.kqueueffm.bindings.kqueue.KqueueCalls;

/**
 * One host's native kqueue: where {@code kqueue}/{@code kevent} come from, the record layout and
 * numbers they use, and whether a kqueue descriptor polls readable while it has events (true of
 * every BSD and macOS kernel; libkqueue's descriptor is the write end of a pipe, never readable).
 *
 * @param description for messages, e.g. {@code "FreeBSD amd64 (native kqueue)"}
 * @param abi the host's {@code struct kevent} and numbers
 * @param calls the host's {@code kqueue} and {@code kevent}
 * @param pollableKqueue whether the kqueue descriptor polls readable while events are pending
 */
public record NativeHost(String description, KeventAbi abi, KqueueCalls calls, boolean pollableKqueue) {
}
