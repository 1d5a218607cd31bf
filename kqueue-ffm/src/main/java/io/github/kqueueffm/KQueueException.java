package io.github.kqueueffm;

import io.github.kqueueffm.platform.Platform;

import java.io.IOException;
import java.io.Serial;

/**
 * A failed kqueue operation: the {@code errno} that {@code kqueue()} or {@code kevent()} would have
 * returned, with its symbolic name in the message.
 */
public class KQueueException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The host's errno number (part of the serialized form). */
    private final int errnoValue;

    /**
     * An exception for a host errno number.
     *
     * @param errnoValue the host's errno number
     * @param message what failed
     */
    public KQueueException(int errnoValue, String message) {
        super(message + ": " + Platform.errnoName(errnoValue));
        this.errnoValue = errnoValue;
    }

    /**
     * An exception for a named errno.
     *
     * @param errno the errno
     * @param message what failed
     */
    public KQueueException(Errno errno, String message) {
        this(errno.value(), message);
    }

    /**
     * The errno, by name.
     *
     * @return the errno, or {@link Errno#UNKNOWN} for a number without a name here
     */
    public Errno errno() {
        return Errno.of(errnoValue);
    }

    /**
     * The errno as the host numbers it.
     *
     * @return the host's errno number
     */
    public int errnoValue() {
        return errnoValue;
    }
}
