package io.github.kqueueffm.tests.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * This JVM's class path, copied where any user can read it, for a child JVM that a test starts as
 * another user ({@code setpriv --reuid=...}). The checkout's {@code target} directories and the
 * Maven repository may sit in directories that user cannot enter (a clone under {@code /root}, or
 * in a 0700 {@code mktemp -d} directory), and the child would then fail with
 * {@code ClassNotFoundException}. The copy is a fresh directory (0755, files 0644) under the first
 * temporary directory every user can reach; {@link #close()} deletes it.
 *
 * <p>{@link #forOtherUsers()} skips the calling test, with the reason, when no such directory
 * exists or when the JDK's {@code java} launcher is itself out of the other user's reach.
 */
public final class ReadableClassPath implements AutoCloseable {
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r--r--");

    private final Path root;
    private final String classPath;

    private ReadableClassPath(Path root, String classPath) {
        this.root = root;
        this.classPath = classPath;
    }

    /**
     * Copies every entry of {@code java.class.path} (directories and jars) into a new directory
     * any user can read, or skips the calling test saying why that cannot be arranged here.
     *
     * @return the copy; close it to delete it
     * @throws IOException if copying fails
     */
    public static ReadableClassPath forOtherUsers() throws IOException {
        Path java = javaLauncher();
        assumeTrue(reachableByOthers(java) && Files.getPosixFilePermissions(java).contains(
                PosixFilePermission.OTHERS_EXECUTE), "the java launcher " + java + " cannot be run by another user");
        Optional<Path> base = Stream.of(System.getProperty("java.io.tmpdir"), "/tmp", "/var/tmp", "/dev/shm")
                .map(Path::of).filter(ReadableClassPath::usableBase).findFirst();
        assumeTrue(base.isPresent(), "no temporary directory that every user can enter and this user can write"
                + " (java.io.tmpdir, /tmp, /var/tmp, /dev/shm) to copy the class path to for another user");
        Path root = Files.createTempDirectory(base.get(), "kqueue-ffm-classpath");
        try {
            Files.setPosixFilePermissions(root, DIRECTORY);
            List<String> entries = new ArrayList<>();
            int index = 0;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path source = Path.of(entry);
                if (entry.isEmpty() || !Files.exists(source)) {
                    continue;
                }
                Path copy = root.resolve(index++ + "-" + source.getFileName());
                copy(source, copy);
                entries.add(copy.toString());
            }
            return new ReadableClassPath(root, String.join(File.pathSeparator, entries));
        } catch (IOException | RuntimeException e) {
            delete(root);
            throw e;
        }
    }

    /**
     * The copied class path, for {@code -cp}.
     *
     * @return its entries joined with the path separator
     */
    public String classPath() {
        return classPath;
    }

    /**
     * The {@code java} launcher of this JVM, which the child runs.
     *
     * @return {@code ${java.home}/bin/java}
     */
    public static Path javaLauncher() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Deletes the copy. */
    @Override
    public void close() {
        delete(root);
    }

    private static boolean usableBase(Path dir) {
        return Files.isDirectory(dir) && Files.isWritable(dir) && reachableByOthers(dir);
    }

    /** Whether every directory from the root down to {@code path} lets other users pass through. */
    private static boolean reachableByOthers(Path path) {
        try {
            for (Path dir = path.toRealPath().getParent(); dir != null; dir = dir.getParent()) {
                if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            }
            return !Files.isDirectory(path)
                    || Files.getPosixFilePermissions(path.toRealPath()).contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static void copy(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source)) {
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
            Files.setPosixFilePermissions(target, FILE);
            return;
        }
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path copy = target.resolve(source.relativize(dir).toString());
                Files.createDirectories(copy);
                Files.setPosixFilePermissions(copy, DIRECTORY);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path copy = target.resolve(source.relativize(file).toString());
                Files.copy(file, copy);
                Files.setPosixFilePermissions(copy, FILE);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void delete(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the class-path copy " + root, e);
        }
    }
}
