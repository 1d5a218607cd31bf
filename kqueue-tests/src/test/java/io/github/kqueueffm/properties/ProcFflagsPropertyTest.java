package io.github.kqueueffm.properties;

import org.junit.jupiter.api.Test;

/**
 * EVFILT_PROC fflags property (PR-07, PR-09, PR-12, PR-17, PR-21, PR-24): random sequences on one
 * gated child watched by one knote — its forks and its exit at random points, changes of the knote
 * (EV_ADD, EV_ENABLE, EV_DISABLE, each with a random subset of NOTE_EXIT and NOTE_FORK) and
 * collections — against {@link io.github.kqueueffm.properties.model.NoteKnote}: a fork or the exit
 * is judged with the notes asked for when it happened (an exit nothing recorded drops the knote
 * silently), a change keeps what was recorded, a collection returns it once. The forks are
 * watched only with {@code -Dkqueue.proc.forks=true} and the process connector (PR-23): the kernel
 * drops connector records on a busy machine ({@link ProcFflagsRunner}). Budget: 60 sequences of up
 * to 10 steps (a child each, a few seconds); {@code -Pstress}: 2 000;
 * {@code -Dkqueue.proc.sequences=N} sets it.
 */
class ProcFflagsPropertyTest {
    /** Sequences in CI and under -Pstress. */
    static final int SEQUENCES = Integer.getInteger("kqueue.proc.sequences", PropertyRun.stress() ? 2_000 : 60);
    /** Steps per sequence at most. */
    static final int MAX_STEPS = 10;

    @Test
    void forksAndExitAreJudgedWithTheFflagsInForceWhenTheyHappened() {
        ProcFflagsRunner runner = new ProcFflagsRunner();
        PropertyRun.check(runner.forksWatched() ? "proc-fflags (forks watched)" : "proc-fflags",
                FflagsGen.proc(MAX_STEPS, runner.forksWatched()), SEQUENCES, runner::run,
                s -> FflagsSequence.minimise(s, runner::run));
    }
}
