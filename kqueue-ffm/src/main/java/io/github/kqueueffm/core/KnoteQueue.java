package io.github.kqueueffm.core;

/**
 * The kqueue's ready queue ({@code kq_head}): an intrusive doubly linked FIFO of knotes with
 * {@link Knote#QUEUED} set, so queuing allocates nothing. Guarded by the kqueue's lock.
 */
final class KnoteQueue {
    private Knote head;
    private Knote tail;
    private int size;

    boolean isEmpty() {
        return head == null;
    }

    int size() {
        return size;
    }

    Knote first() {
        return head;
    }

    /** {@code knote_enqueue}: appends and sets QUEUED; the caller checked it was not queued. */
    void enqueue(Knote kn) {
        assert !kn.has(Knote.QUEUED) : "knote already queued: " + kn;
        kn.status |= Knote.QUEUED;
        kn.next = null;
        kn.prev = tail;
        if (tail == null) {
            head = kn;
        } else {
            tail.next = kn;
        }
        tail = kn;
        size++;
    }

    /** Unlinks and clears QUEUED; a knote not queued is left alone. */
    void dequeue(Knote kn) {
        if (!kn.has(Knote.QUEUED)) {
            return;
        }
        kn.status &= ~Knote.QUEUED;
        if (kn.prev == null) {
            head = kn.next;
        } else {
            kn.prev.next = kn.next;
        }
        if (kn.next == null) {
            tail = kn.prev;
        } else {
            kn.next.prev = kn.prev;
        }
        kn.next = null;
        kn.prev = null;
        size--;
    }
}
