package io.github.kqueueffm.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff (longest common subsequence) for the failure message of a stale generated file: the
 * lines to remove ("-") and to add ("+"), each with its line number in the committed file.
 */
final class LineDiff {

    private LineDiff() {
    }

    /**
     * What turns {@code committed} into {@code generated}, at most {@code limit} lines of it.
     *
     * @return the changed lines, one per line of text, or "" if the texts have the same lines
     */
    static String of(String committed, String generated, int limit) {
        String[] a = committed.split("\n", -1);
        String[] b = generated.split("\n", -1);
        int[][] common = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                common[i][j] = a[i].equals(b[j]) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while ((i < a.length || j < b.length) && out.size() < limit) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                i++;
                j++;
            } else if (j < b.length && (i == a.length || common[i][j + 1] >= common[i + 1][j])) {
                out.add(String.format("%5d + %s", i + 1, b[j++]));
            } else {
                out.add(String.format("%5d - %s", i + 1, a[i++]));
            }
        }
        return String.join("\n", out);
    }
}
