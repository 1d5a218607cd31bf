package io.github.kqueueffm.bindings;

import io.github.kqueueffm.bindings.linux.LinuxBindings;
import io.github.kqueueffm.bindings.linux.LinuxConstants;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM whose OS or architecture has no generated Linux bindings: the bindings classes initialise,
 * say so when asked, and refuse with an {@link UnsupportedOperationException} naming
 * {@code os.name} and {@code os.arch} only when the bindings are actually needed. Each case runs in
 * a child JVM started with {@code -Dos.name} or {@code -Dos.arch} overridden, which is what the
 * classes read.
 */
class UnsupportedTargetTest {
    private static final String HOST_ARCH = System.getProperty("os.arch");

    @Test
    void onAnotherOsTheBindingsSayTheyAreMissingInsteadOfFailingToInitialise() throws Exception {
        Map<String, String> probe = probe("-Dos.name=FreeBSD");
        assertEquals("FREEBSD", probe.get("os"), probe.toString());
        assertEquals("false", probe.get("available"), probe.toString());
        // No FreeBSD errno table is generated yet (issue 10): no numbers, and none borrowed from Linux.
        assertEquals("-1 errno 9 0", probe.get("errno"), probe.toString());
        assertRefused(probe.get("intConstant"), "FreeBSD", HOST_ARCH);
        assertEquals("no refusal", probe.get("require"), "FreeBSD is a known target, only without bindings");
        assertFacadeFailsWithTheRefusal(probe);
    }

    @Test
    void onAnUnknownArchitectureTheBindingsSayTheyAreMissingInsteadOfFailingToInitialise() throws Exception {
        Map<String, String> probe = probe("-Dos.arch=riscv64");
        assertEquals("unknown", probe.get("os"), probe.toString());
        assertEquals("false", probe.get("available"), probe.toString());
        assertEquals("-1 errno 9 0", probe.get("errno"), probe.toString());
        assertRefused(probe.get("intConstant"), System.getProperty("os.name"), "riscv64");
        assertRefused(probe.get("require"), System.getProperty("os.name"), "riscv64");
        assertFacadeFailsWithTheRefusal(probe);
    }

    private static void assertRefused(String refusal, String osName, String osArch) {
        assertTrue(refusal.startsWith(UnsupportedOperationException.class.getName()), refusal);
        assertTrue(refusal.contains("os.name '" + osName + "'") && refusal.contains("os.arch '" + osArch + "'"),
                refusal);
    }

    /** A class that resolves its constants while it initialises can only fail there: the refusal is the cause. */
    private static void assertFacadeFailsWithTheRefusal(Map<String, String> probe) {
        assertEquals(UnsupportedOperationException.class.getName(), probe.get("facadeCause"), probe.toString());
    }

    private static Map<String, String> probe(String property) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), property, "-cp", System.getProperty("java.class.path"),
                Probe.class.getName()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe did not finish");
        assertEquals(0, process.exitValue(), output);
        Map<String, String> lines = new LinkedHashMap<>();
        for (String line : output.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                lines.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return lines;
    }

    /** Runs in the child JVM and prints what the bindings answer there, one {@code key=value} a line. */
    static final class Probe {
        private Probe() {
        }

        public static void main(String[] args) {
            System.out.println("os=" + Target.current().map(t -> t.os().name()).orElse("unknown"));
            System.out.println("available=" + LinuxBindings.isAvailable());
            System.out.println("errno=" + ErrnoNames.number("EBADF") + " " + ErrnoNames.name(9) + " "
                    + ErrnoNames.all().size());
            System.out.println("intConstant=" + refusal(() -> LinuxBindings.intConstant("EPOLLIN")));
            System.out.println("require=" + refusal(Target::require));
            try {
                System.out.println("facade=" + LinuxConstants.EPOLLIN);
            } catch (ExceptionInInitializerError e) {
                System.out.println("facadeCause=" + e.getCause().getClass().getName());
            }
        }

        private static String refusal(Runnable call) {
            try {
                call.run();
                return "no refusal";
            } catch (RuntimeException e) {
                return e.getClass().getName() + ": " + e.getMessage();
            }
        }
    }
}
