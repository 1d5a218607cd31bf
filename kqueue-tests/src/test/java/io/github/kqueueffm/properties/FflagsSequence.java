package io.github.kqueueffm.properties;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * A generated fflags sequence: the knote's first EV_ADD asks for {@code fflags}; then the steps.
 * Prints the steps that do something, one per line.
 *
 * @param fflags the notes of the first EV_ADD
 * @param forks  how many times the watched child forks before it exits (process property only)
 * @param steps  the steps
 */
record FflagsSequence(int fflags, int forks, List<FflagsStep> steps) {
    FflagsSequence {
        steps = List.copyOf(steps);
    }

    /**
     * Makes a failing sequence smaller while it still fails twice in a row: drops steps, then
     * removes single notes from the changes (first EV_ADD included), until nothing helps.
     *
     * @param sequence a failing sequence
     * @param runner   runs a sequence; throws on a divergence
     * @return the smallest failing sequence found
     */
    static FflagsSequence minimise(FflagsSequence sequence, ToIntFunction<FflagsSequence> runner) {
        List<FflagsStep> steps = new ArrayList<>(sequence.steps);
        steps.removeIf(s -> s instanceof FflagsStep.Nop);
        FflagsSequence best = new FflagsSequence(sequence.fflags, sequence.forks, steps);
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = best.steps.size() - 1; i >= 0; i--) {
                List<FflagsStep> shorter = new ArrayList<>(best.steps);
                shorter.remove(i);
                FflagsSequence candidate = new FflagsSequence(best.fflags, best.forks, shorter);
                if (PropertyRun.fails(candidate, runner)) {
                    best = candidate;
                    progress = true;
                }
            }
            for (int bit = 0; bit < 32; bit++) {
                int note = 1 << bit;
                if ((best.fflags & note) != 0) {
                    FflagsSequence candidate = new FflagsSequence(best.fflags & ~note, best.forks, best.steps);
                    if (PropertyRun.fails(candidate, runner)) {
                        best = candidate;
                        progress = true;
                    }
                }
                for (int i = 0; i < best.steps.size(); i++) {
                    if (best.steps.get(i) instanceof FflagsStep.Change c && (c.fflags() & note) != 0) {
                        List<FflagsStep> fewer = new ArrayList<>(best.steps);
                        fewer.set(i, new FflagsStep.Change(c.flags(), c.fflags() & ~note));
                        FflagsSequence candidate = new FflagsSequence(best.fflags, best.forks, fewer);
                        if (PropertyRun.fails(candidate, runner)) {
                            best = candidate;
                            progress = true;
                        }
                    }
                }
            }
        }
        return best;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%n    0. EV_ADD fflags=%s%s", FflagsStep.notes(fflags),
                forks > 0 ? " (the child forks " + forks + " times, then exits)" : ""));
        int i = 0;
        for (FflagsStep step : steps) {
            i++;
            if (!(step instanceof FflagsStep.Nop)) {
                b.append(String.format("%n  %3d. %s", i, step));
            }
        }
        return b.toString();
    }
}
