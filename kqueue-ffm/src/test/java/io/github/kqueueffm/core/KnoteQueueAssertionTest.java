package io.github.kqueueffm.core;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static io.github.kqueueffm.KEvent.EVFILT_USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The engine's own assertion in {@link KnoteQueue#enqueue}, FreeBSD's
 * {@code KASSERT((kn->kn_status & KN_QUEUED) == 0, ("knote already queued"))} in
 * {@code knote_enqueue}: queuing a queued knote is a bug in the caller. This tests the
 * {@code assert}, so it needs {@code -ea} (surefire's {@code enableAssertions}).
 */
class KnoteQueueAssertionTest {
    @Test
    @DisplayName("assert: enqueue of an already-queued knote fails (knote_enqueue's KASSERT)")
    void enqueueOfAQueuedKnoteFailsTheAssertion() {
        assumeTrue(KnoteQueue.class.desiredAssertionStatus(), "assertions are off for core");
        KnoteQueue queue = new KnoteQueue();
        Knote kn = TestKnotes.knote(1, EVFILT_USER, false);
        queue.enqueue(kn);

        assertThrows(AssertionError.class, () -> queue.enqueue(kn));
        // The assertion comes before any change, as the KASSERT does.
        assertSame(kn, queue.first());
        assertNull(kn.next);
        assertEquals(1, queue.size());
    }
}
