package io.github.kqueueffm.properties;

import org.junit.jupiter.api.Test;

/**
 * Command-sequence properties: random sequences of descriptor, timer and user-event operations and
 * kevent calls (any flags, fflags, nchanges, nevents, tiny timeouts) run against a real
 * {@link io.github.kqueueffm.KQueue} and against the reference model
 * ({@link io.github.kqueueffm.properties.model.KqModel}); after every kevent call both must agree.
 * CI budget: 23 000 sequences in all (about 1.5 minutes on 2 cores); {@code -Pstress}: 1 000 000 (about
 * 50 minutes).
 * {@code -Dkqueue.sequences=N} sets both counts (for replaying or a quick look).
 * A failure prints the seed ({@code -Dkqueue.seed=S} replays it), the minimal sequence and its trace.
 */
class KeventModelPropertiesTest {
    /** Sequences of the descriptor property in CI and under -Pstress. */
    static final int DESCRIPTOR_SEQUENCES = Integer.getInteger("kqueue.sequences", PropertyRun.stress() ? 950_000 : 20_000);
    /** Sequences of the timer property in CI and under -Pstress. */
    static final int TIMER_SEQUENCES = Integer.getInteger("kqueue.sequences", PropertyRun.stress() ? 50_000 : 3_000);

    @Test
    void descriptorsUserEventsAndTimersAgreeWithTheModel() {
        PropertyRun.check("kevent-model-descriptors",
                SequenceGen.sequences(SequenceGen.Profile.DESCRIPTORS, 40), DESCRIPTOR_SEQUENCES);
    }

    @Test
    void timersAndUserEventsAgreeWithTheModel() {
        PropertyRun.check("kevent-model-timers",
                SequenceGen.sequences(SequenceGen.Profile.TIMERS, 20), TIMER_SEQUENCES);
    }
}
