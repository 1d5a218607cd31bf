package io.github.kqueueffm.tests;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's example, kept compiling and running here; the README quotes this method's body. */
class ReadmeExampleTest {

    @Test
    void readmeExampleRuns() throws Exception {
        // README example begins
        try (KQueue kq = KQueue.open();
             KEventList changes = KEventList.allocate(2);
             KEventList events = KEventList.allocate(8)) {
            changes.set(0, 1, KEvent.EVFILT_TIMER, KEvent.EV_ADD, 0, 100, 0);      // every 100 ms
            changes.set(1, 7, KEvent.EVFILT_USER, KEvent.EV_ADD | KEvent.EV_CLEAR, 0, 0, 0);
            kq.kevent(changes, 2, null, 0, Duration.ZERO);                      // register
            changes.set(0, 7, KEvent.EVFILT_USER, 0, KEvent.NOTE_TRIGGER, 0, 0);
            kq.kevent(changes, 1, null, 0, Duration.ZERO);                      // trigger
            for (int round = 0; round < 2; round++) {
                int n = kq.kevent(null, 0, events, 8, null);                    // wait
                for (int i = 0; i < n; i++) {
                    System.out.println(events.get(i));
                }
            }
        }
        // README example ends
        String readme = Files.readString(Path.of("..", "README.md"));
        String source = Files.readString(Path.of("src/test/java/io/github/kqueueffm/tests/ReadmeExampleTest.java"));
        String body = source.substring(source.indexOf("// README example begins") + 25,
                source.indexOf("        // README example ends"));
        String unindented = body.lines().map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .reduce("", (a, b) -> a + b + "\n");
        assertTrue(readme.contains(unindented), "README.md must quote this example verbatim:\n" + unindented);
        assertEquals(15, unindented.lines().count(), "the README example is 15 lines");
    }
}
