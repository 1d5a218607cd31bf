package io.github.kqueueffm.bsd;

import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.bindings.kqueue.PosixCalls;
import io.github.kqueueffm.core.NativeMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The wakeup source of one native kqueue: a pipe whose read end is registered in the kqueue with
 * EVFILT_READ (level-triggered), so one byte written wakes every thread waiting in that kqueue's
 * {@code kevent} — which closing the kqueue's descriptor does not do — until it is read again.
 * A pipe rather than an EVFILT_USER knote with a reserved ident: it works on every kqueue
 * (OpenBSD before 7.7 and NetBSD before 10 have no EVFILT_USER), and its ident is a descriptor the
 * caller does not own, so it takes nothing from the caller's EVFILT_USER namespace.
 *
 * <p>{@code signalled} is:
 * <pre>
 *   false   the pipe is empty (or the winner of the flag is about to write its byte)
 *   true    a byte was written or is being written and not yet drained: wakers need not write
 * </pre>
 * {@link #drain()} reads, then clears the flag, under the kqueue's lock and only while no caller
 * is waiting, so a waker that finds the flag set never relies on a byte about to be read.
 */
final class WakePipe {
    private final int readFd;
    private final int writeFd;
    private final MemorySegment buffer;
    private final AtomicBoolean signalled = new AtomicBoolean();

    private WakePipe(int readFd, int writeFd, MemorySegment buffer) {
        this.readFd = readFd;
        this.writeFd = writeFd;
        this.buffer = buffer;
    }

    /**
     * A close-on-exec pipe.
     *
     * @param memory the kqueue's native memory (a small buffer is taken from it)
     * @return the pipe
     * @throws KQueueException EMFILE or ENFILE
     */
    static WakePipe open(NativeMemory memory) throws KQueueException {
        MemorySegment buffer = memory.allocate(64, 8);
        int rc = PosixCalls.cloexecPipe(buffer);
        if (rc < 0) {
            throw new KQueueException(-rc, "kqueue: wakeup pipe");
        }
        return new WakePipe(buffer.getAtIndex(ValueLayout.JAVA_INT, 0), buffer.getAtIndex(ValueLayout.JAVA_INT, 1),
                buffer);
    }

    /**
     * The read end, registered in the kqueue.
     *
     * @return its descriptor
     */
    int readFd() {
        return readFd;
    }

    /** Writes the byte unless one is pending; never under the kqueue's lock. */
    void wake() {
        if (signalled.compareAndSet(false, true)) {
            PosixCalls.write(writeFd, buffer, 1);
        }
    }

    /**
     * Whether a byte is pending.
     *
     * @return the flag
     */
    boolean signalled() {
        return signalled.get();
    }

    /** Reads the pending byte (waiting for a winner's write in flight), then clears the flag. */
    void drain() {
        if (signalled.get()) {
            PosixCalls.read(readFd, buffer, 64);
            signalled.set(false);
        }
    }

    /** Closes both ends. */
    void close() {
        PosixCalls.close(readFd);
        PosixCalls.close(writeFd);
    }
}
