package io.github.kqueueffm.properties;

import java.util.ArrayList;
import java.util.List;

/**
 * A generated command sequence; prints its steps (without the steps shrinking emptied) one per line.
 *
 * @param ops the steps
 */
record OpSequence(List<Op> ops) {
    OpSequence {
        ops = List.copyOf(ops);
    }

    /** @return the steps that do something */
    List<Op> effective() {
        List<Op> out = new ArrayList<>();
        for (Op op : ops) {
            if (!(op instanceof Op.Nop)) {
                out.add(op);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (Op op : ops) {
            i++;
            if (!(op instanceof Op.Nop)) {
                b.append(String.format("%n  %3d. %s", i, op));
            }
        }
        return b.isEmpty() ? "(no steps)" : b.toString();
    }
}
