package io.github.kqueueffm.bench;

/**
 * The backends the workloads compare, by the names their {@code backend} parameter takes, and the
 * JVM each one needs.
 *
 * <p>{@code KQueue.open()} is the native passthrough in a JVM started with
 * {@value #LIBRARY_PROPERTY}, and the epoll emulation otherwise; so {@link #NATIVE} and
 * {@link #KQUEUE_FFM} cannot share a JVM. {@link #check} refuses the wrong one, which JMH reports as
 * that case's failure with the message, so a case never measures something other than its name.
 * {@code scripts/bench.sh} gives each its own forks.
 */
public final class Backend {
    /** kqueue-ffm's epoll emulation, through its public API only, as a C program drives libkqueue. */
    public static final String KQUEUE_FFM = "kqueue-ffm";
    /** Raw epoll on the project's own bindings: the floor. */
    public static final String EPOLL = "epoll";
    /** Raw epoll plus one {@code FIONREAD} per event: the floor for the information kevent returns. */
    public static final String EPOLL_FIONREAD = "epoll+fionread";
    /** The JDK's {@code Selector}. */
    public static final String NIO = "nio";
    /** Netty's epoll transport (its JNI library), driven through its {@code EpollIoHandler}. */
    public static final String NETTY = "netty";
    /** kqueue-ffm's native passthrough over the library {@value #LIBRARY_PROPERTY} names (libkqueue here). */
    public static final String NATIVE = "native";
    /** The system property that turns {@code KQueue.open()} into the native passthrough. */
    public static final String LIBRARY_PROPERTY = "kqueue.native.library";

    private Backend() {
    }

    /**
     * Refuses a backend this JVM cannot run as named.
     *
     * @param backend a backend name
     * @throws IllegalStateException {@link #NATIVE} without {@value #LIBRARY_PROPERTY}, or
     *         {@link #KQUEUE_FFM} with it
     */
    static void check(String backend) {
        String library = System.getProperty(LIBRARY_PROPERTY);
        boolean passthrough = library != null && !library.isBlank();
        if (backend.equals(NATIVE) && !passthrough) {
            throw new IllegalStateException("native: skipped, this JVM has no -D" + LIBRARY_PROPERTY
                    + "; run it in its own forks: -p backend=native -jvmArgsPrepend -D" + LIBRARY_PROPERTY
                    + "=/absolute/path/to/libkqueue.so (scripts/bench.sh does so when KQUEUE_NATIVE_LIBRARY is set)");
        }
        if (backend.equals(KQUEUE_FFM) && passthrough) {
            throw new IllegalStateException("kqueue-ffm: refused in a JVM with -D" + LIBRARY_PROPERTY
                    + ", where KQueue.open() is the native passthrough; run it in forks without the property");
        }
    }
}
