package io.github.kqueueffm.bench;

/**
 * Runs one workload a given number of times in one thread, for {@code scripts/syscalls.sh}, which
 * runs it under {@code strace -c -f} at two counts and divides the difference by the difference of
 * counts: the system calls one operation makes, with the JVM's start-up and the setup cancelled out.
 *
 * <p>Operations: W1 one round trip (end A writes, B collects and reads, B writes, A collects and
 * reads, all on this thread, so the count is the calls of two receives and two sends); W3 one
 * timer armed and, at the end, collected; W5 one EV_ADD plus one EV_DELETE.
 *
 * <p>Usage: {@code SyscallCount W1|W3|W5 backend operations}.
 */
public final class SyscallCount {
    private SyscallCount() {
    }

    /**
     * @param args workload, backend, operations
     * @throws Exception if the backend fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: SyscallCount W1|W3|W5 backend operations");
            System.exit(2);
        }
        String backend = args[1];
        int operations = Integer.parseInt(args[2]);
        Backend.check(backend);
        switch (args[0]) {
            case "W1" -> pingPong(backend, operations);
            case "W3" -> timers(backend, operations);
            case "W5" -> churn(backend, operations);
            default -> throw new IllegalArgumentException("workload " + args[0]);
        }
    }

    private static void pingPong(String backend, int operations) throws Exception {
        SocketPair pair = SocketPair.open();
        try (PingEnd a = end(backend, pair.mine()); PingEnd b = end(backend, pair.peer())) {
            for (int i = 0; i < operations; i++) {
                a.send();
                b.receive();
                b.send();
                a.receive();
            }
        }
    }

    private static PingEnd end(String backend, int fd) throws Exception {
        return switch (backend) {
            case Backend.KQUEUE_FFM, Backend.NATIVE -> new KQueuePingEnd(fd);
            case Backend.EPOLL -> new EpollPingEnd(fd, false);
            case Backend.EPOLL_FIONREAD -> new EpollPingEnd(fd, true);
            default -> throw new IllegalArgumentException("W1 backend " + backend);
        };
    }

    private static void timers(String backend, int operations) throws Exception {
        try (Timers timers = switch (backend) {
            case Backend.KQUEUE_FFM, Backend.NATIVE -> new KQueueTimers();
            case Backend.EPOLL -> new EpollTimers();
            case Backend.NIO -> new NioTimers();
            default -> throw new IllegalArgumentException("W3 backend " + backend);
        }) {
            timers.armAll(operations);
            timers.awaitAll(operations);
        }
    }

    private static void churn(String backend, int operations) throws Exception {
        SocketPair pair = SocketPair.open();
        try (Churner churner = switch (backend) {
            case Backend.KQUEUE_FFM, Backend.NATIVE -> new KQueueChurner(pair.mine());
            case Backend.EPOLL -> new EpollChurner(pair.mine());
            default -> throw new IllegalArgumentException("W5 backend " + backend);
        }) {
            for (int i = 0; i < operations; i++) {
                churner.addThenDelete();
            }
        } finally {
            pair.close();
        }
    }
}
