package io.github.kqueueffm.docs;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sections of the conformance catalogue, each summarised in a line of our own, so that a
 * citation such as "§3.3" can point into docs/conformance.md. The catalogue itself lives outside
 * this repository; when it is present the index test checks that its headings and this list agree.
 */
final class CatalogueSections {

    /**
     * One section.
     *
     * @param key     the catalogue's number: "1.2", "3.15", "A.4"; for a row area its prefix, "KQ"
     * @param name    a short name
     * @param summary what the section says, in a line
     */
    record Section(String key, String name, String summary) {

        /** The anchor in docs/conformance.md: {@code s3.3}, {@code appendix-a.4}, {@code kq}. */
        String anchor() {
            if (isArea()) {
                return key.toLowerCase(Locale.ROOT);
            }
            return Character.isDigit(key.charAt(0)) ? "s" + key : "appendix-" + key.toLowerCase(Locale.ROOT);
        }

        /** How the catalogue and the code cite it: "§3.3", "Appendix A.4", "§2 KQ". */
        String citation() {
            if (isArea()) {
                return "§2 " + key;
            }
            return Character.isDigit(key.charAt(0)) ? "§" + key : "Appendix " + key;
        }

        boolean isArea() {
            return Rows.AREAS.contains(key);
        }
    }

    /** The numbered sections and the appendix, in catalogue order; §2's areas are in {@link #AREAS}. */
    static final List<Section> SECTIONS = List.of(
            new Section("1", "How to read a row",
                    "A row is one observable behaviour: setup, action, and exactly what kevent() returns. "
                    + "IDs are AREA-NN, permanent (a withdrawn row keeps its ID), and each row's test "
                    + "method starts with its ID; a row listing filter tags in brackets is one "
                    + "parameterised test run once per tag."),
            new Section("1.1", "Reference semantics",
                    "FreeBSD 14's kevent(2) is the reference (FreeBSD 15 where it matters). A "
                    + "**project rule** departs from it on purpose; every project rule and every row "
                    + "that cannot be met is written in BEHAVIOUR.md. Record layout and constants are "
                    + "FreeBSD's; numbers put into data or fflags are the host's errno values."),
            new Section("1.2", "Notation",
                    "`ch(ident, FILTER, flags, fflags, data, udata)` is one change; a *poll* has a zero "
                    + "timeout; *no event* means a poll returns 0, or for asynchronous sources (timers, "
                    + "processes, signals, TCP peers, other processes' file changes) a 100 ms wait "
                    + "returns 0; `→ ERR` means the change fails with ERR (an EV_ERROR entry with "
                    + "data = ERR, or −1 when the call has no room for one); *at once* means visible to "
                    + "the next poll; timers never fire early and may be up to 250 ms late on CI; "
                    + "*(priv)* rows skip without the privilege they name."),
            new Section("1.3", "Columns",
                    "Besides the behaviour, each row records whether FreeBSD 14 does exactly that, what "
                    + "libkqueue on Linux does, and the Linux mechanism meant to produce it (the "
                    + "kqueue's epoll set, its wake-up eventfd, a timer heap on one timerfd, inotify, "
                    + "pidfds, the process connector, JVM signal handlers)."),
            new Section("1.4", "Standard activation per filter",
                    "The knote and activation a bracketed row uses for each tag: RD a pipe's read end, "
                    + "1 byte written; WR a connected loopback TCP socket, writable at once; EM an idle "
                    + "connected TCP socket; TM ident 7, EV_ONESHOT, 50 ms, waited 150 ms; US ident 7 "
                    + "with EV_CLEAR, then NOTE_TRIGGER; SG SIGUSR1 at SIG_IGN sent with "
                    + "kill(getpid()); PR NOTE_EXIT on a child blocked on a pipe gate, released to "
                    + "exit(0); PD the same child through a process descriptor; VN NOTE_ATTRIB on a "
                    + "temporary file, then futimens()."),
            new Section("2", "Catalogue",
                    "The rows, one table per area:"),
            new Section("3", "Hard cases on Linux",
                    "One topic per Linux difficulty that rows point to: the platform fact, the ways "
                    + "out, the design chosen, and what BEHAVIOUR.md must then say."),
            new Section("3.1", "close() of a watched descriptor",
                    "close(2) tells nobody, so the knotes of a closed number are dropped when a change "
                    + "names it or its event would be returned, not inside close(2). Rows KQ-49, KQ-50, "
                    + "VN-24, PD-10."),
            new Section("3.2", "epoll keeps a registration while a duplicate lives",
                    "After close(2), a dup() keeps the epoll registration reporting under the old "
                    + "number; such reports are recognised and dropped, and the epoll set is rebuilt "
                    + "without them. Rows KQ-52, MT-02."),
            new Section("3.3", "Identity check",
                    "A number may be reused by another file before the next call: the file's "
                    + "(st_dev, st_ino) recorded at EV_ADD is compared; a reopened regular file or an "
                    + "anonymous inode at the same number can go unnoticed. Rows KQ-51, MT-07, KQ-49."),
            new Section("3.4", "close() of the kqueue while threads wait",
                    "Closing an epoll descriptor wakes no waiter and memory in use by a call cannot be "
                    + "freed: close() wakes every waiter with EBADF, waits until they have left, then "
                    + "releases everything. Rows MT-04, MT-05, KQ-48, RS-03, RS-10."),
            new Section("3.5", "Thread.interrupt() of a waiting thread",
                    "Interrupting does not end a native call; a selector-style interrupt hook wakes "
                    + "the wait, which fails with EINTR and keeps the interrupt status; other EINTRs "
                    + "resume with the time left. Rows KQ-20, KQ-21."),
            new Section("3.6", "Virtual threads",
                    "A blocking native call pins a virtual thread's carrier, so a virtual thread parks "
                    + "instead and one daemon platform thread waits for its kqueue and unparks it. "
                    + "Row MT-15; RS-09 for that thread's end."),
            new Section("3.7", "Pollable kqueue descriptor",
                    "Internal wake-ups must not make the kqueue's descriptor readable; it is kept "
                    + "readable exactly while events are queued, with brief false readiness after a "
                    + "change a knote filters out. Rows KQ-57, KQ-54, KQ-55."),
            new Section("3.8", "Datagram sizes",
                    "Linux gives the size of the next datagram only, not the total queued, so RD-17 "
                    + "is not met."),
            new Section("3.9", "Send-buffer space",
                    "Linux doubles SO_SNDBUF and counts buffer overhead; EVFILT_WRITE data is the free "
                    + "send-buffer memory as Linux accounts it, within SO_SNDBUF as read back. Rows "
                    + "WR-01, WR-06, WR-18."),
            new Section("3.10", "EVFILT_EMPTY by re-checking",
                    "Nothing wakes a waiter when all data is acknowledged, so the send queue is "
                    + "re-checked on the socket's events and on a backing-off timer. Rows EM-02, EM-03, "
                    + "EM-07."),
            new Section("3.11", "Signals in a JVM",
                    "signalfd misses signals that JVM threads do not block, so Java signal handlers "
                    + "count deliveries; the JVM's own signals and real-time signals are refused. The "
                    + "SG introduction and rows SG-05, SG-10, SG-18 – SG-23, KQ-21."),
            new Section("3.12", "Signal merging",
                    "A standard signal sent while one is pending is merged by the kernel, so data "
                    + "counts deliveries, not sends. Rows SG-04, SG-08."),
            new Section("3.13", "Watching a signal without taking it",
                    "Every way to see a signal on Linux consumes it, so SG-14 cannot be met. Rows "
                    + "SG-14, SG-06, SG-13."),
            new Section("3.14", "Processes that are not children",
                    "Any visible process can be watched through a pidfd, but only a child can be "
                    + "waited for; the exit status comes from other sources, and NOTE_FORK, NOTE_EXEC "
                    + "and NOTE_TRACK from the kernel's process connector. Rows PR-14, PR-15, "
                    + "PR-17 – PR-19, PR-23."),
            new Section("3.15", "The JDK's process reaper",
                    "The JDK reaps every child it started at once, racing the library for the exit "
                    + "status; the status is read without reaping or recovered from the Process. Rows "
                    + "PR-16, PR-10, PR-11, PD-02."),
            new Section("4", "Beyond libkqueue",
                    "What kqueue-ffm promises on Linux that libkqueue does not: bounded descriptors, "
                    + "knotes that die with their descriptor, FreeBSD's exact call-level, flag and "
                    + "filter rules, EVFILT_EMPTY and EVFILT_PROCDESC, and the Java-side promises "
                    + "(interrupts, close, virtual threads, no allocation)."),
            new Section("A", "Constants and record layout",
                    "FreeBSD's record layout and constant values, which the Java API uses on every "
                    + "OS, with the macOS and libkqueue values that differ."),
            new Section("A.1", "struct kevent",
                    "The 64-byte record: ident 8 bytes, filter 2, flags 2, fflags 4, data 8, udata 8, "
                    + "ext[4] 32; macOS and libkqueue records are 32 bytes without ext."),
            new Section("A.2", "Filters",
                    "EVFILT_READ −1 to EVFILT_EMPTY −13; on Linux AIO, LIO and SENDFILE are refused "
                    + "with EPERM and FS with ENXIO."),
            new Section("A.3", "Flags",
                    "EV_ADD 0x1 to EV_EOF 0x8000: which bits are actions and which stay with the "
                    + "knote; the EV_SYSFLAGS bits (0xF000) are cleared on input."),
            new Section("A.4", "fflags",
                    "NOTE_* values per filter: the EVFILT_USER operations and mask, NOTE_LOWAT and "
                    + "NOTE_FILE_POLL, the vnode notes (NOTE_DELETE 0x1 to NOTE_READ 0x400), the "
                    + "process notes and masks, and the timer units (NOTE_SECONDS 0x1, NOTE_MSECONDS "
                    + "0x2, NOTE_USECONDS 0x4, NOTE_NSECONDS 0x8, NOTE_ABSTIME 0x10)."),
            new Section("A.5", "kqueuex() flags",
                    "KQUEUE_CLOEXEC 0x1 (FreeBSD 14) and KQUEUE_CPONFORK 0x2 (FreeBSD 15)."));

    /** The row areas of §2, in catalogue order. */
    static final List<Section> AREAS = List.of(
            new Section("KQ", "the kqueue and the kevent() call",
                    "Creating and closing kqueues, argument and timeout rules, the changelist applied "
                    + "in order, EV_ERROR and EV_RECEIPT entries, how events are collected, closed and "
                    + "reused descriptors, kqueues watching kqueues."),
            new Section("FL", "flags shared by all filters",
                    "EV_ADD, EV_DELETE, EV_ENABLE, EV_DISABLE, EV_ONESHOT, EV_CLEAR, EV_DISPATCH, "
                    + "EV_RECEIPT, EV_KEEPUDATA and EV_FORCEONESHOT, udata and ext; bracketed rows run "
                    + "once per filter tag with the [standard activation](#s1.4)."),
            new Section("RD", "EVFILT_READ",
                    "Readable data on sockets (a connected loopback TCP pair unless a row says "
                    + "otherwise, watched at the client end), pipes, FIFOs, regular files, eventfds "
                    + "and kqueues: data, EOF, low-water marks, NOTE_FILE_POLL."),
            new Section("WR", "EVFILT_WRITE",
                    "Room to write on sockets, pipes, FIFOs, files and eventfds: data as free space, "
                    + "EOF and socket errors, low-water marks."),
            new Section("EM", "EVFILT_EMPTY",
                    "Reports when a socket's send buffer holds nothing (for TCP: all sent and "
                    + "acknowledged)."),
            new Section("TM", "EVFILT_TIMER",
                    "Any ident; data is the period, or with NOTE_ABSTIME the wall-clock expiry, in "
                    + "the unit the fflags choose (FreeBSD's unit bits, milliseconds by default): "
                    + "expiry counts, re-adds, disabled timers, limits."),
            new Section("US", "EVFILT_USER",
                    "Each knote keeps a triggered bit, 24 user fflags bits and data; a change's top "
                    + "two fflags bits say how it combines the low 24 (NOP, AND, OR, COPY) and "
                    + "NOTE_TRIGGER triggers."),
            new Section("SG", "EVFILT_SIGNAL",
                    "The ident is a signal number and data counts the times the signal was sent to "
                    + "the process, independently of its normal handling, with EV_CLEAR implied. The tests set the signal to "
                    + "SIG_IGN first unless a row says otherwise, so an unwatched delivery cannot end "
                    + "the test JVM; a JVM limits which signals can be watched ([§3.11](#s3.11))."),
            new Section("PR", "EVFILT_PROC",
                    "The ident is a pid: NOTE_EXIT with the wait(2) status (exit(n) gives n << 8, "
                    + "death by signal s gives s), NOTE_FORK, NOTE_EXEC and NOTE_TRACK; the children "
                    + "are started with ProcessBuilder."),
            new Section("PD", "EVFILT_PROCDESC",
                    "The ident is a process descriptor (a pidfd on Linux); exits are reported as for "
                    + "EVFILT_PROC."),
            new Section("VN", "EVFILT_VNODE",
                    "The ident is a descriptor of a file or directory and fflags the NOTE_* to watch; "
                    + "returned fflags say what happened, and FreeBSD reports every bit of one "
                    + "notification when any watched bit is among them."),
            new Section("MT", "several threads on one kqueue",
                    "Wake-ups, each activation returned to one caller, changes made by other threads "
                    + "during a wait, close and interrupt while others wait, virtual threads."),
            new Section("RS", "resources and descriptor hygiene",
                    "Close-on-exec, descriptors and threads a kqueue may use, knote and timer limits, "
                    + "roll-back on EMFILE, nothing leaked after close, no allocation in steady "
                    + "state."));

    private static final Pattern HEADING = Pattern.compile(
            "(?m)^(?:## (\\d+)\\. |### (\\d+\\.\\d+) |### ([A-Z]{2}) — |## Appendix ([A-Z])\\. |### ([A-Z]\\.\\d+) )");

    private CatalogueSections() {
    }

    /** The keys of every section and area above. */
    static Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        SECTIONS.forEach(s -> keys.add(s.key()));
        AREAS.forEach(s -> keys.add(s.key()));
        return keys;
    }

    /** The keys of the sections the catalogue's headings number ("1", "1.2", "KQ", "A", "A.4"). */
    static Set<String> keysOf(String catalogue) {
        Set<String> keys = new LinkedHashSet<>();
        Matcher m = HEADING.matcher(catalogue);
        while (m.find()) {
            for (int g = 1; g <= m.groupCount(); g++) {
                if (m.group(g) != null) {
                    keys.add(m.group(g));
                }
            }
        }
        return keys;
    }
}
