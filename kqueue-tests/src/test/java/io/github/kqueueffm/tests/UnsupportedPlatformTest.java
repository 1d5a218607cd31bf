package io.github.kqueueffm.tests;

import io.github.kqueueffm.KQueue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The platform switch on an OS without a backend: {@link KQueue#isSupported()} says so beforehand,
 * and {@link KQueue#open()} throws an {@link UnsupportedOperationException} naming the OS and the
 * architecture, never a class-initialization error. A child JVM is told it runs on another OS
 * ({@code -Dos.name}); the switch reads nothing else.
 */
class UnsupportedPlatformTest {
    @Test
    void runningHereIsSupported() {
        assertTrue(KQueue.isSupported());
    }

    @Test
    void anotherOsIsNamedInTheError() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Dos.name=Plan9",
                "-cp", System.getProperty("java.class.path"), OnAnotherOs.class.getName())
                .redirectErrorStream(true).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("isSupported=false"), output);
        assertTrue(output.contains("UnsupportedOperationException: kqueue-ffm has no backend for Plan9 on "
                + System.getProperty("os.arch")), output);
    }

    /** Run in a JVM that believes it is on Plan 9. */
    static final class OnAnotherOs {
        public static void main(String[] args) throws Exception {
            System.out.println("isSupported=" + KQueue.isSupported());
            try (KQueue kq = KQueue.open()) {
                System.out.println("opened " + kq);
                System.exit(1);
            } catch (UnsupportedOperationException e) {
                System.out.println(e);
            }
        }
    }
}
