package evil;

import io.github.kqueueffm.bindings.linux.LinuxBindings;
import io.github.kqueueffm.bindings.linux.LinuxCalls;

import java.lang.foreign.Arena;

/** Calls the bindings by name; compiles only while they are exported to every module. */
public final class Direct {
    public static void main(String[] args) throws Throwable {
        System.out.println(LinuxBindings.downcall("getpid").invoke(io.github.kqueueffm.bindings.ErrnoCapture.state()));
        try (Arena arena = Arena.ofConfined()) {
            System.out.println(LinuxCalls.read(0, arena.allocate(1), 3));
        }
    }
}
