package io.github.kqueueffm.bindings.linux;

/**
 * The Linux constants kqueue-ffm uses, with the values of the running architecture (most are the
 * same on x86_64 and aarch64; {@code O_DIRECTORY}, {@code O_NOFOLLOW} and the {@code SYS_*} numbers
 * are not). Every value comes from the jextract-generated headers through {@link LinuxBindings}.
 *
 * <p>Linux only: ask {@link LinuxBindings#isAvailable()} before using this class; elsewhere its
 * initialisation fails, with the {@link UnsupportedOperationException} of {@link LinuxBindings} as
 * the cause.
 */
public final class LinuxConstants {
    private LinuxConstants() {
    }

    // epoll
    /** C constant {@code EPOLLIN}. */
    public static final int EPOLLIN = LinuxBindings.intConstant("EPOLLIN");
    /** C constant {@code EPOLLPRI}. */
    public static final int EPOLLPRI = LinuxBindings.intConstant("EPOLLPRI");
    /** C constant {@code EPOLLOUT}. */
    public static final int EPOLLOUT = LinuxBindings.intConstant("EPOLLOUT");
    /** C constant {@code EPOLLERR}. */
    public static final int EPOLLERR = LinuxBindings.intConstant("EPOLLERR");
    /** C constant {@code EPOLLHUP}. */
    public static final int EPOLLHUP = LinuxBindings.intConstant("EPOLLHUP");
    /** C constant {@code EPOLLRDHUP}. */
    public static final int EPOLLRDHUP = LinuxBindings.intConstant("EPOLLRDHUP");
    /** C constant {@code EPOLLET}. */
    public static final int EPOLLET = LinuxBindings.intConstant("EPOLLET");
    /** C constant {@code EPOLLONESHOT}. */
    public static final int EPOLLONESHOT = LinuxBindings.intConstant("EPOLLONESHOT");
    /** C constant {@code EPOLLEXCLUSIVE}. */
    public static final int EPOLLEXCLUSIVE = LinuxBindings.intConstant("EPOLLEXCLUSIVE");
    /** C constant {@code EPOLL_CLOEXEC}. */
    public static final int EPOLL_CLOEXEC = LinuxBindings.intConstant("EPOLL_CLOEXEC");
    /** C constant {@code EPOLL_CTL_ADD}. */
    public static final int EPOLL_CTL_ADD = LinuxBindings.intConstant("EPOLL_CTL_ADD");
    /** C constant {@code EPOLL_CTL_DEL}. */
    public static final int EPOLL_CTL_DEL = LinuxBindings.intConstant("EPOLL_CTL_DEL");
    /** C constant {@code EPOLL_CTL_MOD}. */
    public static final int EPOLL_CTL_MOD = LinuxBindings.intConstant("EPOLL_CTL_MOD");

    // eventfd, timerfd, signalfd, inotify
    /** C constant {@code EFD_CLOEXEC}. */
    public static final int EFD_CLOEXEC = LinuxBindings.intConstant("EFD_CLOEXEC");
    /** C constant {@code EFD_NONBLOCK}. */
    public static final int EFD_NONBLOCK = LinuxBindings.intConstant("EFD_NONBLOCK");
    /** C constant {@code EFD_SEMAPHORE}. */
    public static final int EFD_SEMAPHORE = LinuxBindings.intConstant("EFD_SEMAPHORE");
    /** C constant {@code TFD_CLOEXEC}. */
    public static final int TFD_CLOEXEC = LinuxBindings.intConstant("TFD_CLOEXEC");
    /** C constant {@code TFD_NONBLOCK}. */
    public static final int TFD_NONBLOCK = LinuxBindings.intConstant("TFD_NONBLOCK");
    /** C constant {@code TFD_TIMER_ABSTIME}. */
    public static final int TFD_TIMER_ABSTIME = LinuxBindings.intConstant("TFD_TIMER_ABSTIME");
    /** C constant {@code SFD_CLOEXEC}. */
    public static final int SFD_CLOEXEC = LinuxBindings.intConstant("SFD_CLOEXEC");
    /** C constant {@code SFD_NONBLOCK}. */
    public static final int SFD_NONBLOCK = LinuxBindings.intConstant("SFD_NONBLOCK");
    /** C constant {@code IN_CLOEXEC}. */
    public static final int IN_CLOEXEC = LinuxBindings.intConstant("IN_CLOEXEC");
    /** C constant {@code IN_NONBLOCK}. */
    public static final int IN_NONBLOCK = LinuxBindings.intConstant("IN_NONBLOCK");
    /** C constant {@code IN_ACCESS}. */
    public static final int IN_ACCESS = LinuxBindings.intConstant("IN_ACCESS");
    /** C constant {@code IN_MODIFY}. */
    public static final int IN_MODIFY = LinuxBindings.intConstant("IN_MODIFY");
    /** C constant {@code IN_ATTRIB}. */
    public static final int IN_ATTRIB = LinuxBindings.intConstant("IN_ATTRIB");
    /** C constant {@code IN_CLOSE_WRITE}. */
    public static final int IN_CLOSE_WRITE = LinuxBindings.intConstant("IN_CLOSE_WRITE");
    /** C constant {@code IN_CLOSE_NOWRITE}. */
    public static final int IN_CLOSE_NOWRITE = LinuxBindings.intConstant("IN_CLOSE_NOWRITE");
    /** C constant {@code IN_OPEN}. */
    public static final int IN_OPEN = LinuxBindings.intConstant("IN_OPEN");
    /** C constant {@code IN_MOVED_FROM}. */
    public static final int IN_MOVED_FROM = LinuxBindings.intConstant("IN_MOVED_FROM");
    /** C constant {@code IN_MOVED_TO}. */
    public static final int IN_MOVED_TO = LinuxBindings.intConstant("IN_MOVED_TO");
    /** C constant {@code IN_CREATE}. */
    public static final int IN_CREATE = LinuxBindings.intConstant("IN_CREATE");
    /** C constant {@code IN_DELETE}. */
    public static final int IN_DELETE = LinuxBindings.intConstant("IN_DELETE");
    /** C constant {@code IN_DELETE_SELF}. */
    public static final int IN_DELETE_SELF = LinuxBindings.intConstant("IN_DELETE_SELF");
    /** C constant {@code IN_MOVE_SELF}. */
    public static final int IN_MOVE_SELF = LinuxBindings.intConstant("IN_MOVE_SELF");
    /** C constant {@code IN_UNMOUNT}. */
    public static final int IN_UNMOUNT = LinuxBindings.intConstant("IN_UNMOUNT");
    /** C constant {@code IN_Q_OVERFLOW}. */
    public static final int IN_Q_OVERFLOW = LinuxBindings.intConstant("IN_Q_OVERFLOW");
    /** C constant {@code IN_IGNORED}. */
    public static final int IN_IGNORED = LinuxBindings.intConstant("IN_IGNORED");
    /** C constant {@code IN_ISDIR}. */
    public static final int IN_ISDIR = LinuxBindings.intConstant("IN_ISDIR");
    /** C constant {@code IN_MASK_ADD}. */
    public static final int IN_MASK_ADD = LinuxBindings.intConstant("IN_MASK_ADD");
    /** C constant {@code IN_MASK_CREATE}. */
    public static final int IN_MASK_CREATE = LinuxBindings.intConstant("IN_MASK_CREATE");
    /** C constant {@code IN_EXCL_UNLINK}. */
    public static final int IN_EXCL_UNLINK = LinuxBindings.intConstant("IN_EXCL_UNLINK");
    /** C constant {@code IN_DONT_FOLLOW}. */
    public static final int IN_DONT_FOLLOW = LinuxBindings.intConstant("IN_DONT_FOLLOW");
    /** C constant {@code IN_ONLYDIR}. */
    public static final int IN_ONLYDIR = LinuxBindings.intConstant("IN_ONLYDIR");

    // processes
    /** C constant {@code P_PID}. */
    public static final int P_PID = LinuxBindings.intConstant("P_PID");
    /** C constant {@code P_PIDFD}. */
    public static final int P_PIDFD = LinuxBindings.intConstant("P_PIDFD");
    /** C constant {@code P_ALL}. */
    public static final int P_ALL = LinuxBindings.intConstant("P_ALL");
    /** C constant {@code WNOHANG}. */
    public static final int WNOHANG = LinuxBindings.intConstant("WNOHANG");
    /** C constant {@code WEXITED}. */
    public static final int WEXITED = LinuxBindings.intConstant("WEXITED");
    /** C constant {@code WSTOPPED}. */
    public static final int WSTOPPED = LinuxBindings.intConstant("WSTOPPED");
    /** C constant {@code WCONTINUED}. */
    public static final int WCONTINUED = LinuxBindings.intConstant("WCONTINUED");
    /** C constant {@code WNOWAIT}. */
    public static final int WNOWAIT = LinuxBindings.intConstant("WNOWAIT");
    /** C constant {@code CLD_EXITED}. */
    public static final int CLD_EXITED = LinuxBindings.intConstant("CLD_EXITED");
    /** C constant {@code CLD_KILLED}. */
    public static final int CLD_KILLED = LinuxBindings.intConstant("CLD_KILLED");
    /** C constant {@code CLD_DUMPED}. */
    public static final int CLD_DUMPED = LinuxBindings.intConstant("CLD_DUMPED");
    /** C constant {@code CLD_STOPPED}. */
    public static final int CLD_STOPPED = LinuxBindings.intConstant("CLD_STOPPED");
    /** C constant {@code CLD_CONTINUED}. */
    public static final int CLD_CONTINUED = LinuxBindings.intConstant("CLD_CONTINUED");

    // files and descriptors
    /** C constant {@code O_RDONLY}. */
    public static final int O_RDONLY = LinuxBindings.intConstant("O_RDONLY");
    /** C constant {@code O_WRONLY}. */
    public static final int O_WRONLY = LinuxBindings.intConstant("O_WRONLY");
    /** C constant {@code O_RDWR}. */
    public static final int O_RDWR = LinuxBindings.intConstant("O_RDWR");
    /** C constant {@code O_CREAT}. */
    public static final int O_CREAT = LinuxBindings.intConstant("O_CREAT");
    /** C constant {@code O_EXCL}. */
    public static final int O_EXCL = LinuxBindings.intConstant("O_EXCL");
    /** C constant {@code O_TRUNC}. */
    public static final int O_TRUNC = LinuxBindings.intConstant("O_TRUNC");
    /** C constant {@code O_APPEND}. */
    public static final int O_APPEND = LinuxBindings.intConstant("O_APPEND");
    /** C constant {@code O_NONBLOCK}. */
    public static final int O_NONBLOCK = LinuxBindings.intConstant("O_NONBLOCK");
    /** C constant {@code O_CLOEXEC}. */
    public static final int O_CLOEXEC = LinuxBindings.intConstant("O_CLOEXEC");
    /** C constant {@code O_DIRECTORY}. */
    public static final int O_DIRECTORY = LinuxBindings.intConstant("O_DIRECTORY");
    /** C constant {@code O_PATH}. */
    public static final int O_PATH = LinuxBindings.intConstant("O_PATH");
    /** C constant {@code O_NOFOLLOW}. */
    public static final int O_NOFOLLOW = LinuxBindings.intConstant("O_NOFOLLOW");
    /** C constant {@code F_GETFD}. */
    public static final int F_GETFD = LinuxBindings.intConstant("F_GETFD");
    /** C constant {@code F_SETFD}. */
    public static final int F_SETFD = LinuxBindings.intConstant("F_SETFD");
    /** C constant {@code F_GETFL}. */
    public static final int F_GETFL = LinuxBindings.intConstant("F_GETFL");
    /** C constant {@code F_SETFL}. */
    public static final int F_SETFL = LinuxBindings.intConstant("F_SETFL");
    /** C constant {@code F_GETPIPE_SZ}. */
    public static final int F_GETPIPE_SZ = LinuxBindings.intConstant("F_GETPIPE_SZ");
    /** C constant {@code F_SETPIPE_SZ}. */
    public static final int F_SETPIPE_SZ = LinuxBindings.intConstant("F_SETPIPE_SZ");
    /** C constant {@code F_DUPFD_CLOEXEC}. */
    public static final int F_DUPFD_CLOEXEC = LinuxBindings.intConstant("F_DUPFD_CLOEXEC");
    /** C constant {@code FD_CLOEXEC}. */
    public static final int FD_CLOEXEC = LinuxBindings.intConstant("FD_CLOEXEC");
    /** C constant {@code S_IFMT}. */
    public static final int S_IFMT = LinuxBindings.intConstant("S_IFMT");
    /** C constant {@code S_IFREG}. */
    public static final int S_IFREG = LinuxBindings.intConstant("S_IFREG");
    /** C constant {@code S_IFDIR}. */
    public static final int S_IFDIR = LinuxBindings.intConstant("S_IFDIR");
    /** C constant {@code S_IFSOCK}. */
    public static final int S_IFSOCK = LinuxBindings.intConstant("S_IFSOCK");
    /** C constant {@code S_IFCHR}. */
    public static final int S_IFCHR = LinuxBindings.intConstant("S_IFCHR");
    /** C constant {@code S_IFBLK}. */
    public static final int S_IFBLK = LinuxBindings.intConstant("S_IFBLK");
    /** C constant {@code S_IFLNK}. */
    public static final int S_IFLNK = LinuxBindings.intConstant("S_IFLNK");
    /** C constant {@code SEEK_SET}. */
    public static final int SEEK_SET = LinuxBindings.intConstant("SEEK_SET");
    /** C constant {@code SEEK_CUR}. */
    public static final int SEEK_CUR = LinuxBindings.intConstant("SEEK_CUR");
    /** C constant {@code SEEK_END}. */
    public static final int SEEK_END = LinuxBindings.intConstant("SEEK_END");
    /** C constant {@code AT_FDCWD}. */
    public static final int AT_FDCWD = LinuxBindings.intConstant("AT_FDCWD");
    /** C constant {@code AT_EMPTY_PATH}. */
    public static final int AT_EMPTY_PATH = LinuxBindings.intConstant("AT_EMPTY_PATH");
    /** C constant {@code RLIMIT_NOFILE}. */
    public static final int RLIMIT_NOFILE = LinuxBindings.intConstant("RLIMIT_NOFILE");

    // sockets
    /** C constant {@code FIONREAD}. */
    public static final int FIONREAD = LinuxBindings.intConstant("FIONREAD");
    /** C constant {@code FIONBIO}. */
    public static final int FIONBIO = LinuxBindings.intConstant("FIONBIO");
    /** C constant {@code SIOCINQ}. */
    public static final int SIOCINQ = LinuxBindings.intConstant("SIOCINQ");
    /** C constant {@code SIOCOUTQ}. */
    public static final int SIOCOUTQ = LinuxBindings.intConstant("SIOCOUTQ");
    /** C constant {@code SIOCOUTQNSD}. */
    public static final int SIOCOUTQNSD = LinuxBindings.intConstant("SIOCOUTQNSD");
    /** C constant {@code SOL_SOCKET}. */
    public static final int SOL_SOCKET = LinuxBindings.intConstant("SOL_SOCKET");
    /** C constant {@code SO_ACCEPTCONN}. */
    public static final int SO_ACCEPTCONN = LinuxBindings.intConstant("SO_ACCEPTCONN");
    /** C constant {@code SO_ERROR}. */
    public static final int SO_ERROR = LinuxBindings.intConstant("SO_ERROR");
    /** C constant {@code SO_TYPE}. */
    public static final int SO_TYPE = LinuxBindings.intConstant("SO_TYPE");
    /** C constant {@code SO_SNDBUF}. */
    public static final int SO_SNDBUF = LinuxBindings.intConstant("SO_SNDBUF");
    /** C constant {@code SO_RCVBUF}. */
    public static final int SO_RCVBUF = LinuxBindings.intConstant("SO_RCVBUF");
    /** C constant {@code SO_RCVLOWAT}. */
    public static final int SO_RCVLOWAT = LinuxBindings.intConstant("SO_RCVLOWAT");
    /** C constant {@code SO_SNDLOWAT}. */
    public static final int SO_SNDLOWAT = LinuxBindings.intConstant("SO_SNDLOWAT");
    /** C constant {@code SO_LINGER}. */
    public static final int SO_LINGER = LinuxBindings.intConstant("SO_LINGER");
    /** C constant {@code SO_MEMINFO}. */
    public static final int SO_MEMINFO = LinuxBindings.intConstant("SO_MEMINFO");
    /** C constant {@code SO_REUSEADDR}. */
    public static final int SO_REUSEADDR = LinuxBindings.intConstant("SO_REUSEADDR");
    /** C constant {@code SO_DOMAIN}. */
    public static final int SO_DOMAIN = LinuxBindings.intConstant("SO_DOMAIN");
    /** C constant {@code SO_PROTOCOL}. */
    public static final int SO_PROTOCOL = LinuxBindings.intConstant("SO_PROTOCOL");
    /** C constant {@code IPPROTO_TCP}. */
    public static final int IPPROTO_TCP = LinuxBindings.intConstant("IPPROTO_TCP");
    /** C constant {@code IPPROTO_UDP}. */
    public static final int IPPROTO_UDP = LinuxBindings.intConstant("IPPROTO_UDP");
    /** C constant {@code TCP_INFO}. */
    public static final int TCP_INFO = LinuxBindings.intConstant("TCP_INFO");
    /** C constant {@code TCP_NODELAY}. */
    public static final int TCP_NODELAY = LinuxBindings.intConstant("TCP_NODELAY");
    /** C constant {@code TCP_LISTEN}. */
    public static final int TCP_LISTEN = LinuxBindings.intConstant("TCP_LISTEN");
    /** C constant {@code TCP_ESTABLISHED}. */
    public static final int TCP_ESTABLISHED = LinuxBindings.intConstant("TCP_ESTABLISHED");
    /** C constant {@code AF_UNIX}. */
    public static final int AF_UNIX = LinuxBindings.intConstant("AF_UNIX");
    /** C constant {@code AF_INET}. */
    public static final int AF_INET = LinuxBindings.intConstant("AF_INET");
    /** C constant {@code AF_INET6}. */
    public static final int AF_INET6 = LinuxBindings.intConstant("AF_INET6");
    /** C constant {@code AF_NETLINK}. */
    public static final int AF_NETLINK = LinuxBindings.intConstant("AF_NETLINK");
    /** C constant {@code SOCK_STREAM}. */
    public static final int SOCK_STREAM = LinuxBindings.intConstant("SOCK_STREAM");
    /** C constant {@code SOCK_DGRAM}. */
    public static final int SOCK_DGRAM = LinuxBindings.intConstant("SOCK_DGRAM");
    /** C constant {@code SOCK_SEQPACKET}. */
    public static final int SOCK_SEQPACKET = LinuxBindings.intConstant("SOCK_SEQPACKET");
    /** C constant {@code SOCK_NONBLOCK}. */
    public static final int SOCK_NONBLOCK = LinuxBindings.intConstant("SOCK_NONBLOCK");
    /** C constant {@code SOCK_CLOEXEC}. */
    public static final int SOCK_CLOEXEC = LinuxBindings.intConstant("SOCK_CLOEXEC");
    /** C constant {@code SHUT_RD}. */
    public static final int SHUT_RD = LinuxBindings.intConstant("SHUT_RD");
    /** C constant {@code SHUT_WR}. */
    public static final int SHUT_WR = LinuxBindings.intConstant("SHUT_WR");
    /** C constant {@code SHUT_RDWR}. */
    public static final int SHUT_RDWR = LinuxBindings.intConstant("SHUT_RDWR");
    /** C constant {@code MSG_PEEK}. */
    public static final int MSG_PEEK = LinuxBindings.intConstant("MSG_PEEK");
    /** C constant {@code MSG_DONTWAIT}. */
    public static final int MSG_DONTWAIT = LinuxBindings.intConstant("MSG_DONTWAIT");
    /** C constant {@code MSG_NOSIGNAL}. */
    public static final int MSG_NOSIGNAL = LinuxBindings.intConstant("MSG_NOSIGNAL");
    /** C constant {@code SK_MEMINFO_RMEM_ALLOC}. */
    public static final int SK_MEMINFO_RMEM_ALLOC = LinuxBindings.intConstant("SK_MEMINFO_RMEM_ALLOC");
    /** C constant {@code SK_MEMINFO_RCVBUF}. */
    public static final int SK_MEMINFO_RCVBUF = LinuxBindings.intConstant("SK_MEMINFO_RCVBUF");
    /** C constant {@code SK_MEMINFO_WMEM_ALLOC}. */
    public static final int SK_MEMINFO_WMEM_ALLOC = LinuxBindings.intConstant("SK_MEMINFO_WMEM_ALLOC");
    /** C constant {@code SK_MEMINFO_SNDBUF}. */
    public static final int SK_MEMINFO_SNDBUF = LinuxBindings.intConstant("SK_MEMINFO_SNDBUF");
    /** C constant {@code SK_MEMINFO_FWD_ALLOC}. */
    public static final int SK_MEMINFO_FWD_ALLOC = LinuxBindings.intConstant("SK_MEMINFO_FWD_ALLOC");
    /** C constant {@code SK_MEMINFO_WMEM_QUEUED}. */
    public static final int SK_MEMINFO_WMEM_QUEUED = LinuxBindings.intConstant("SK_MEMINFO_WMEM_QUEUED");
    /** C constant {@code SK_MEMINFO_OPTMEM}. */
    public static final int SK_MEMINFO_OPTMEM = LinuxBindings.intConstant("SK_MEMINFO_OPTMEM");
    /** C constant {@code SK_MEMINFO_BACKLOG}. */
    public static final int SK_MEMINFO_BACKLOG = LinuxBindings.intConstant("SK_MEMINFO_BACKLOG");
    /** C constant {@code SK_MEMINFO_DROPS}. */
    public static final int SK_MEMINFO_DROPS = LinuxBindings.intConstant("SK_MEMINFO_DROPS");
    /** C constant {@code SK_MEMINFO_VARS}. */
    public static final int SK_MEMINFO_VARS = LinuxBindings.intConstant("SK_MEMINFO_VARS");

    // signals
    /** C constant {@code SIGHUP}. */
    public static final int SIGHUP = LinuxBindings.intConstant("SIGHUP");
    /** C constant {@code SIGINT}. */
    public static final int SIGINT = LinuxBindings.intConstant("SIGINT");
    /** C constant {@code SIGQUIT}. */
    public static final int SIGQUIT = LinuxBindings.intConstant("SIGQUIT");
    /** C constant {@code SIGILL}. */
    public static final int SIGILL = LinuxBindings.intConstant("SIGILL");
    /** C constant {@code SIGTRAP}. */
    public static final int SIGTRAP = LinuxBindings.intConstant("SIGTRAP");
    /** C constant {@code SIGABRT}. */
    public static final int SIGABRT = LinuxBindings.intConstant("SIGABRT");
    /** C constant {@code SIGBUS}. */
    public static final int SIGBUS = LinuxBindings.intConstant("SIGBUS");
    /** C constant {@code SIGFPE}. */
    public static final int SIGFPE = LinuxBindings.intConstant("SIGFPE");
    /** C constant {@code SIGKILL}. */
    public static final int SIGKILL = LinuxBindings.intConstant("SIGKILL");
    /** C constant {@code SIGUSR1}. */
    public static final int SIGUSR1 = LinuxBindings.intConstant("SIGUSR1");
    /** C constant {@code SIGSEGV}. */
    public static final int SIGSEGV = LinuxBindings.intConstant("SIGSEGV");
    /** C constant {@code SIGUSR2}. */
    public static final int SIGUSR2 = LinuxBindings.intConstant("SIGUSR2");
    /** C constant {@code SIGPIPE}. */
    public static final int SIGPIPE = LinuxBindings.intConstant("SIGPIPE");
    /** C constant {@code SIGALRM}. */
    public static final int SIGALRM = LinuxBindings.intConstant("SIGALRM");
    /** C constant {@code SIGTERM}. */
    public static final int SIGTERM = LinuxBindings.intConstant("SIGTERM");
    /** C constant {@code SIGSTKFLT}. */
    public static final int SIGSTKFLT = LinuxBindings.intConstant("SIGSTKFLT");
    /** C constant {@code SIGCHLD}. */
    public static final int SIGCHLD = LinuxBindings.intConstant("SIGCHLD");
    /** C constant {@code SIGCONT}. */
    public static final int SIGCONT = LinuxBindings.intConstant("SIGCONT");
    /** C constant {@code SIGSTOP}. */
    public static final int SIGSTOP = LinuxBindings.intConstant("SIGSTOP");
    /** C constant {@code SIGTSTP}. */
    public static final int SIGTSTP = LinuxBindings.intConstant("SIGTSTP");
    /** C constant {@code SIGTTIN}. */
    public static final int SIGTTIN = LinuxBindings.intConstant("SIGTTIN");
    /** C constant {@code SIGTTOU}. */
    public static final int SIGTTOU = LinuxBindings.intConstant("SIGTTOU");
    /** C constant {@code SIGURG}. */
    public static final int SIGURG = LinuxBindings.intConstant("SIGURG");
    /** C constant {@code SIGXCPU}. */
    public static final int SIGXCPU = LinuxBindings.intConstant("SIGXCPU");
    /** C constant {@code SIGXFSZ}. */
    public static final int SIGXFSZ = LinuxBindings.intConstant("SIGXFSZ");
    /** C constant {@code SIGVTALRM}. */
    public static final int SIGVTALRM = LinuxBindings.intConstant("SIGVTALRM");
    /** C constant {@code SIGPROF}. */
    public static final int SIGPROF = LinuxBindings.intConstant("SIGPROF");
    /** C constant {@code SIGWINCH}. */
    public static final int SIGWINCH = LinuxBindings.intConstant("SIGWINCH");
    /** C constant {@code SIGIO}. */
    public static final int SIGIO = LinuxBindings.intConstant("SIGIO");
    /** C constant {@code SIGPWR}. */
    public static final int SIGPWR = LinuxBindings.intConstant("SIGPWR");
    /** C constant {@code SIGSYS}. */
    public static final int SIGSYS = LinuxBindings.intConstant("SIGSYS");
    /** C constant {@code SIG_BLOCK}. */
    public static final int SIG_BLOCK = LinuxBindings.intConstant("SIG_BLOCK");
    /** C constant {@code SIG_UNBLOCK}. */
    public static final int SIG_UNBLOCK = LinuxBindings.intConstant("SIG_UNBLOCK");
    /** C constant {@code SIG_SETMASK}. */
    public static final int SIG_SETMASK = LinuxBindings.intConstant("SIG_SETMASK");
    /** C constant {@code SA_SIGINFO}. */
    public static final int SA_SIGINFO = LinuxBindings.intConstant("SA_SIGINFO");
    /** C constant {@code SA_RESTART}. */
    public static final int SA_RESTART = LinuxBindings.intConstant("SA_RESTART");
    /** C constant {@code _NSIG}. */
    public static final int _NSIG = LinuxBindings.intConstant("_NSIG");
    /** C constant {@code SI_USER}. */
    public static final int SI_USER = LinuxBindings.intConstant("SI_USER");
    /** C constant {@code SI_QUEUE}. */
    public static final int SI_QUEUE = LinuxBindings.intConstant("SI_QUEUE");
    /** C constant {@code SI_TKILL}. */
    public static final int SI_TKILL = LinuxBindings.intConstant("SI_TKILL");

    // memory mappings
    /** C constant {@code PROT_READ}. */
    public static final int PROT_READ = LinuxBindings.intConstant("PROT_READ");
    /** C constant {@code PROT_WRITE}. */
    public static final int PROT_WRITE = LinuxBindings.intConstant("PROT_WRITE");
    /** C constant {@code MAP_PRIVATE}. */
    public static final int MAP_PRIVATE = LinuxBindings.intConstant("MAP_PRIVATE");
    /** C constant {@code MAP_ANONYMOUS}. */
    public static final int MAP_ANONYMOUS = LinuxBindings.intConstant("MAP_ANONYMOUS");
    /** C constant {@code MADV_HUGEPAGE}. */
    public static final int MADV_HUGEPAGE = LinuxBindings.intConstant("MADV_HUGEPAGE");

    // clocks
    /** C constant {@code CLOCK_REALTIME}. */
    public static final int CLOCK_REALTIME = LinuxBindings.intConstant("CLOCK_REALTIME");
    /** C constant {@code CLOCK_MONOTONIC}. */
    public static final int CLOCK_MONOTONIC = LinuxBindings.intConstant("CLOCK_MONOTONIC");
    /** C constant {@code CLOCK_BOOTTIME}. */
    public static final int CLOCK_BOOTTIME = LinuxBindings.intConstant("CLOCK_BOOTTIME");
    /** C constant {@code TIMER_ABSTIME}. */
    public static final int TIMER_ABSTIME = LinuxBindings.intConstant("TIMER_ABSTIME");

    // poll
    /** C constant {@code POLLIN}. */
    public static final int POLLIN = LinuxBindings.intConstant("POLLIN");
    /** C constant {@code POLLPRI}. */
    public static final int POLLPRI = LinuxBindings.intConstant("POLLPRI");
    /** C constant {@code POLLOUT}. */
    public static final int POLLOUT = LinuxBindings.intConstant("POLLOUT");
    /** C constant {@code POLLERR}. */
    public static final int POLLERR = LinuxBindings.intConstant("POLLERR");
    /** C constant {@code POLLHUP}. */
    public static final int POLLHUP = LinuxBindings.intConstant("POLLHUP");
    /** C constant {@code POLLNVAL}. */
    public static final int POLLNVAL = LinuxBindings.intConstant("POLLNVAL");
    /** C constant {@code POLLRDHUP}. */
    public static final int POLLRDHUP = LinuxBindings.intConstant("POLLRDHUP");

    // system call numbers (differ between architectures)
    /** C constant {@code SYS_pidfd_open}. */
    public static final int SYS_pidfd_open = LinuxBindings.intConstant("SYS_pidfd_open");
    /** C constant {@code SYS_pidfd_send_signal}. */
    public static final int SYS_pidfd_send_signal = LinuxBindings.intConstant("SYS_pidfd_send_signal");
    /** C constant {@code SYS_pidfd_getfd}. */
    public static final int SYS_pidfd_getfd = LinuxBindings.intConstant("SYS_pidfd_getfd");
    /** C constant {@code SYS_kcmp}. */
    public static final int SYS_kcmp = LinuxBindings.intConstant("SYS_kcmp");
    /** C constant {@code SYS_gettid}. */
    public static final int SYS_gettid = LinuxBindings.intConstant("SYS_gettid");
    /** C constant {@code SYS_tgkill}. */
    public static final int SYS_tgkill = LinuxBindings.intConstant("SYS_tgkill");
    /** C constant {@code SYS_epoll_pwait2}. */
    public static final int SYS_epoll_pwait2 = LinuxBindings.intConstant("SYS_epoll_pwait2");
    /** C constant {@code SYS_close_range}. */
    public static final int SYS_close_range = LinuxBindings.intConstant("SYS_close_range");
    /** C constant {@code KCMP_FILE}. */
    public static final int KCMP_FILE = LinuxBindings.intConstant("KCMP_FILE");
    /** C constant {@code KCMP_EPOLL_TFD}. */
    public static final int KCMP_EPOLL_TFD = LinuxBindings.intConstant("KCMP_EPOLL_TFD");

    // netlink process connector
    /** C constant {@code NETLINK_CONNECTOR}. */
    public static final int NETLINK_CONNECTOR = LinuxBindings.intConstant("NETLINK_CONNECTOR");
    /** C constant {@code NLMSG_DONE}. */
    public static final int NLMSG_DONE = LinuxBindings.intConstant("NLMSG_DONE");
    /** C constant {@code CN_IDX_PROC}. */
    public static final int CN_IDX_PROC = LinuxBindings.intConstant("CN_IDX_PROC");
    /** C constant {@code CN_VAL_PROC}. */
    public static final int CN_VAL_PROC = LinuxBindings.intConstant("CN_VAL_PROC");
    /** C constant {@code PROC_CN_MCAST_LISTEN}. */
    public static final int PROC_CN_MCAST_LISTEN = LinuxBindings.intConstant("PROC_CN_MCAST_LISTEN");
    /** C constant {@code PROC_EVENT_FORK}. */
    public static final int PROC_EVENT_FORK = LinuxBindings.intConstant("PROC_EVENT_FORK");
    /** C constant {@code PROC_EVENT_EXEC}. */
    public static final int PROC_EVENT_EXEC = LinuxBindings.intConstant("PROC_EVENT_EXEC");
    /** C constant {@code PROC_EVENT_EXIT}. */
    public static final int PROC_EVENT_EXIT = LinuxBindings.intConstant("PROC_EVENT_EXIT");
}
