package io.github.kqueueffm.tests.support;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Short forms of {@link KQueue#kevent} for conformance tests. Every method makes one real
 * {@code kevent} call; the lists it needs are allocated and freed per call.
 *
 * <ul>
 *   <li>{@link #apply}: changes with nevents = 0, so a failing change throws
 *       {@link KQueueException} (docs/conformance.md#s1.2, "→ ERR").</li>
 *   <li>{@link #applyFails}: one change with nevents = 0 that must fail; returns its errno.</li>
 *   <li>{@link #applyWithRoom}: changes with room for EV_ERROR / EV_RECEIPT entries; returns them.</li>
 *   <li>{@link #poll}, {@link #waitEvents}: collect up to {@link #ROOM} events.</li>
 * </ul>
 */
public final class KeventCalls {
    /** Room of the event lists used by {@link #poll} and {@link #waitEvents}. */
    public static final int ROOM = 16;
    /** The wait of docs/conformance.md#s1.2 for "no event" from an asynchronous source. */
    public static final Duration NO_EVENT_WAIT = Duration.ofMillis(100);

    private KeventCalls() {
    }

    /**
     * Applies the changes in one call with nevents = 0 and timeout {0, 0}.
     *
     * @param kq the kqueue
     * @param changes the changelist
     * @throws KQueueException when a change fails
     */
    public static void apply(KQueue kq, KEvent... changes) throws KQueueException {
        try (KEventList list = KEventList.allocate(changes.length)) {
            for (int i = 0; i < changes.length; i++) {
                list.set(i, changes[i]);
            }
            int n = kq.kevent(list, changes.length, null, 0, Duration.ZERO);
            assertEquals(0, n, "kevent with nevents = 0 returned " + n);
        }
    }

    /**
     * Applies one change with nevents = 0 and asserts that the call throws.
     *
     * @param kq the kqueue
     * @param change the change
     * @return the errno of the failure
     */
    public static Errno applyFails(KQueue kq, KEvent change) {
        KQueueException e = assertThrows(KQueueException.class, () -> apply(kq, change),
                "expected the change to fail: " + change);
        return e.errno();
    }

    /**
     * Applies the changes in one poll call with room for {@code room} entries and returns what the
     * call wrote (EV_ERROR / receipt entries, or events when no entry was produced).
     *
     * @param kq the kqueue
     * @param room nevents
     * @param changes the changelist
     * @return the returned records
     * @throws KQueueException when the call fails
     */
    public static List<KEvent> applyWithRoom(KQueue kq, int room, KEvent... changes) throws KQueueException {
        try (KEventList list = KEventList.allocate(changes.length);
             KEventList out = KEventList.allocate(room)) {
            for (int i = 0; i < changes.length; i++) {
                list.set(i, changes[i]);
            }
            int n = kq.kevent(list, changes.length, out, room, Duration.ZERO);
            return read(out, n);
        }
    }

    /**
     * A poll: timeout {0, 0}, room for {@link #ROOM} events.
     *
     * @param kq the kqueue
     * @return the events returned
     * @throws KQueueException when the call fails
     */
    public static List<KEvent> poll(KQueue kq) throws KQueueException {
        return waitEvents(kq, Duration.ZERO);
    }

    /**
     * A wait of at most {@code timeout} with room for {@link #ROOM} events.
     *
     * @param kq the kqueue
     * @param timeout the longest wait ({@link Duration#ZERO} polls)
     * @return the events returned
     * @throws KQueueException when the call fails
     */
    public static List<KEvent> waitEvents(KQueue kq, Duration timeout) throws KQueueException {
        try (KEventList out = KEventList.allocate(ROOM)) {
            int n = kq.kevent(null, 0, out, ROOM, timeout);
            return read(out, n);
        }
    }

    /**
     * The first {@code n} records of a list.
     *
     * @param list the list
     * @param n how many
     * @return them, in order
     */
    public static List<KEvent> read(KEventList list, int n) {
        List<KEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(list.get(i));
        }
        return events;
    }

    /**
     * A change record: {@code ch(ident, filter, flags, fflags, data, udata)} of
     * docs/conformance.md#s1.2.
     *
     * @param ident ident
     * @param filter filter
     * @param flags flags
     * @param fflags fflags
     * @param data data
     * @param udata udata
     * @return the record
     */
    public static KEvent ch(long ident, short filter, int flags, int fflags, long data, long udata) {
        return KEvent.of(ident, filter, flags, fflags, data, udata);
    }

    /**
     * {@code ch(ident, filter, flags)} with the other fields 0.
     *
     * @param ident ident
     * @param filter filter
     * @param flags flags
     * @return the record
     */
    public static KEvent ch(long ident, short filter, int flags) {
        return KEvent.of(ident, filter, flags);
    }

    /**
     * {@code ch(ident, filter, flags, fflags)} with data and udata 0.
     *
     * @param ident ident
     * @param filter filter
     * @param flags flags
     * @param fflags fflags
     * @return the record
     */
    public static KEvent ch(long ident, short filter, int flags, int fflags) {
        return KEvent.of(ident, filter, flags, fflags, 0, 0);
    }

    /**
     * Hex form of a 32-bit value read unsigned, for assertion messages.
     *
     * @param value the value
     * @return e.g. {@code 0xc0000042}
     */
    public static String hex(int value) {
        return "0x" + Integer.toHexString(value);
    }
}
