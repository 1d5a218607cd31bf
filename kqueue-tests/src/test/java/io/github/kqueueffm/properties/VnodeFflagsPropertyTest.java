package io.github.kqueueffm.properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * EVFILT_VNODE fflags property (VN-19, VN-21, VN-22, VN-36): random sequences on one regular file
 * watched by one EV_CLEAR knote — appends, in-place pwrites, futimens/fchmod, link/unlink of a
 * second name, changes of the knote (EV_ADD, EV_ENABLE, EV_DISABLE, each with a random subset of
 * NOTE_WRITE, NOTE_EXTEND, NOTE_ATTRIB, NOTE_LINK, NOTE_DELETE) and collections — against
 * {@link io.github.kqueueffm.properties.model.NoteKnote}: every activity is judged with the notes
 * asked for when it happened, a change replaces them and keeps what was recorded, a collection
 * returns exactly the recorded notes once. {@link VnodeSteering} keeps the sequences off four open
 * divergences of the emulation ({@code -Dkqueue.vnode.include=NAME,...} includes them). Budget:
 * 150 sequences of up to 12 steps (about 5 s); {@code -Pstress}: 20 000;
 * {@code -Dkqueue.vnode.sequences=N} sets it.
 */
class VnodeFflagsPropertyTest {
    /** Sequences in CI and under -Pstress. */
    static final int SEQUENCES = Integer.getInteger("kqueue.vnode.sequences", PropertyRun.stress() ? 20_000 : 150);
    /** Steps per sequence at most. */
    static final int MAX_STEPS = 12;

    @TempDir
    Path dir;

    @Test
    void activityIsJudgedWithTheFflagsInForceWhenItHappened() {
        VnodeFflagsRunner runner = new VnodeFflagsRunner(dir);
        PropertyRun.check("vnode-fflags", FflagsGen.vnode(MAX_STEPS), SEQUENCES, runner::run,
                s -> FflagsSequence.minimise(s, runner::run));
    }
}
