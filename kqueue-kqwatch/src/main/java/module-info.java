/**
 * kqwatch, the demonstration of kqueue-ffm: watches what you name and prints each event. Uses the
 * public API of {@code io.github.kqueueffm} only; not published.
 */
module io.github.kqueueffm.kqwatch {
    requires io.github.kqueueffm;
}
