package io.github.kqueueffm.bindings.linux;

/**
 * Sizes and field offsets of the Linux structs kqueue-ffm reads and writes, taken from the
 * jextract-generated layouts of the running architecture. Offsets are {@code static final} so the
 * JIT folds them; callers access fields with unaligned value layouts because some structs are
 * packed on x86_64.
 *
 * <p>Linux only: ask {@link LinuxBindings#isAvailable()} before using this class; elsewhere its
 * initialisation fails, with the {@link UnsupportedOperationException} of {@link LinuxBindings} as
 * the cause.
 */
public final class LinuxStructs {
    private LinuxStructs() {
    }

    /** {@code sizeof(struct epoll_event)}: 12 on x86_64 (packed), 16 on aarch64. */
    public static final long EPOLL_EVENT_SIZE = size("epoll_event");
    /** {@code offsetof(struct epoll_event, events)}. */
    public static final long EPOLL_EVENT_EVENTS = offset("epoll_event", "events");
    /** {@code offsetof(struct epoll_event, data)}. */
    public static final long EPOLL_EVENT_DATA = offset("epoll_event", "data");

    /** {@code sizeof(struct timespec)}. */
    public static final long TIMESPEC_SIZE = size("timespec");
    /** {@code offsetof(struct timespec, tv_sec)}. */
    public static final long TIMESPEC_SEC = offset("timespec", "tv_sec");
    /** {@code offsetof(struct timespec, tv_nsec)}. */
    public static final long TIMESPEC_NSEC = offset("timespec", "tv_nsec");

    /** {@code sizeof(struct itimerspec)}. */
    public static final long ITIMERSPEC_SIZE = size("itimerspec");
    /** {@code offsetof(struct itimerspec, it_interval)}. */
    public static final long ITIMERSPEC_INTERVAL = offset("itimerspec", "it_interval");
    /** {@code offsetof(struct itimerspec, it_value)}. */
    public static final long ITIMERSPEC_VALUE = offset("itimerspec", "it_value");

    /** {@code sizeof(struct stat)}. */
    public static final long STAT_SIZE = size("stat");
    /** {@code offsetof(struct stat, st_dev)}. */
    public static final long STAT_DEV = offset("stat", "st_dev");
    /** {@code offsetof(struct stat, st_ino)}. */
    public static final long STAT_INO = offset("stat", "st_ino");
    /** {@code offsetof(struct stat, st_mode)}. */
    public static final long STAT_MODE = offset("stat", "st_mode");
    /** {@code offsetof(struct stat, st_nlink)}. */
    public static final long STAT_NLINK = offset("stat", "st_nlink");
    /** {@code offsetof(struct stat, st_blocks)}. */
    public static final long STAT_BLOCKS = offset("stat", "st_blocks");
    /**
     * {@code offsetof(struct stat, st_blksize)}: a {@code long} on x86_64, an {@code int} on
     * aarch64; read its low 32 bits (both are little-endian).
     */
    public static final long STAT_BLKSIZE = offset("stat", "st_blksize");
    /** {@code offsetof(struct stat, st_size)}. */
    public static final long STAT_SIZE_FIELD = offset("stat", "st_size");

    /** {@code sizeof(struct pollfd)}. */
    public static final long POLLFD_SIZE = size("pollfd");
    /** {@code offsetof(struct pollfd, fd)}. */
    public static final long POLLFD_FD = offset("pollfd", "fd");
    /** {@code offsetof(struct pollfd, events)}. */
    public static final long POLLFD_EVENTS = offset("pollfd", "events");
    /** {@code offsetof(struct pollfd, revents)}. */
    public static final long POLLFD_REVENTS = offset("pollfd", "revents");

    /** {@code sizeof(struct rlimit)}. */
    public static final long RLIMIT_SIZE = size("rlimit");
    /** {@code offsetof(struct rlimit, rlim_cur)}. */
    public static final long RLIMIT_CUR = offset("rlimit", "rlim_cur");
    /** {@code offsetof(struct rlimit, rlim_max)}. */
    public static final long RLIMIT_MAX = offset("rlimit", "rlim_max");

    /** {@code sizeof(siginfo_t)}. */
    public static final long SIGINFO_SIZE = size("siginfo_t");
    /** {@code offsetof(siginfo_t, si_signo)}. */
    public static final long SIGINFO_SIGNO = offset("siginfo_t", "si_signo");
    /** {@code offsetof(siginfo_t, si_code)}. */
    public static final long SIGINFO_CODE = offset("siginfo_t", "si_code");
    /** {@code offsetof(siginfo_t, si_pid)}. */
    public static final long SIGINFO_PID = offset("siginfo_t", "_sifields", "_sigchld", "si_pid");
    /** {@code offsetof(siginfo_t, si_status)}. */
    public static final long SIGINFO_STATUS = offset("siginfo_t", "_sifields", "_sigchld", "si_status");

    /** {@code sizeof(struct sigaction)}. */
    public static final long SIGACTION_SIZE = size("sigaction");
    /** {@code offsetof(struct sigaction, sa_handler)} (the handler union). */
    public static final long SIGACTION_HANDLER = offset("sigaction", "__sigaction_handler");

    /** {@code sizeof(sigset_t)}. */
    public static final long SIGSET_SIZE = size("sigset_t");

    /** {@code sizeof(struct signalfd_siginfo)}. */
    public static final long SIGNALFD_SIGINFO_SIZE = size("signalfd_siginfo");
    /** {@code offsetof(struct signalfd_siginfo, ssi_signo)}. */
    public static final long SIGNALFD_SIGINFO_SIGNO = offset("signalfd_siginfo", "ssi_signo");

    /** {@code sizeof(struct inotify_event)} without its trailing name. */
    public static final long INOTIFY_EVENT_SIZE = size("inotify_event");
    /** {@code offsetof(struct inotify_event, wd)}. */
    public static final long INOTIFY_EVENT_WD = offset("inotify_event", "wd");
    /** {@code offsetof(struct inotify_event, mask)}. */
    public static final long INOTIFY_EVENT_MASK = offset("inotify_event", "mask");
    /** {@code offsetof(struct inotify_event, cookie)}. */
    public static final long INOTIFY_EVENT_COOKIE = offset("inotify_event", "cookie");
    /** {@code offsetof(struct inotify_event, len)}. */
    public static final long INOTIFY_EVENT_LEN = offset("inotify_event", "len");

    /** {@code sizeof(struct tcp_info)}. */
    public static final long TCP_INFO_SIZE = size("tcp_info");
    /** {@code offsetof(struct tcp_info, tcpi_state)}. */
    public static final long TCP_INFO_STATE = offset("tcp_info", "tcpi_state");
    /** {@code offsetof(struct tcp_info, tcpi_unacked)}. */
    public static final long TCP_INFO_UNACKED = offset("tcp_info", "tcpi_unacked");

    /** {@code sizeof(struct linger)}. */
    public static final long LINGER_SIZE = size("linger");
    /** {@code offsetof(struct linger, l_onoff)}. */
    public static final long LINGER_ONOFF = offset("linger", "l_onoff");
    /** {@code offsetof(struct linger, l_linger)}. */
    public static final long LINGER_LINGER = offset("linger", "l_linger");

    /** {@code sizeof(struct sockaddr_nl)}. */
    public static final long SOCKADDR_NL_SIZE = size("sockaddr_nl");
    /** {@code offsetof(struct sockaddr_nl, nl_family)}. */
    public static final long SOCKADDR_NL_FAMILY = offset("sockaddr_nl", "nl_family");
    /** {@code offsetof(struct sockaddr_nl, nl_pid)}. */
    public static final long SOCKADDR_NL_PID = offset("sockaddr_nl", "nl_pid");
    /** {@code offsetof(struct sockaddr_nl, nl_groups)}. */
    public static final long SOCKADDR_NL_GROUPS = offset("sockaddr_nl", "nl_groups");

    /** {@code sizeof(struct nlmsghdr)}. */
    public static final long NLMSGHDR_SIZE = size("nlmsghdr");
    /** {@code offsetof(struct nlmsghdr, nlmsg_len)}. */
    public static final long NLMSGHDR_LEN = offset("nlmsghdr", "nlmsg_len");
    /** {@code offsetof(struct nlmsghdr, nlmsg_type)}. */
    public static final long NLMSGHDR_TYPE = offset("nlmsghdr", "nlmsg_type");
    /** {@code offsetof(struct nlmsghdr, nlmsg_pid)}. */
    public static final long NLMSGHDR_PID = offset("nlmsghdr", "nlmsg_pid");

    /** {@code sizeof(struct cn_msg)} (without its data). */
    public static final long CN_MSG_SIZE = size("cn_msg");
    /** {@code offsetof(struct cn_msg, id)}: {@code struct cb_id {idx, val}}. */
    public static final long CN_MSG_ID = offset("cn_msg", "id");
    /** {@code offsetof(struct cn_msg, len)}. */
    public static final long CN_MSG_LEN = offset("cn_msg", "len");

    /** {@code offsetof(struct proc_event, what)}. */
    public static final long PROC_EVENT_WHAT = offset("proc_event", "what");
    /** {@code offsetof(struct proc_event, event_data.fork.parent_tgid)}. */
    public static final long PROC_EVENT_FORK_PARENT_TGID = offset("proc_event", "event_data", "fork", "parent_tgid");
    /** {@code offsetof(struct proc_event, event_data.fork.child_pid)}. */
    public static final long PROC_EVENT_FORK_CHILD_PID = offset("proc_event", "event_data", "fork", "child_pid");
    /** {@code offsetof(struct proc_event, event_data.fork.child_tgid)}. */
    public static final long PROC_EVENT_FORK_CHILD_TGID = offset("proc_event", "event_data", "fork", "child_tgid");
    /** {@code offsetof(struct proc_event, event_data.exec.process_tgid)}. */
    public static final long PROC_EVENT_EXEC_TGID = offset("proc_event", "event_data", "exec", "process_tgid");

    /** {@code offsetof(struct proc_event, event_data.exit.process_pid)}. */
    public static final long PROC_EVENT_EXIT_PID = offset("proc_event", "event_data", "exit", "process_pid");
    /** {@code offsetof(struct proc_event, event_data.exit.process_tgid)}. */
    public static final long PROC_EVENT_EXIT_TGID = offset("proc_event", "event_data", "exit", "process_tgid");
    /** {@code offsetof(struct proc_event, event_data.exit.exit_code)}. */
    public static final long PROC_EVENT_EXIT_CODE = offset("proc_event", "event_data", "exit", "exit_code");

    private static long size(String type) {
        return LinuxBindings.size(type);
    }

    private static long offset(String type, String... path) {
        return LinuxBindings.offset(type, path);
    }
}
