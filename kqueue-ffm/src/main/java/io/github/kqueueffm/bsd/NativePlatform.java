package io.github.kqueueffm.bsd;

import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.bindings.kqueue.KqueueCalls;
import io.github.kqueueffm.bindings.kqueue.PosixCalls;
import io.github.kqueueffm.core.EventQueue;
import io.github.kqueueffm.core.Parker;
import io.github.kqueueffm.platform.PlatformServices;

import java.lang.foreign.Arena;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A host with a kqueue of its own (FreeBSD, macOS, NetBSD, OpenBSD, DragonFly, or Linux with
 * libkqueue): kqueues are {@link NativeKQueue}s; errno and signal numbers come from the host's
 * {@link KeventAbi}; files are opened through the C library.
 *
 * <p>Process descriptors are refused with ENOSYS: FreeBSD makes them only with {@code pdfork(2)},
 * which the JVM does not use to start processes, and no other kqueue host has them, so there is no
 * way to open one for an existing process. EVFILT_PROC watches processes by pid on every host.
 *
 * <p>Helper threads (the relay that parks virtual threads, the offload threads) start on first
 * use and end when the last kqueue of this platform is closed.
 */
public final class NativePlatform implements PlatformServices {
    /** Second names of an errno number, never returned as its name. */
    private static final Set<String> ALIASES = Set.of("EWOULDBLOCK", "EDEADLOCK", "ENOTSUP");

    private final NativeHost host;
    private final KeventTranslator translator;
    private final KqueueRelay relay;
    private final Offload offload;
    private final Map<Integer, String> errnoNames = new HashMap<>();
    private final Object openLock = new Object();
    private int open; // guarded by openLock

    /**
     * A platform for one host.
     *
     * @param host the host's kqueue library and ABI
     */
    public NativePlatform(NativeHost host) {
        this.host = host;
        this.translator = new KeventTranslator(host.abi());
        this.relay = host.pollableKqueue() ? new KqueueRelay(host.calls(), translator, errnoNumber("EINTR")) : null;
        this.offload = host.pollableKqueue() ? null : new Offload();
        host.abi().errnos().forEach((name, number) -> {
            if (!ALIASES.contains(name)) {
                errnoNames.putIfAbsent(number, name);
            }
        });
    }

    @Override
    public String description() {
        return host.description();
    }

    /**
     * The host.
     *
     * @return its library and ABI
     */
    public NativeHost host() {
        return host;
    }

    @Override
    public EventQueue openKQueue(int maxKnotes) throws KQueueException {
        return NativeKQueue.open(this); // the host's kernel limits its knotes
    }

    @Override
    public int errnoNumber(String name) {
        Integer number = host.abi().errnos().get(name);
        return number != null ? number : -1;
    }

    @Override
    public String errnoName(int errno) {
        String name = errnoNames.get(errno);
        return name != null ? name : "errno " + errno;
    }

    @Override
    public int signalNumber(String name) {
        Integer number = host.abi().signals().get(name);
        if (number == null) {
            throw new IllegalArgumentException("no signal " + name + " on " + host.abi().name());
        }
        return number;
    }

    @Override
    public void rememberProcess(Process process) {
        // the host's EVFILT_PROC reports the exit status itself
    }

    @Override
    public int openProcessDescriptor(long pid) throws KQueueException {
        throw new KQueueException(errnoNumber("ENOSYS"), "process descriptor for pid " + pid + ": "
                + host.abi().name() + " cannot open one for an existing process");
    }

    @Override
    public int openReadOnly(String path) throws KQueueException {
        try (Arena arena = Arena.ofConfined()) {
            int fd = PosixCalls.open(arena.allocateFrom(path), PosixCalls.O_RDONLY);
            if (fd < 0) {
                throw new KQueueException(-fd, "open " + path);
            }
            PosixCalls.fcntl(fd, PosixCalls.F_SETFD, PosixCalls.FD_CLOEXEC);
            return fd;
        }
    }

    @Override
    public void close(int fd) throws KQueueException {
        int rc = PosixCalls.close(fd);
        if (rc < 0) {
            throw new KQueueException(-rc, "close " + fd);
        }
    }

    KqueueCalls calls() {
        return host.calls();
    }

    KeventTranslator translator() {
        return translator;
    }

    /** Parks virtual threads until a kqueue descriptor polls readable; null where it never does. */
    Parker parker() {
        return relay;
    }

    /** Runs virtual threads' blocking calls where no parker can; null where the parker does. */
    Offload offload() {
        return offload;
    }

    void opened() {
        synchronized (openLock) {
            open++;
        }
    }

    /** The last kqueue closed ends the helper threads. */
    void closed() {
        boolean last;
        synchronized (openLock) {
            last = --open == 0;
        }
        if (last) {
            if (relay != null) {
                relay.stop();
            }
            if (offload != null) {
                offload.stopIdle();
            }
        }
    }

    @Override
    public String toString() {
        return "NativePlatform[" + host.description() + "]";
    }
}
