package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxCalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import static io.github.kqueueffm.bindings.linux.LinuxConstants.EFD_CLOEXEC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EFD_NONBLOCK;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLIN;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLONESHOT;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CLOEXEC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CTL_ADD;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLL_CTL_MOD;

/**
 * Lets a virtual thread wait in {@code kevent} without pinning its carrier: a blocking FFM
 * downcall would hold the carrier for the whole wait, and FFM has no managed-blocking hook. The
 * virtual thread parks instead, and one daemon platform thread waits in an epoll set holding the
 * descriptor of every kqueue with parked virtual waiters (EPOLLONESHOT) and unparks them when it
 * turns readable. The thread starts on first use and stops when no kqueue is open.
 */
final class VirtualThreadRelay {
    private static final Object LOCK = new Object();
    /** The running relay, or null; guarded by LOCK. */
    private static VirtualThreadRelay instance;
    /** Kqueues counted open (once their open succeeded) and not yet closed; guarded by LOCK. */
    private static int openKqueues;

    private final int epfd;
    private final int stopfd;
    private final Arena arena = Arena.ofShared();
    /** epoll_ctl's argument; guarded by this relay's monitor. */
    private final EpollEventArray event = new EpollEventArray(arena.allocate(EpollEventArray.bytes(1), 8), 1);
    private final MemorySegment one = arena.allocate(8, 8);
    /** Parked virtual threads by kqueue descriptor: added and removed by them, read by the relay thread. */
    private final ConcurrentHashMap<Integer, Set<Thread>> waiters = new ConcurrentHashMap<>();
    private final Thread thread;

    private VirtualThreadRelay(int epfd, int stopfd) {
        this.epfd = epfd;
        this.stopfd = stopfd;
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
        ctl(EPOLL_CTL_ADD, stopfd, EPOLLIN, -1);
        thread = Thread.ofPlatform().daemon().name("kqueue-ffm-virtual-thread-relay").unstarted(this::run);
        thread.start();
    }

    static void kqueueOpened() {
        synchronized (LOCK) {
            openKqueues++;
        }
    }

    static void kqueueClosed() {
        VirtualThreadRelay stop = null;
        synchronized (LOCK) {
            if (--openKqueues == 0 && instance != null) {
                stop = instance;
                instance = null;
            }
        }
        if (stop != null) {
            stop.stop();
        }
    }

    /** The running relay, started on first use; null if its descriptors cannot be had. */
    private static VirtualThreadRelay get() {
        synchronized (LOCK) {
            if (instance != null) {
                return instance;
            }
            int ep = -1;
            int stop = -1;
            boolean success = false;
            try {
                ep = LinuxCalls.epollCreate1(EPOLL_CLOEXEC);
                if (ep < 0) {
                    return null;
                }
                stop = LinuxCalls.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
                if (stop < 0) {
                    return null;
                }
                instance = new VirtualThreadRelay(ep, stop);
                success = true;
                return instance;
            } finally {
                if (!success) {
                    closeIfOpen(stop);
                    closeIfOpen(ep);
                }
            }
        }
    }

    private static void closeIfOpen(int fd) {
        if (fd >= 0) {
            LinuxCalls.close(fd);
        }
    }

    /**
     * Parks the calling virtual thread until {@code kqueueFd} polls readable, the timeout passes
     * or the thread is interrupted (the caller then polls the kqueue without blocking).
     *
     * @return false if the relay is unavailable (the caller then blocks in the downcall)
     */
    static boolean await(int kqueueFd, long timeoutNanos) {
        VirtualThreadRelay relay = get();
        if (relay == null) {
            return false;
        }
        Thread me = Thread.currentThread();
        Set<Thread> set = relay.waiters.computeIfAbsent(kqueueFd, fd -> ConcurrentHashMap.newKeySet());
        set.add(me);
        try {
            if (!relay.arm(kqueueFd)) {
                return false;
            }
            if (timeoutNanos < 0) {
                LockSupport.park(relay);
            } else {
                LockSupport.parkNanos(relay, timeoutNanos);
            }
            return true;
        } finally {
            set.remove(me);
        }
    }

    private boolean arm(int kqueueFd) {
        synchronized (this) {
            if (ctl(EPOLL_CTL_MOD, kqueueFd, EPOLLIN | EPOLLONESHOT, kqueueFd) == 0) {
                return true;
            }
            return ctl(EPOLL_CTL_ADD, kqueueFd, EPOLLIN | EPOLLONESHOT, kqueueFd) == 0;
        }
    }

    private int ctl(int op, int fd, int events, long data) {
        synchronized (this) {
            event.set(0, events, data);
            return LinuxCalls.epollCtl(epfd, op, fd, event.memory());
        }
    }

    private void run() {
        try (Arena local = Arena.ofConfined()) {
            EpollEventArray events = new EpollEventArray(local.allocate(EpollEventArray.bytes(16), 8), 16);
            while (true) {
                int n = LinuxCalls.epollWait(epfd, events.memory(), events.length(), -1);
                for (int i = 0; i < n; i++) {
                    long data = events.data(i);
                    if (data < 0) {
                        return; // stop
                    }
                    Set<Thread> set = waiters.get((int) data);
                    if (set != null) {
                        set.forEach(LockSupport::unpark);
                    }
                }
            }
        }
    }

    /** Wakes the relay thread, waits for it to leave, then releases its descriptors and memory. */
    private void stop() {
        LinuxCalls.write(stopfd, one, 8);
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LinuxCalls.close(stopfd);
        LinuxCalls.close(epfd);
        if (!thread.isAlive()) {
            arena.close(); // only once nothing can use its segments
        }
    }
}
