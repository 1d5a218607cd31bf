package io.github.kqueueffm;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.nio.channels.Channel;

/**
 * The operating-system descriptor number behind a Java channel or {@link FileDescriptor}, to use
 * as the {@code ident} of a descriptor filter ({@code EVFILT_READ}, {@code EVFILT_WRITE},
 * {@code EVFILT_EMPTY}, {@code EVFILT_VNODE}).
 *
 * <p>The JDK has no public accessor for it, so this class reads the JDK's private fields, which
 * needs two JVM flags naming the module that calls this class ({@code ALL-UNNAMED} on the class
 * path, {@code io.github.kqueueffm} on the module path):
 * <pre>
 * --add-opens java.base/java.io=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
 * </pre>
 * Without them the methods throw {@link IllegalStateException} whose message names every missing
 * flag at once.
 *
 * <p>The number stays valid only while the channel is open. Closing the channel closes the
 * descriptor, and kqueue-ffm then drops its knotes on the next {@code kevent} call that names or
 * would report them.
 */
public final class Descriptors {
    private Descriptors() {
    }

    /**
     * The descriptor of a channel: any {@link java.nio.channels.SelectableChannel} (socket, server
     * socket, datagram, pipe) or a {@link java.nio.channels.FileChannel}.
     *
     * @param channel an open channel
     * @return its descriptor number
     * @throws IllegalArgumentException if the channel has no descriptor of its own or is closed
     * @throws IllegalStateException if the JVM flags above are missing
     */
    public static int of(Channel channel) {
        if (!channel.isOpen()) {
            throw new IllegalArgumentException("channel is closed: " + channel);
        }
        for (Class<?> c = channel.getClass(); c != null; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.getType() == FileDescriptor.class && field.getName().equals("fd")) {
                    // Both reads need a flag: name every missing one before trying either.
                    requireOpen(c.getPackageName(), "java.io");
                    return of((FileDescriptor) read(field, channel, c.getPackageName()));
                }
            }
        }
        throw new IllegalArgumentException("no descriptor found in " + channel.getClass().getName());
    }

    /**
     * The descriptor number of a {@link FileDescriptor}.
     *
     * @param descriptor a valid descriptor
     * @return its number
     * @throws IllegalArgumentException if it is not valid
     * @throws IllegalStateException if {@code --add-opens java.base/java.io=...} is missing
     */
    public static int of(FileDescriptor descriptor) {
        if (!descriptor.valid()) {
            throw new IllegalArgumentException("descriptor is not valid");
        }
        requireOpen("java.io");
        try {
            return (Integer) read(FileDescriptor.class.getDeclaredField("fd"), descriptor, "java.io");
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("this JDK's FileDescriptor has no 'fd' field", e);
        }
    }

    /**
     * The descriptor of a file stream.
     *
     * @param stream an open stream
     * @return its descriptor number
     * @throws IOException if the stream is closed
     */
    public static int of(FileInputStream stream) throws IOException {
        return of(stream.getFD());
    }

    /**
     * The descriptor of a file stream.
     *
     * @param stream an open stream
     * @return its descriptor number
     * @throws IOException if the stream is closed
     */
    public static int of(FileOutputStream stream) throws IOException {
        return of(stream.getFD());
    }

    /**
     * The descriptor of a random-access file.
     *
     * @param file an open file
     * @return its descriptor number
     * @throws IOException if the file is closed
     */
    public static int of(RandomAccessFile file) throws IOException {
        return of(file.getFD());
    }

    /**
     * Opens a file or directory read-only and close-on-exec, for EVFILT_VNODE (or EVFILT_READ on a
     * file). Close it with {@link #close(int)}.
     *
     * @param path the file or directory
     * @return the descriptor
     * @throws KQueueException ENOENT, EACCES, EMFILE, ...
     */
    public static int open(java.nio.file.Path path) throws KQueueException {
        return io.github.kqueueffm.platform.Platform.services().openReadOnly(path.toString());
    }

    /**
     * Closes a descriptor opened by {@link #open(java.nio.file.Path)} or
     * {@link Processes#openDescriptor(ProcessHandle)}.
     *
     * @param fd the descriptor
     * @throws KQueueException EBADF if it is not open
     */
    public static void close(int fd) throws KQueueException {
        io.github.kqueueffm.platform.Platform.services().close(fd);
    }

    /**
     * Throws, naming the {@code --add-opens} flag of each given {@code java.base} package that is
     * not open to this module. Packages outside {@code java.base} (a channel class of another
     * module) are left to {@link #read}.
     */
    private static void requireOpen(String... jdkPackages) {
        Module javaBase = Object.class.getModule();
        Module self = Descriptors.class.getModule();
        StringBuilder missing = new StringBuilder();
        int count = 0;
        for (String jdkPackage : jdkPackages) {
            if (javaBase.getPackages().contains(jdkPackage) && !javaBase.isOpen(jdkPackage, self)) {
                missing.append(' ').append(flag(jdkPackage));
                count++;
            }
        }
        if (count > 0) {
            throw new IllegalStateException("reading the descriptor number needs the JVM flag"
                    + (count > 1 ? "s" : "") + missing);
        }
    }

    private static String flag(String jdkPackage) {
        Module self = Descriptors.class.getModule();
        return "--add-opens java.base/" + jdkPackage + "=" + (self.isNamed() ? self.getName() : "ALL-UNNAMED");
    }

    private static Object read(Field field, Object target, String jdkPackage) {
        try {
            field.setAccessible(true);
            return field.get(target);
        } catch (InaccessibleObjectException | IllegalAccessException e) {
            throw new IllegalStateException("reading the descriptor number needs the JVM flag " + flag(jdkPackage), e);
        }
    }
}
