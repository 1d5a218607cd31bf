package io.github.kqueueffm.linux;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import io.github.kqueueffm.bindings.linux.LinuxStructs;
import io.github.kqueueffm.emul.RememberedChildren;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.github.kqueueffm.bindings.linux.LinuxConstants.CLD_DUMPED;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.CLD_EXITED;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.P_PIDFD;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.WEXITED;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.WNOHANG;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.WNOWAIT;

/**
 * The wait(2) status of a process that has exited, read without reaping it (docs/conformance.md#s3.14,
 * docs/conformance.md#s3.15), trying in turn: {@code waitid(P_PIDFD, WNOWAIT)} for a child not yet
 * reaped; {@code PIDFD_GET_INFO} with PIDFD_INFO_EXIT (Linux 6.15), which keeps the status after
 * the reap; field 52 of {@code /proc/<pid>/stat} for a zombie that is not our child; the
 * {@link Process#exitValue()} of a child the user handed over ({@link RememberedChildren}); else 0.
 */
final class ExitStatus {
    /** {@code _IOWR(PIDFS_IOCTL_MAGIC 0xFF, 11, struct pidfd_info)} with the 64-byte version-0 struct (linux/pidfd.h, 6.13). */
    private static final long PIDFD_GET_INFO = 0xC040FF0BL;
    /** {@code PIDFD_INFO_EXIT} (Linux 6.15). */
    private static final long PIDFD_INFO_EXIT = 0x8;
    private static final long PIDFD_INFO_EXIT_CODE_OFFSET = 60;

    private ExitStatus() {
    }

    /**
     * @param pidfd a process descriptor of the exited process
     * @param pid its pid
     * @param scratch a buffer of at least {@code max(sizeof(siginfo_t), 64)} bytes
     * @return the wait status (exit(n) gives n << 8, death by signal s gives s)
     */
    static long of(int pidfd, long pid, MemorySegment scratch) {
        scratch.fill((byte) 0);
        if (LinuxCalls.waitid(P_PIDFD, pidfd, scratch, WEXITED | WNOWAIT | WNOHANG) == 0
                && scratch.get(ValueLayout.JAVA_INT, LinuxStructs.SIGINFO_PID) != 0) {
            int code = scratch.get(ValueLayout.JAVA_INT, LinuxStructs.SIGINFO_CODE);
            int status = scratch.get(ValueLayout.JAVA_INT, LinuxStructs.SIGINFO_STATUS);
            if (code == CLD_EXITED) {
                return (status & 0xFF) << 8;
            }
            return status | (code == CLD_DUMPED ? 0x80 : 0);
        }
        long info = pidfdInfoExit(pidfd, scratch);
        if (info >= 0) {
            return info;
        }
        long zombie = zombieExitCode(pid);
        if (zombie >= 0 && LinuxCalls.pidfdSendSignal(pidfd, 0) == 0) {
            return zombie; // still not reaped, so the pid was not reused meanwhile
        }
        info = pidfdInfoExit(pidfd, scratch); // reaped between the two looks: the kernel kept it (6.15+)
        if (info >= 0) {
            return info;
        }
        long remembered = RememberedChildren.exitStatus(pid);
        if (remembered >= 0) {
            return remembered;
        }
        return zombie >= 0 ? zombie : 0;
    }

    /** PIDFD_GET_INFO's exit code, or −1 when the kernel has none (older, or not reaped yet). */
    private static long pidfdInfoExit(int pidfd, MemorySegment scratch) {
        scratch.fill((byte) 0);
        scratch.set(ValueLayout.JAVA_LONG, 0, PIDFD_INFO_EXIT);
        if (LinuxCalls.ioctl(pidfd, PIDFD_GET_INFO, scratch) == 0
                && (scratch.get(ValueLayout.JAVA_LONG, 0) & PIDFD_INFO_EXIT) != 0) {
            return scratch.get(ValueLayout.JAVA_INT, PIDFD_INFO_EXIT_CODE_OFFSET);
        }
        return -1;
    }

    /** Field 52 (exit_code) of /proc/pid/stat while the process is a zombie, or −1. */
    private static long zombieExitCode(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state); field 52 is fields[49]
            if (!fields[0].equals("Z") || fields.length < 50) {
                return -1;
            }
            return Long.parseLong(fields[49].trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
