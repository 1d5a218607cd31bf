package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.core.Knote;
import io.github.kqueueffm.core.NativeMemory;
import io.github.kqueueffm.emul.Errors;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.github.kqueueffm.bindings.linux.LinuxConstants.AF_NETLINK;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.CN_IDX_PROC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.CN_VAL_PROC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLET;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.EPOLLIN;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.NETLINK_CONNECTOR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.NLMSG_DONE;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.PROC_CN_MCAST_LISTEN;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.PROC_EVENT_EXEC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.PROC_EVENT_EXIT;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.PROC_EVENT_FORK;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SOCK_CLOEXEC;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SOCK_DGRAM;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.SOCK_NONBLOCK;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.CN_MSG_ID;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.CN_MSG_LEN;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.CN_MSG_SIZE;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.NLMSGHDR_LEN;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.NLMSGHDR_SIZE;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.NLMSGHDR_TYPE;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.PROC_EVENT_EXEC_TGID;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.PROC_EVENT_EXIT_CODE;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.PROC_EVENT_EXIT_PID;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.PROC_EVENT_EXIT_TGID;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.PROC_EVENT_FORK_CHILD_PID;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.PROC_EVENT_FORK_CHILD_TGID;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.PROC_EVENT_FORK_PARENT_TGID;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.PROC_EVENT_WHAT;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.SOCKADDR_NL_FAMILY;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.SOCKADDR_NL_GROUPS;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.SOCKADDR_NL_SIZE;

/**
 * NOTE_FORK, NOTE_EXEC and NOTE_TRACK through the kernel's process-events connector (a netlink
 * socket subscribed to CN_IDX_PROC), the only Linux source of fork and exec events for any
 * process. Subscribing needs CAP_NET_ADMIN: without it those registrations fail with EPERM
 * (project rule, PR-23) and NOTE_EXIT-only ones are unaffected. One socket per kqueue, opened on
 * the first such knote, then an internal source of the kqueue's epoll set; the kernel drops
 * records under load (ENOBUFS), which then go unreported. Guarded by the kqueue's lock.
 */
final class ProcConnector {
    /** What the connector reports to EVFILT_PROC (under the lock). */
    interface Listener {
        /**
         * A watched process called exec.
         *
         * @param kn a knote subscribed to the process
         */
        void executed(Knote kn);

        /**
         * A watched process forked.
         *
         * @param kn a knote subscribed to the parent
         * @param child the child's pid
         * @param exitStatus the child's wait status if the connector saw it exit already, else 0
         */
        void forked(Knote kn, int child, long exitStatus);
    }

    private static final int BUFFER = 8192;

    private final InternalSources sources;
    private final Listener listener;
    // guarded by the kqueue's lock
    private final Map<Integer, List<Knote>> watchers = new HashMap<>();
    /** Exit records of the last processes seen exiting, for tracked children that are gone. */
    private final Map<Integer, Long> recentExits = new java.util.LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Long> eldest) {
            return size() > 256;
        }
    };
    private MemorySegment buffer;
    private int fd = -1;
    /** −errno of the failed open, or 0. */
    private final int openError;

    /** Opens the socket and subscribes it; a failure is kept for {@link #subscribe} to report. */
    ProcConnector(NativeMemory memory, InternalSources sources, Listener listener) {
        this.sources = sources;
        this.listener = listener;
        this.openError = open(memory);
    }

    /** Opens, binds and subscribes the socket and registers it with the kqueue; returns 0 or −errno. */
    private int open(NativeMemory memory) {
        int s = LinuxCalls.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_CONNECTOR);
        if (s < 0) {
            return s;
        }
        boolean success = false;
        try {
            buffer = memory.allocate(BUFFER, 8);
            MemorySegment address = buffer.asSlice(0, SOCKADDR_NL_SIZE);
            address.fill((byte) 0);
            address.set(ValueLayout.JAVA_SHORT, SOCKADDR_NL_FAMILY, (short) AF_NETLINK);
            address.set(ValueLayout.JAVA_INT, SOCKADDR_NL_GROUPS, CN_IDX_PROC);
            int bound = LinuxCalls.bind(s, address, (int) SOCKADDR_NL_SIZE);
            if (bound < 0) {
                return bound;
            }
            long length = NLMSGHDR_SIZE + CN_MSG_SIZE + 4;
            MemorySegment message = buffer.asSlice(0, length);
            message.fill((byte) 0);
            message.set(ValueLayout.JAVA_INT, NLMSGHDR_LEN, (int) length);
            message.set(ValueLayout.JAVA_SHORT, NLMSGHDR_TYPE, (short) NLMSG_DONE);
            message.set(ValueLayout.JAVA_INT, NLMSGHDR_SIZE + CN_MSG_ID, CN_IDX_PROC);
            message.set(ValueLayout.JAVA_INT, NLMSGHDR_SIZE + CN_MSG_ID + 4, CN_VAL_PROC);
            message.set(ValueLayout.JAVA_SHORT, NLMSGHDR_SIZE + CN_MSG_LEN, (short) 4);
            message.set(ValueLayout.JAVA_INT, NLMSGHDR_SIZE + CN_MSG_SIZE, PROC_CN_MCAST_LISTEN);
            long sent = LinuxCalls.send(s, message, length, 0);
            if (sent < 0) {
                return (int) sent;
            }
            int added = sources.add(s, EPOLLIN | EPOLLET, this::drain);
            if (added < 0) {
                return added;
            }
            fd = s;
            success = true;
            return 0;
        } finally {
            if (!success) {
                LinuxCalls.close(s);
            }
        }
    }

    /** Subscribes a knote to its process's fork/exec events; returns 0 or −errno (−EPERM). */
    int subscribe(Knote kn) {
        if (fd < 0) {
            return openError < 0 ? openError : -Errors.EPERM;
        }
        List<Knote> list = watchers.computeIfAbsent((int) kn.ident, pid -> new ArrayList<>(1));
        if (!list.contains(kn)) {
            list.add(kn);
        }
        return 0;
    }

    void unsubscribe(Knote kn) {
        List<Knote> list = watchers.get((int) kn.ident);
        if (list != null && list.remove(kn) && list.isEmpty()) {
            watchers.remove((int) kn.ident);
        }
    }

    /**
     * Reads the process events already queued, so that a knote about to change is judged with the
     * fflags in force when its process forked or executed (PR-24, VN-36). Under the lock.
     */
    void collect() {
        drain();
    }

    /** Reads every queued process event and reports forks and execs of watched processes. */
    private void drain() {
        while (fd >= 0) {
            long n = LinuxCalls.recv(fd, buffer, BUFFER, 0);
            if (n <= 0) {
                return;
            }
            long event = NLMSGHDR_SIZE + CN_MSG_SIZE;
            if (n < event + PROC_EVENT_EXEC_TGID + 4) {
                continue;
            }
            int what = buffer.get(ValueLayout.JAVA_INT, event + PROC_EVENT_WHAT);
            if (what == PROC_EVENT_FORK) {
                int parent = buffer.get(ValueLayout.JAVA_INT, event + PROC_EVENT_FORK_PARENT_TGID);
                int child = buffer.get(ValueLayout.JAVA_INT, event + PROC_EVENT_FORK_CHILD_PID);
                int childTgid = buffer.get(ValueLayout.JAVA_INT, event + PROC_EVENT_FORK_CHILD_TGID);
                if (child == childTgid) { // a new process, not a thread
                    forked(parent, child);
                }
            } else if (what == PROC_EVENT_EXIT) {
                int pid = buffer.get(ValueLayout.JAVA_INT, event + PROC_EVENT_EXIT_TGID);
                int pidOfThread = buffer.get(ValueLayout.JAVA_INT, event + PROC_EVENT_EXIT_PID);
                if (pid == pidOfThread) {
                    recentExits.put(pid, (long) buffer.get(ValueLayout.JAVA_INT, event + PROC_EVENT_EXIT_CODE));
                }
            } else if (what == PROC_EVENT_EXEC) {
                int pid = buffer.get(ValueLayout.JAVA_INT, event + PROC_EVENT_EXEC_TGID);
                for (Knote kn : snapshot(pid)) {
                    listener.executed(kn);
                }
            }
        }
    }

    private void forked(int parent, int child) {
        for (Knote kn : snapshot(parent)) {
            // the child may be gone already (the fork record arrives late): its exit record, if
            // the connector has seen one, gives the status
            listener.forked(kn, child, recentExits.getOrDefault(child, 0L));
        }
    }

    private List<Knote> snapshot(int pid) {
        List<Knote> list = watchers.get(pid);
        return list == null ? List.of() : new ArrayList<>(list);
    }
}
