package io.github.kqueueffm.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * errno as captured by downcalls linked with {@code Linker.Option.captureCallState("errno")}.
 *
 * <p>Each thread owns one capture segment, allocated on its first call and reused for every later
 * one, so a failing call allocates nothing. The value read by {@link #errno()} is the errno the
 * calling thread's most recent capturing downcall left behind; it is meaningful only right after a
 * call that reported failure. The wrappers of the bindings read it themselves and return −errno.
 */
public final class ErrnoCapture {
    private static final StructLayout LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"))
            .withInvokeExactBehavior();
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(LAYOUT));

    private ErrnoCapture() {
    }

    /**
     * The linker option that makes a downcall store errno into its capture segment.
     *
     * @return {@code Linker.Option.captureCallState("errno")}
     */
    public static Linker.Option option() {
        return Linker.Option.captureCallState("errno");
    }

    /**
     * The calling thread's capture segment, to pass as the first argument of a capturing downcall.
     *
     * @return a segment reused for every call of this thread
     */
    public static MemorySegment state() {
        return STATE.get();
    }

    /**
     * The errno left by the calling thread's latest capturing downcall.
     *
     * @return the host's errno number
     */
    public static int errno() {
        return errno(STATE.get());
    }

    /**
     * The errno a downcall left in a capture segment: a wrapper passes the segment it gave the
     * call, which saves a second thread-local lookup on the failure path.
     *
     * @param state a segment from {@link #state()}
     * @return the host's errno number
     */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }
}
