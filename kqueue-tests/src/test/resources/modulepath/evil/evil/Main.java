package evil;

import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.time.Duration;

/**
 * Tries every way this module has to reach a downcall through kqueue-ffm's modules, and prints one
 * {@code key=outcome} line each: {@code OK} when the attempt succeeded, else the exception's
 * simple class name. Then uses KQueue as any application does.
 */
public final class Main {
    private static final String BINDINGS = "io.github.kqueueffm.bindings.linux.LinuxBindings";
    private static final String CALLS = "io.github.kqueueffm.bindings.linux.LinuxCalls";

    public static void main(String[] args) throws Exception {
        // The control: this module has no grant, so its own downcall is refused.
        attempt("own-downcall", () -> Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().findOrThrow("getpid"), FunctionDescriptor.of(ValueLayout.JAVA_INT)));
        // The bindings module has the grant: its public methods must not be reachable from here.
        attempt("reflect-downcall", () -> Class.forName(BINDINGS)
                .getMethod("downcall", String.class, Linker.Option[].class)
                .invoke(null, "getpid", new Linker.Option[0]));
        attempt("reflect-getpid", () -> Class.forName(CALLS).getMethod("getpid").invoke(null));
        attempt("reflect-read", () -> {
            try (Arena arena = Arena.ofConfined()) {
                return Class.forName(CALLS).getMethod("read", int.class, MemorySegment.class, long.class)
                        .invoke(null, 0, arena.allocate(1), 3L);
            }
        });
        attempt("set-accessible", () -> {
            Method downcall = Class.forName(BINDINGS).getMethod("downcall", String.class, Linker.Option[].class);
            downcall.setAccessible(true);
            return downcall.invoke(null, "getpid", new Linker.Option[0]);
        });
        attempt("public-lookup", () -> MethodHandles.publicLookup().findStatic(Class.forName(CALLS), "getpid",
                MethodType.methodType(int.class)).invoke());
        attempt("private-lookup", () -> MethodHandles.privateLookupIn(Class.forName(CALLS), MethodHandles.lookup()));
        attempt("add-exports", () -> {
            Class<?> calls = Class.forName(CALLS);
            // Only the module itself may export more; asking from here is refused.
            calls.getModule().addExports(calls.getPackageName(), Main.class.getModule());
            return calls.getMethod("getpid").invoke(null);
        });

        // The same JVM setup serves an ordinary application.
        try (KQueue kq = KQueue.open();
             KEventList changes = KEventList.allocate(2);
             KEventList events = KEventList.allocate(1)) {
            changes.set(0, 7, KEvent.EVFILT_USER, KEvent.EV_ADD | KEvent.EV_CLEAR, 0, 0, 0);
            changes.set(1, 7, KEvent.EVFILT_USER, 0, KEvent.NOTE_TRIGGER, 0, 0);
            int n = kq.kevent(changes, 2, events, 1, Duration.ofSeconds(5));
            boolean ok = n == 1 && events.ident(0) == 7 && events.filter(0) == KEvent.EVFILT_USER;
            System.out.println("kqueue=" + (ok ? "OK" : "unexpected:" + n + ":" + events.get(0)).replace(' ', '_'));
        }
    }

    /** One attempt; any outcome, even an Error, is reported rather than thrown. */
    private interface Attempt {
        Object run() throws Throwable;
    }

    private static void attempt(String name, Attempt action) {
        String outcome;
        try {
            action.run();
            outcome = "OK";
        } catch (Throwable t) {
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : t;
            outcome = cause.getClass().getSimpleName();
        }
        System.out.println(name + "=" + outcome);
    }
}
