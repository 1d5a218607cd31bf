package io.github.kqueueffm.properties;

import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

import java.util.ArrayList;
import java.util.List;

import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_DISABLE;
import static io.github.kqueueffm.KEvent.EV_ENABLE;
import static io.github.kqueueffm.KEvent.NOTE_ATTRIB;
import static io.github.kqueueffm.KEvent.NOTE_DELETE;
import static io.github.kqueueffm.KEvent.NOTE_EXIT;
import static io.github.kqueueffm.KEvent.NOTE_EXTEND;
import static io.github.kqueueffm.KEvent.NOTE_FORK;
import static io.github.kqueueffm.KEvent.NOTE_LINK;
import static io.github.kqueueffm.KEvent.NOTE_WRITE;
import static io.github.kqueueffm.properties.SequenceGen.chance;
import static io.github.kqueueffm.properties.SequenceGen.pick;

/**
 * Generates fflags sequences. As {@link SequenceGen}, every step consumes the same draws whatever
 * its kind and every draw shrinks towards "nothing" (a no-op step, no note, EV_ADD, no wait), so a
 * failing sequence shrinks step by step.
 */
final class FflagsGen {
    /** The notes a vnode change picks from: the ones the file steps post. */
    static final int[] VNODE_NOTES = {NOTE_WRITE, NOTE_EXTEND, NOTE_ATTRIB, NOTE_LINK, NOTE_DELETE};
    /** The notes a process change picks from when forks are watched. */
    static final int[] PROC_NOTES = {NOTE_EXIT, NOTE_FORK};
    /** The notes a process change picks from when they are not. */
    static final int[] EXIT_ONLY = {NOTE_EXIT};
    /** The flags of a change, the first shrinking to a plain re-add. */
    private static final int[] CHANGE_FLAGS = {EV_ADD, EV_DISABLE, EV_ENABLE, EV_ADD | EV_DISABLE, EV_ADD | EV_ENABLE};
    private static final int[] APPEND_SIZES = {1, 7, 100, 512, 1000, 4096};
    private static final int[] PWRITE_SIZES = {1, 8, 32};
    /** How often the watched child may fork before it exits. */
    static final int MAX_FORKS = 3;

    private FflagsGen() {
    }

    /** Sequences on one watched regular file: file activity, changes, collections. */
    static Gen<FflagsSequence> vnode(int maxSteps) {
        Gen<FflagsSequence> gen = in -> {
            // one knote in ten starts with fflags 0: accepted, no watch yet (VN-31)
            int first = chance(in, 90) ? notes(in, VNODE_NOTES) : 0;
            int n = (int) in.next(Constraint.between(1, maxSteps).withShrinkPoint(1));
            List<FflagsStep> steps = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                steps.add(vnodeStep(in));
            }
            return new FflagsSequence(first, 0, steps);
        };
        return gen.describedAs(FflagsSequence::toString);
    }

    /**
     * Sequences on one watched child: its forks and exit, changes, collections.
     *
     * @param maxSteps   the most steps
     * @param watchForks whether the changes may ask for NOTE_FORK
     */
    static Gen<FflagsSequence> proc(int maxSteps, boolean watchForks) {
        int[] choices = watchForks ? PROC_NOTES : EXIT_ONLY;
        Gen<FflagsSequence> gen = in -> {
            int first = notes(in, choices);
            // mostly none: the exit comes at the first release, so more sequences see it
            int forks = chance(in, 25) ? 1 + pick(in, MAX_FORKS - 1) : 0;
            int n = (int) in.next(Constraint.between(1, maxSteps).withShrinkPoint(1));
            List<FflagsStep> steps = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                steps.add(procStep(in, choices));
            }
            return new FflagsSequence(first, forks, steps);
        };
        return gen.describedAs(FflagsSequence::toString);
    }

    private static FflagsStep vnodeStep(RandomnessSource in) {
        Draws d = Draws.of(in, VNODE_NOTES);
        if (d.kind < 6) {
            return new FflagsStep.Nop();
        }
        if (d.kind < 22) {
            return new FflagsStep.Append(APPEND_SIZES[d.size % APPEND_SIZES.length]);
        }
        if (d.kind < 32) {
            return new FflagsStep.Pwrite(PWRITE_SIZES[d.size % PWRITE_SIZES.length]);
        }
        if (d.kind < 46) {
            return new FflagsStep.Attrib(d.variant);
        }
        if (d.kind < 56) {
            return new FflagsStep.Link();
        }
        if (d.kind < 80) {
            return new FflagsStep.Change(d.flags, d.notes);
        }
        return new FflagsStep.Collect(d.idle);
    }

    private static FflagsStep procStep(RandomnessSource in, int[] choices) {
        Draws d = Draws.of(in, choices);
        if (d.kind < 6) {
            return new FflagsStep.Nop();
        }
        if (d.kind < 34) {
            return new FflagsStep.Child();
        }
        if (d.kind < 68) {
            return new FflagsStep.Change(d.flags, d.notes);
        }
        return new FflagsStep.Collect(d.idle);
    }

    /** The draws of one step, all taken whatever the step becomes. */
    private record Draws(int kind, int size, boolean variant, int flags, int notes, int idle) {
        static Draws of(RandomnessSource in, int[] noteChoices) {
            int kind = pick(in, 99);
            int size = pick(in, 59);
            boolean variant = chance(in, 50);
            int flags = CHANGE_FLAGS[pick(in, CHANGE_FLAGS.length - 1)];
            int notes = FflagsGen.notes(in, noteChoices);
            int idleDraw = pick(in, 99);
            // half the idle collections are polls, the rest wait up to 50 ms
            int idle = idleDraw < 50 ? 0 : idleDraw - 49;
            return new Draws(kind, size, variant, flags, notes, idle);
        }
    }

    /** A random subset of the choices, each note in it with probability 1/2. */
    private static int notes(RandomnessSource in, int[] choices) {
        int notes = 0;
        for (int note : choices) {
            notes |= chance(in, 50) ? note : 0;
        }
        return notes;
    }
}
