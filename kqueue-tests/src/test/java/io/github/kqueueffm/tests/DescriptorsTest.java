package io.github.kqueueffm.tests;

import io.github.kqueueffm.Descriptors;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.tests.support.HostOs;
import io.github.kqueueffm.tests.support.Os;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Descriptors.of gives the real descriptor behind Java channels and streams. */
class DescriptorsTest {
    @TempDir
    Path dir;

    @Test
    void fileChannelAndStreamsNameTheirOpenFile() throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "hello");
        try (FileChannel channel = FileChannel.open(file);
             FileInputStream in = new FileInputStream(file.toFile());
             RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            for (int fd : new int[] {Descriptors.of(channel), Descriptors.of(in), Descriptors.of(raf)}) {
                assertEquals(file.toRealPath().toString(), ownTargets().get(fd));
            }
        }
    }

    @Test
    void socketChannelDescriptorCarriesItsBytesAndItsEvents() throws Exception {
        try (Os.TcpPair tcp = Os.tcpPair();
             KQueue kq = KQueue.open();
             KEventList list = KEventList.allocate(2)) {
            int fd = tcp.clientFd();
            assertTrue(HostOs.current().isSocket(fd), "a socket");
            list.set(0, fd, KEvent.EVFILT_READ, KEvent.EV_ADD, 0, 0, 0);
            kq.kevent(list, 1, null, 0, Duration.ZERO);
            tcp.server().write(ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)));
            assertEquals(1, kq.kevent(null, 0, list, 2, Duration.ofSeconds(2)));
            assertEquals(fd, list.ident(0));
            assertEquals(3, list.data(0));
        }
    }

    @Test
    void pipeEndsAndClosedChannels() throws Exception {
        Pipe pipe = Pipe.open();
        int source = Descriptors.of(pipe.source());
        int sink = Descriptors.of(pipe.sink());
        assertEquals(1, Os.write(sink, 1));
        assertEquals(1, Os.readable(source));
        pipe.source().close();
        pipe.sink().close();
        assertThrows(IllegalArgumentException.class, () -> Descriptors.of(pipe.source()));
    }

    /** Without the --add-opens flags the error names every flag to add, in one run. */
    @Test
    void everyMissingJvmFlagIsNamedInOneError() throws Exception {
        String output = runWithout();
        assertTrue(output.contains("channel: reading the descriptor number needs the JVM flags"
                + " --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.io=ALL-UNNAMED"), output);
        assertTrue(output.contains("FileDescriptor: reading the descriptor number needs the JVM flag"
                + " --add-opens java.base/java.io=ALL-UNNAMED"), output);
    }

    /** With one of the two flags given, the error names the other. */
    @Test
    void theOneFlagStillMissingIsNamed() throws Exception {
        String output = runWithout("--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");
        assertTrue(output.contains("channel: reading the descriptor number needs the JVM flag"
                + " --add-opens java.base/java.io=ALL-UNNAMED"), output);
        assertFalse(output.contains("sun.nio.ch"), output);
    }

    /** Runs {@link NoFlags} in a JVM with only the given --add-opens flags. */
    private static String runWithout(String... flags) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(List.of(flags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NoFlags.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        child.getOutputStream().close();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, child.exitValue(), output);
        return output;
    }

    /** Run in a JVM without (some of) the --add-opens flags. */
    static final class NoFlags {
        public static void main(String[] args) throws Exception {
            try (Pipe.SourceChannel source = Pipe.open().source()) {
                Descriptors.of(source);
                System.out.println("channel: no error");
                System.exit(1);
            } catch (IllegalStateException e) {
                System.out.println("channel: " + e.getMessage());
            }
            try {
                Descriptors.of(FileDescriptor.in);
                System.out.println("FileDescriptor: no error");
                System.exit(1);
            } catch (IllegalStateException e) {
                System.out.println("FileDescriptor: " + e.getMessage());
            }
        }
    }

    /** What this process's descriptors refer to (on Linux the /proc/self/fd link text: the real path of a file). */
    private static Map<Integer, String> ownTargets() {
        return HostOs.current().descriptorTargets(ProcessHandle.current().pid());
    }
}
