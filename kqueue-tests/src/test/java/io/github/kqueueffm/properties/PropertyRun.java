package io.github.kqueueffm.properties;

import org.quicktheories.core.Gen;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

import static org.quicktheories.QuickTheory.qt;

/**
 * Runs one command-sequence property with QuickTheories under a fixed seed (the system property
 * {@code kqueue.seed} when set, so a failure can be replayed with {@code -Dkqueue.seed=S}), prints
 * its one summary line, and on a failure minimises QuickTheories' smallest sequence further (drops
 * steps, then changes, while it still fails) and fails with the seed and the readable trace. Other
 * sequence types (the vnode and process fflags properties) pass their own runner and minimiser.
 */
final class PropertyRun {
    private PropertyRun() {
    }

    /** The seed: {@code -Dkqueue.seed=S}, or a fresh one. */
    static long seed() {
        String given = System.getProperty("kqueue.seed");
        return given != null && !given.isBlank() ? Long.parseLong(given.trim()) : System.nanoTime();
    }

    /** Whether {@code -Pstress} is on. */
    static boolean stress() {
        return Boolean.getBoolean("kqueue.stress");
    }

    /**
     * Runs the property: exactly {@code sequences} generated sequences unless a divergence stops it.
     *
     * @param name      the property's name in the summary line
     * @param gen       the sequence generator
     * @param sequences how many sequences
     */
    static void check(String name, Gen<OpSequence> gen, int sequences) {
        check(name, gen, sequences, SequenceRunner::run, PropertyRun::minimise);
    }

    /**
     * Runs a property over any kind of sequence, as {@link #check(String, Gen, int)} does.
     *
     * @param name      the property's name in the summary line
     * @param gen       the sequence generator
     * @param sequences how many sequences
     * @param runner    runs one sequence against the real kqueue and the model: returns the kevent
     *                  calls it made, throws an {@link AssertionError} on a divergence
     * @param minimiser makes a failing sequence smaller while it still fails twice in a row
     * @param <S>       the sequence type
     */
    static <S> void check(String name, Gen<S> gen, int sequences, ToIntFunction<S> runner, UnaryOperator<S> minimiser) {
        long seed = seed();
        AtomicLong runs = new AtomicLong();
        AtomicLong kevents = new AtomicLong();
        AtomicReference<S> lastFailing = new AtomicReference<>();
        AtomicReference<String> lastMessage = new AtomicReference<>();
        AtomicLong divergences = new AtomicLong();
        AssertionError failure = null;
        try {
            // QuickTheories skips a generated value it has seen before; ask for a few more so that
            // the number of sequences actually run reaches the budget, and stop there.
            qt().withFixedSeed(seed)
                    .withExamples(sequences + sequences / 50 + 10)
                    .withShrinkCycles(stress() ? 20_000 : 3_000)
                    .withGenerateAttempts(100)
                    .forAll(gen)
                    .checkAssert(sequence -> {
                        if (lastFailing.get() == null && runs.get() >= sequences) {
                            return; // budget reached: the rest pass without running
                        }
                        if (lastFailing.get() == null) {
                            runs.incrementAndGet();
                        }
                        try {
                            kevents.addAndGet(runner.applyAsInt(sequence));
                        } catch (Throwable t) {
                            divergences.incrementAndGet();
                            lastFailing.set(sequence); // QuickTheories shrinks: the last failing one is the smallest
                            lastMessage.set(t.getMessage());
                            throw t;
                        }
                    });
        } catch (AssertionError e) {
            failure = e;
        }
        if (failure == null) {
            System.out.printf("property %s: %d sequences, 0 divergences, seed %d%n", name, runs.get(), seed);
            if (runs.get() < sequences) {
                throw new AssertionError("property " + name + " ran only " + runs.get() + " of " + sequences
                        + " sequences (QuickTheories ran out of new values)");
            }
            return;
        }
        S smallest = lastFailing.get();
        String detail;
        if (smallest != null) {
            smallest = minimiser.apply(smallest);
            detail = failureOf(smallest, runner);
            if (detail == null) {
                detail = "(the minimal sequence passed when run again: timing-dependent; the last failure"
                        + " QuickTheories saw:)\n" + lastMessage.get();
            }
        } else {
            detail = failure.getMessage();
        }
        System.out.printf("property %s: %d sequences, %d divergences, seed %d%n", name, runs.get(), 1, seed);
        String message = "property " + name + " diverged from the model; replay with -Dkqueue.seed=" + seed
                + "\nminimal sequence:" + (smallest == null ? " (see below)" : smallest) + "\n" + detail;
        System.out.println(message);
        throw new AssertionError(message);
    }

    /** The trace of a failing sequence, or null if it passes now. */
    private static <S> String failureOf(S sequence, ToIntFunction<S> runner) {
        try {
            runner.applyAsInt(sequence);
            return null;
        } catch (Throwable t) {
            return t.getMessage();
        }
    }

    /** Whether a sequence fails twice in a row: a timing-dependent failure must reproduce to count. */
    static <S> boolean fails(S sequence, ToIntFunction<S> runner) {
        return failureOf(sequence, runner) != null && failureOf(sequence, runner) != null;
    }

    private static boolean fails(OpSequence sequence) {
        return fails(sequence, SequenceRunner::run);
    }

    /** Drops steps, then changes of kevent steps, while the sequence still fails. */
    static OpSequence minimise(OpSequence sequence) {
        List<Op> ops = new ArrayList<>(sequence.effective());
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = ops.size() - 1; i >= 0; i--) {
                List<Op> shorter = new ArrayList<>(ops);
                shorter.remove(i);
                if (fails(new OpSequence(shorter))) {
                    ops = shorter;
                    progress = true;
                }
            }
            for (int i = 0; i < ops.size(); i++) {
                if (ops.get(i) instanceof Op.Kevent k && k.nchanges() > 0) {
                    for (int c = k.changes().size() - 1; c >= 0; c--) {
                        List<Op.ChangeSpec> fewer = new ArrayList<>(k.changes());
                        fewer.remove(c);
                        Op.Kevent smaller = new Op.Kevent(fewer, fewer.size(), k.nevents(), k.timeout(), k.sameList(),
                                k.badChanges());
                        List<Op> candidate = new ArrayList<>(ops);
                        candidate.set(i, smaller);
                        if (fails(new OpSequence(candidate))) {
                            ops = candidate;
                            k = smaller;
                            progress = true;
                        }
                    }
                }
            }
        }
        return new OpSequence(ops);
    }
}
