package io.github.kqueueffm.properties;

import org.quicktheories.core.Gen;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.quicktheories.QuickTheory.qt;

/**
 * Runs one command-sequence property with QuickTheories under a fixed seed (the system property
 * {@code kqueue.seed} when set, so a failure can be replayed with {@code -Dkqueue.seed=S}), prints
 * its one summary line, and on a failure minimises QuickTheories' smallest sequence further (drops
 * steps, then changes, while it still fails) and fails with the seed and the readable trace.
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
        long seed = seed();
        AtomicLong runs = new AtomicLong();
        AtomicLong kevents = new AtomicLong();
        AtomicReference<OpSequence> lastFailing = new AtomicReference<>();
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
                            kevents.addAndGet(SequenceRunner.run(sequence));
                        } catch (Throwable t) {
                            divergences.incrementAndGet();
                            lastFailing.set(sequence); // QuickTheories shrinks: the last failing one is the smallest
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
        OpSequence smallest = lastFailing.get();
        String detail;
        if (smallest != null) {
            smallest = minimise(smallest);
            detail = failureOf(smallest);
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
    private static String failureOf(OpSequence sequence) {
        try {
            SequenceRunner.run(sequence);
            return null;
        } catch (Throwable t) {
            return t.getMessage();
        }
    }

    private static boolean fails(OpSequence sequence) {
        // a timing-dependent failure must reproduce twice in a row to count
        return failureOf(sequence) != null && failureOf(sequence) != null;
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
