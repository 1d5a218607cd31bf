package io.github.kqueueffm.core;

/**
 * Knotes for unit tests, in this package because {@link Knote}'s constructor is package-private;
 * tests of other packages (the timer heap) create their knotes here too.
 */
public final class TestKnotes {
    private TestKnotes() {
    }

    /**
     * A knote whose filter operations say only whether it is a descriptor knote: the table, the
     * queue and the heap never call the others.
     *
     * @param ident the knote's ident (a descriptor number when {@code isFd})
     * @param filter the EVFILT_* number
     * @param isFd whether the filter's idents are descriptor numbers
     * @return a new knote, in no table or queue
     */
    public static Knote knote(long ident, short filter, boolean isFd) {
        return new Knote(ident, filter, isFd ? Inert.DESCRIPTOR : Inert.OTHER);
    }

    /** Filter operations that fail if called: the structures under test must not call them. */
    private enum Inert implements Filter {
        DESCRIPTOR, OTHER;

        @Override
        public boolean isFd() {
            return this == DESCRIPTOR;
        }

        @Override
        public int attach(Knote kn) {
            throw new AssertionError("attach called on " + kn);
        }

        @Override
        public void detach(Knote kn) {
            throw new AssertionError("detach called on " + kn);
        }

        @Override
        public boolean event(Knote kn) {
            throw new AssertionError("event called on " + kn);
        }
    }
}
