package io.github.kqueueffm.properties.robustness;

import io.github.kqueueffm.Descriptors;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.Processes;
import io.github.kqueueffm.Signals;
import io.github.kqueueffm.tests.support.Os;
import io.github.kqueueffm.tests.support.ProcessSupport.Child;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real kernel objects the properties name as idents, made once per test class: a pipe (one
 * byte queued, so EVFILT_READ fires), an AF_UNIX socketpair, a loopback TCP connection, a temp
 * file and a temp directory opened with {@link Descriptors#open}, a sleeping child with a process
 * descriptor, and the signals whose disposition was set to SIG_IGN (the only signals the properties
 * may watch). {@link #close()} restores every disposition, closes every descriptor and kills the
 * child it started.
 */
final class Fixtures implements AutoCloseable {
    /** The signals set to SIG_IGN for the lifetime of the fixtures. */
    static final List<String> IGNORED_SIGNALS = List.of("URG", "WINCH", "USR1");

    final int[] pipe;
    final int[] socketpair;
    final Os.TcpPair tcp;
    final Path dir;
    final Path file;
    final int fileFd;
    final int dirFd;
    final Child child;
    final int pidfd;
    final int[] ignoredSignals;
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private Fixtures() throws IOException {
        List<Integer> opened = new ArrayList<>();
        Os.TcpPair tcpPair = null;
        Child started = null;
        Path tempDir = null;
        try {
            for (String name : IGNORED_SIGNALS) {
                Signal s = new Signal(name);
                previous.put(s, Signal.handle(s, SignalHandler.SIG_IGN));
            }
            ignoredSignals = IGNORED_SIGNALS.stream().mapToInt(Signals::number).toArray();
            pipe = Os.pipe();
            opened.add(pipe[0]);
            opened.add(pipe[1]);
            Os.write(pipe[1], 1);
            socketpair = Os.socketpair();
            opened.add(socketpair[0]);
            opened.add(socketpair[1]);
            tcpPair = Os.tcpPair();
            tempDir = Files.createTempDirectory("kqueue-robust");
            file = Files.writeString(tempDir.resolve("watched"), "x");
            fileFd = Descriptors.open(file);
            opened.add(fileFd);
            dirFd = Descriptors.open(tempDir);
            opened.add(dirFd);
            started = Child.start("read x");
            pidfd = Processes.openDescriptor(started.process());
            opened.add(pidfd);
        } catch (IOException | RuntimeException e) {
            Os.closeQuietly(opened.stream().mapToInt(Integer::intValue).toArray());
            if (tcpPair != null) {
                tcpPair.close();
            }
            if (started != null) {
                started.close();
            }
            restoreSignals();
            throw e;
        }
        this.tcp = tcpPair;
        this.child = started;
        this.dir = tempDir;
    }

    static Fixtures open() throws IOException {
        return new Fixtures();
    }

    /** @return the sleeping child's pid (an EVFILT_PROC ident) */
    long childPid() {
        return child.pid();
    }

    /** @return whether {@code number} is one of the signals set to SIG_IGN here */
    boolean isIgnored(long number) {
        for (int s : ignoredSignals) {
            if (s == number) {
                return true;
            }
        }
        return false;
    }

    private void restoreSignals() {
        for (Map.Entry<Signal, SignalHandler> e : previous.entrySet()) {
            Signal.handle(e.getKey(), e.getValue());
        }
        previous.clear();
    }

    @Override
    public void close() throws IOException {
        try {
            Os.closeQuietly(pipe[0], pipe[1], socketpair[0], socketpair[1]);
            try {
                Descriptors.close(fileFd);
                Descriptors.close(dirFd);
                Descriptors.close(pidfd);
            } catch (KQueueException e) {
                throw new IOException(e);
            }
            tcp.close();
            child.close();
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        } finally {
            restoreSignals();
        }
    }
}
