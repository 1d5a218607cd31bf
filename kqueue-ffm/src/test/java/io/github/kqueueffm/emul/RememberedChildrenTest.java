package io.github.kqueueffm.emul;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RememberedChildren} forgets a child once its {@link Process} is collected, without
 * scanning every entry on each call (that made remembering n children O(n²): W7's 1 000
 * registrations), and still reports a remembered child's exit status.
 */
class RememberedChildrenTest {
    @Test
    void collectedChildrenAreForgottenAndLiveOnesReportTheirStatus() throws Exception {
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Process child = new ProcessBuilder("true").start();
            RememberedChildren.remember(child);
            child.waitFor();
            pids.add(child.pid());
        }
        Process kept = new ProcessBuilder("sh", "-c", "exit 3").start();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (pids.stream().anyMatch(RememberedChildren::remembers) && System.nanoTime() - deadline < 0) {
            System.gc();
            Thread.sleep(10);
            RememberedChildren.remember(kept); // forgets what the collector has cleared since
        }
        for (long pid : pids) {
            if (pid != kept.pid()) { // a pid the kept child happens to reuse is remembered as its
                assertFalse(RememberedChildren.remembers(pid), "child " + pid + " forgotten once collected");
            }
        }
        assertTrue(RememberedChildren.remembers(kept.pid()));
        kept.waitFor();
        assertEquals(3L << 8, RememberedChildren.exitStatus(kept.pid()), "exit(3) as a wait status");
    }
}
