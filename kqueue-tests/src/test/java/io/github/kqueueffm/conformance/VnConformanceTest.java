package io.github.kqueueffm.conformance;

import io.github.kqueueffm.Descriptors;
import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEvent;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.tests.support.HostOs;
import io.github.kqueueffm.tests.support.Os;
import io.github.kqueueffm.tests.support.VnodeSupport.Fds;
import io.github.kqueueffm.tests.support.VnodeSupport.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.github.kqueueffm.KEvent.EVFILT_VNODE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_EOF;
import static io.github.kqueueffm.KEvent.EV_ERROR;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.NOTE_ATTRIB;
import static io.github.kqueueffm.KEvent.NOTE_CLOSE;
import static io.github.kqueueffm.KEvent.NOTE_CLOSE_WRITE;
import static io.github.kqueueffm.KEvent.NOTE_DELETE;
import static io.github.kqueueffm.KEvent.NOTE_EXTEND;
import static io.github.kqueueffm.KEvent.NOTE_LINK;
import static io.github.kqueueffm.KEvent.NOTE_OPEN;
import static io.github.kqueueffm.KEvent.NOTE_READ;
import static io.github.kqueueffm.KEvent.NOTE_RENAME;
import static io.github.kqueueffm.KEvent.NOTE_REVOKE;
import static io.github.kqueueffm.KEvent.NOTE_WRITE;
import static io.github.kqueueffm.tests.support.KeventCalls.apply;
import static io.github.kqueueffm.tests.support.KeventCalls.applyFails;
import static io.github.kqueueffm.tests.support.KeventCalls.applyWithRoom;
import static io.github.kqueueffm.tests.support.KeventCalls.ch;
import static io.github.kqueueffm.tests.support.KeventCalls.poll;
import static io.github.kqueueffm.tests.support.VnodeSupport.ALL_NOTES;
import static io.github.kqueueffm.tests.support.VnodeSupport.RECEIVE;
import static io.github.kqueueffm.tests.support.VnodeSupport.append;
import static io.github.kqueueffm.tests.support.VnodeSupport.collect;
import static io.github.kqueueffm.tests.support.VnodeSupport.fchmod;
import static io.github.kqueueffm.tests.support.VnodeSupport.fchown;
import static io.github.kqueueffm.tests.support.VnodeSupport.ftruncate;
import static io.github.kqueueffm.tests.support.VnodeSupport.futimens;
import static io.github.kqueueffm.tests.support.VnodeSupport.link;
import static io.github.kqueueffm.tests.support.VnodeSupport.mkdir;
import static io.github.kqueueffm.tests.support.VnodeSupport.newFile;
import static io.github.kqueueffm.tests.support.VnodeSupport.nlink;
import static io.github.kqueueffm.tests.support.VnodeSupport.noEventWait;
import static io.github.kqueueffm.tests.support.VnodeSupport.notes;
import static io.github.kqueueffm.tests.support.VnodeSupport.pwrite;
import static io.github.kqueueffm.tests.support.VnodeSupport.read;
import static io.github.kqueueffm.tests.support.VnodeSupport.receive;
import static io.github.kqueueffm.tests.support.VnodeSupport.rename;
import static io.github.kqueueffm.tests.support.VnodeSupport.rmdir;
import static io.github.kqueueffm.tests.support.VnodeSupport.run;
import static io.github.kqueueffm.tests.support.VnodeSupport.unlink;
import static io.github.kqueueffm.tests.support.VnodeSupport.utimes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Conformance rows VN (docs/conformance.md#vn): EVFILT_VNODE. One test per row, against real files
 * in a JUnit temporary directory (ext4/tmpfs/... as the machine provides).
 *
 * <p>Conventions. The watched descriptor is opened read-only with {@link Descriptors#open}; the
 * change is made through another descriptor or a path (row introduction), opened <em>before</em>
 * the knote is added so that its own open is not part of the test. File system calls are made
 * one system call each through {@link io.github.kqueueffm.tests.support.VnodeSupport}
 * ({@code futimens}, {@code ftruncate}, {@code pwrite}, {@code fchmod}, {@code fchown},
 * {@code link}, {@code unlink}, {@code rename}, {@code mkdir}, {@code rmdir}), so the JDK file API
 * adds no hidden open/close. Timing (docs/conformance.md#s1.2 and the suite's rule for in-process
 * kernel changes): an expected event is received with one {@code kevent} of at most 1 s; "no event"
 * is a wait of 100 ms returning 0; "at once" is a poll.
 *
 * <p>Exactness: where a row writes "fflags = X" or "exactly" the fflags are compared whole; where it
 * says "contains", or only names the note, the bit is checked. FreeBSD ORs a whole notification
 * into fflags when any watched bit is in it (row introduction), so several rows watch more bits
 * than the one they expect, to show that no other notification was posted (as FreeBSD's
 * {@code vop_*_post} hooks in {@code vfs_subr.c} would not post one).
 */
class VnConformanceTest {

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- helpers

    private static void watch(KQueue kq, int fd, int flags, int fflags) throws KQueueException {
        apply(kq, ch(fd, EVFILT_VNODE, EV_ADD | flags, fflags));
    }

    private static KEvent single(List<KEvent> events, String what) {
        assertEquals(1, events.size(), () -> "expected exactly one event " + what + ", got " + describe(events));
        return events.get(0);
    }

    private static void assertVnode(int fd, KEvent e) {
        assertEquals(fd, e.ident(), () -> "ident of " + describe(e));
        assertEquals(EVFILT_VNODE, e.filter(), () -> "filter of " + describe(e));
    }

    private static void assertFflags(int expected, KEvent e) {
        assertEquals(notes(expected), notes(e.fflags()), () -> "fflags of " + describe(e));
    }

    private static void assertContains(int bits, KEvent e) {
        assertTrue((e.fflags() & bits) == bits,
                () -> "fflags " + notes(e.fflags()) + " should contain " + notes(bits) + ": " + describe(e));
    }

    private static void assertNoEvent(List<KEvent> events, String when) {
        assertEquals(List.of(), events.stream().map(VnConformanceTest::describe).toList(), "expected no event " + when);
    }

    private static String describe(KEvent e) {
        return "{" + e.ident() + ", filter=" + e.filter() + ", flags=0x" + Integer.toHexString(e.flags())
                + ", fflags=" + notes(e.fflags()) + ", data=" + e.data() + ", udata=" + e.udata() + "}";
    }

    private static String describe(List<KEvent> events) {
        return events.stream().map(VnConformanceTest::describe).toList().toString();
    }

    private static String describe(Map<Long, KEvent> events) {
        return describe(new ArrayList<>(events.values()));
    }

    /** One event for {@code fd}, received with a wait of at most 1 s. */
    private static KEvent receiveOne(KQueue kq, int fd, String what) throws KQueueException {
        KEvent e = single(receive(kq), what);
        assertVnode(fd, e);
        return e;
    }

    /** Both knotes fire within 1 s (EV_CLEAR knotes), each with NOTE_ATTRIB, and no other ident. */
    private static void assertBothFire(KQueue kq, int x, int y, String what) throws KQueueException {
        Map<Long, KEvent> got = collect(kq, Set.of((long) x, (long) y), RECEIVE);
        assertEquals(Set.of((long) x, (long) y), got.keySet(),
                () -> "both knotes (" + what + ") should fire: " + describe(got));
        assertContains(NOTE_ATTRIB, got.get((long) x));
        assertContains(NOTE_ATTRIB, got.get((long) y));
    }

    // ---------------------------------------------------------------- rows

    /** VN-01: EV_ADD with NOTE_WRITE+NOTE_ATTRIB+NOTE_RENAME+NOTE_DELETE on a regular file succeeds; no event. */
    @Test
    void VN_01_addOnRegularFileSucceedsWithoutEvent() throws Exception {
        Path f = newFile(dir, "f", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            watch(kq, fd, 0, NOTE_WRITE | NOTE_ATTRIB | NOTE_RENAME | NOTE_DELETE);
            assertNoEvent(poll(kq), "after EV_ADD (poll)");
            assertNoEvent(noEventWait(kq), "after EV_ADD (wait 100 ms)");
        }
    }

    /** VN-02: watching NOTE_WRITE only, an appending write → {fflags=NOTE_WRITE+NOTE_EXTEND, data=0}. */
    @Test
    void VN_02_appendReportsWriteAndExtend() throws Exception {
        Path f = newFile(dir, "f", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            int writer = fds.openAppend(f);
            watch(kq, fd, 0, NOTE_WRITE);
            append(writer, 5);
            KEvent e = receiveOne(kq, fd, "after an appending write");
            assertFflags(NOTE_WRITE | NOTE_EXTEND, e);
            assertEquals(0, e.data(), () -> "data of " + describe(e));
        }
    }

    /**
     * VN-03: a same-size {@code pwrite} over existing bytes → fflags = NOTE_WRITE (no NOTE_EXTEND).
     * The knote watches NOTE_WRITE+NOTE_EXTEND, so a wrongly posted NOTE_EXTEND would show.
     */
    @Test
    void VN_03_inPlacePwriteReportsWriteWithoutExtend() throws Exception {
        Path f = newFile(dir, "f", 16);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            int writer = fds.open(f, HostOs.OpenFlag.WRITE_ONLY);
            watch(kq, fd, 0, NOTE_WRITE | NOTE_EXTEND);
            pwrite(writer, 4, 4);
            assertEquals(16, Files.size(f), "pwrite inside the file keeps its size");
            assertFflags(NOTE_WRITE, receiveOne(kq, fd, "after an in-place pwrite"));
        }
    }

    /** VN-04: watching NOTE_EXTEND only, an appending write → fflags contains NOTE_EXTEND. */
    @Test
    void VN_04_appendWithExtendOnlyWatcherContainsExtend() throws Exception {
        Path f = newFile(dir, "f", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            int writer = fds.openAppend(f);
            watch(kq, fd, 0, NOTE_EXTEND);
            append(writer, 3);
            assertContains(NOTE_EXTEND, receiveOne(kq, fd, "after an appending write"));
        }
    }

    /**
     * VN-05: {@code ftruncate} growing the file: a NOTE_ATTRIB+NOTE_EXTEND watcher gets fflags =
     * NOTE_ATTRIB; a NOTE_EXTEND-only watcher gets no event (FreeBSD's setattr posts NOTE_ATTRIB
     * only). The two knotes are on the same descriptor in two kqueues. Linux note: inotify reports
     * {@code ftruncate} as IN_MODIFY only (not IN_ATTRIB), exactly as it reports a write, so the
     * backend must tell the two apart from the file itself. The file grows from 16 bytes to 1 MiB,
     * which leaves a hole (no new blocks in {@code st_blocks}, SEEK_HOLE before the new end) that an
     * appending write would not leave; a growth inside the last allocated block could not be told
     * from an append on Linux.
     */
    @Test
    void VN_05_growingFtruncateIsAttribNotExtend() throws Exception {
        Path f = newFile(dir, "f", 16);
        try (Fds fds = new Fds(); KQueue both = KQueue.open(); KQueue extendOnly = KQueue.open()) {
            int fd = fds.open(f);
            int writer = fds.open(f, HostOs.OpenFlag.WRITE_ONLY);
            watch(both, fd, 0, NOTE_ATTRIB | NOTE_EXTEND);
            watch(extendOnly, fd, 0, NOTE_EXTEND);
            ftruncate(writer, 1 << 20);
            assertEquals(1 << 20, Files.size(f));
            assertFflags(NOTE_ATTRIB, receiveOne(both, fd, "for the NOTE_ATTRIB+NOTE_EXTEND watcher"));
            assertNoEvent(noEventWait(extendOnly), "for the NOTE_EXTEND-only watcher");
        }
    }

    /**
     * VN-06: {@code ftruncate} shrinking the file → fflags = NOTE_ATTRIB. FreeBSD has no
     * NOTE_TRUNCATE: 0x80 is NOTE_OPEN, which the knote also watches (with NOTE_WRITE and
     * NOTE_EXTEND), and none of them may be reported.
     */
    @Test
    void VN_06_shrinkingFtruncateIsAttrib() throws Exception {
        Path f = newFile(dir, "f", 4096);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            int writer = fds.open(f, HostOs.OpenFlag.WRITE_ONLY);
            watch(kq, fd, 0, NOTE_ATTRIB | NOTE_WRITE | NOTE_EXTEND | NOTE_OPEN);
            ftruncate(writer, 10);
            assertEquals(10, Files.size(f));
            assertFflags(NOTE_ATTRIB, receiveOne(kq, fd, "after a shrinking ftruncate"));
        }
    }

    /**
     * VN-07: {@code utimes}/{@code futimens} → fflags = NOTE_ATTRIB exactly. The knote watches every
     * vnode note (EV_CLEAR); {@code futimens} through another descriptor, then {@code utimensat}
     * by path, each give exactly NOTE_ATTRIB.
     */
    @Test
    void VN_07_timestampChangeIsExactlyAttrib() throws Exception {
        Path f = newFile(dir, "f", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            int other = fds.open(f);
            watch(kq, fd, EV_CLEAR, ALL_NOTES);
            futimens(other);
            assertFflags(NOTE_ATTRIB, receiveOne(kq, fd, "after futimens"));
            utimes(f);
            assertFflags(NOTE_ATTRIB, receiveOne(kq, fd, "after utimensat by path"));
        }
    }

    /** VN-08: {@code fchmod} → fflags contains NOTE_ATTRIB. */
    @Test
    void VN_08_fchmodReportsAttrib() throws Exception {
        Path f = newFile(dir, "f", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            int other = fds.open(f);
            watch(kq, fd, 0, NOTE_ATTRIB);
            fchmod(other, 0640);
            assertContains(NOTE_ATTRIB, receiveOne(kq, fd, "after fchmod"));
        }
    }

    /** VN-09: {@code fchown} to the current owner → fflags contains NOTE_ATTRIB. */
    @Test
    void VN_09_fchownToCurrentOwnerReportsAttrib() throws Exception {
        Path f = newFile(dir, "f", 8);
        int uid = (Integer) Files.getAttribute(f, "unix:uid");
        int gid = (Integer) Files.getAttribute(f, "unix:gid");
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            int other = fds.open(f);
            watch(kq, fd, 0, NOTE_ATTRIB);
            fchown(other, uid, gid);
            assertContains(NOTE_ATTRIB, receiveOne(kq, fd, "after fchown to " + uid + ":" + gid));
        }
    }

    /**
     * VN-10: {@code rename} of the file → fflags = NOTE_RENAME exactly; with EV_ONESHOT, renaming it
     * back gives no further event. The knote also watches NOTE_DELETE, NOTE_WRITE, NOTE_ATTRIB and
     * NOTE_LINK, none of which FreeBSD posts on the renamed file.
     */
    @Test
    void VN_10_renameIsExactlyRenameAndOneshotStops() throws Exception {
        Path f = newFile(dir, "f", 8);
        Path g = dir.resolve("g");
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            watch(kq, fd, EV_ONESHOT, NOTE_RENAME | NOTE_DELETE | NOTE_WRITE | NOTE_ATTRIB | NOTE_LINK);
            rename(f, g);
            assertFflags(NOTE_RENAME, receiveOne(kq, fd, "after rename"));
            rename(g, f);
            assertNoEvent(noEventWait(kq), "after renaming back (EV_ONESHOT knote already delivered)");
        }
    }

    /**
     * VN-11: unlinking the file's only name while the watch descriptor is open → fflags =
     * NOTE_DELETE exactly, at once (a poll right after {@code unlink} returned). The knote watches
     * NOTE_DELETE, NOTE_WRITE, NOTE_EXTEND, NOTE_ATTRIB, NOTE_LINK, NOTE_RENAME and NOTE_REVOKE:
     * FreeBSD posts only NOTE_DELETE on the file (macOS would add NOTE_LINK).
     */
    @Test
    void VN_11_unlinkOfLastNameIsExactlyDeleteAtOnce() throws Exception {
        Path f = newFile(dir, "f", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            watch(kq, fd, 0, NOTE_DELETE | NOTE_WRITE | NOTE_EXTEND | NOTE_ATTRIB | NOTE_LINK | NOTE_RENAME
                    | NOTE_REVOKE);
            unlink(f);
            KEvent e = single(poll(kq), "in a poll right after unlink");
            assertVnode(fd, e);
            assertFflags(NOTE_DELETE, e);
        }
    }

    /** VN-12: the target of {@code rename(src, tgt)} that is overwritten reports NOTE_DELETE. */
    @Test
    void VN_12_overwrittenRenameTargetReportsDelete() throws Exception {
        Path src = newFile(dir, "src", 8);
        Path tgt = newFile(dir, "tgt", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(tgt);
            watch(kq, fd, 0, NOTE_DELETE);
            rename(src, tgt);
            assertContains(NOTE_DELETE, receiveOne(kq, fd, "for the overwritten target"));
        }
    }

    /**
     * VN-13: watching both (NOTE_DELETE+NOTE_RENAME each), {@code rename(A, B)} over an existing B
     * gives NOTE_DELETE on B's knote and NOTE_RENAME on A's knote, in either order within the
     * array returned by one call.
     */
    @Test
    void VN_13_renameOverExistingReportsRenameAndDeleteTogether() throws Exception {
        Path a = newFile(dir, "a", 8);
        Path b = newFile(dir, "b", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fdA = fds.open(a);
            int fdB = fds.open(b);
            watch(kq, fdA, 0, NOTE_DELETE | NOTE_RENAME);
            watch(kq, fdB, 0, NOTE_DELETE | NOTE_RENAME);
            rename(a, b);
            List<KEvent> events = receive(kq);
            assertEquals(2, events.size(), () -> "one call should return both knotes: " + describe(events));
            KEvent ea = events.stream().filter(e -> e.ident() == fdA).findFirst().orElse(null);
            KEvent eb = events.stream().filter(e -> e.ident() == fdB).findFirst().orElse(null);
            assertNotNull(ea, () -> "no event for A (renamed): " + describe(events));
            assertNotNull(eb, () -> "no event for B (overwritten): " + describe(events));
            assertVnode(fdA, ea);
            assertVnode(fdB, eb);
            assertFflags(NOTE_RENAME, ea);
            assertFflags(NOTE_DELETE, eb);
        }
    }

    /** VN-14: {@code link()} adds a name → NOTE_LINK; unlinking that extra name → NOTE_LINK again. */
    @Test
    void VN_14_linkAndUnlinkOfExtraNameReportLink() throws Exception {
        Path f = newFile(dir, "f", 8);
        Path extra = dir.resolve("extra");
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            watch(kq, fd, EV_CLEAR, NOTE_LINK);
            link(f, extra);
            assertEquals(2, nlink(f));
            assertContains(NOTE_LINK, receiveOne(kq, fd, "after link()"));
            unlink(extra);
            assertEquals(1, nlink(f));
            assertContains(NOTE_LINK, receiveOne(kq, fd, "after unlinking the extra name"));
        }
    }

    /**
     * VN-15: unlinking a name that is not the last one also reports NOTE_DELETE to a NOTE_DELETE
     * watcher, although the file still has a name (FreeBSD's remove hook posts NOTE_DELETE on every
     * successful unlink).
     */
    @Test
    void VN_15_unlinkOfNonLastNameReportsDelete() throws Exception {
        Path f = newFile(dir, "f", 8);
        Path extra = dir.resolve("extra");
        link(f, extra);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            watch(kq, fd, 0, NOTE_DELETE);
            unlink(extra);
            assertTrue(Files.exists(f));
            assertEquals(1, nlink(f), "the file keeps one name");
            assertContains(NOTE_DELETE, receiveOne(kq, fd, "after unlinking a non-last name"));
        }
    }

    /**
     * VN-16: directory watched for NOTE_WRITE (EV_CLEAR): creating a file in it → NOTE_WRITE;
     * unlinking it → NOTE_WRITE. Between the two nothing is pending (the created file's own
     * open/close are not directory changes).
     */
    @Test
    void VN_16_directoryWriteOnCreateAndUnlink() throws Exception {
        Path d = dir.resolve("d");
        mkdir(d);
        Path child = d.resolve("child");
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(d);
            watch(kq, fd, EV_CLEAR, NOTE_WRITE);
            Files.createFile(child);
            assertContains(NOTE_WRITE, receiveOne(kq, fd, "after creating a file in the directory"));
            assertNoEvent(poll(kq), "before the unlink");
            unlink(child);
            assertContains(NOTE_WRITE, receiveOne(kq, fd, "after unlinking the file"));
        }
    }

    /**
     * VN-17: directory watched for NOTE_LINK (EV_CLEAR): {@code mkdir} of a subdirectory → NOTE_LINK
     * with NOTE_WRITE co-posted (fflags = NOTE_LINK+NOTE_WRITE, FreeBSD's {@code vop_mkdir_post});
     * {@code rmdir} of it → NOTE_LINK on the parent and NOTE_DELETE on a watcher of the
     * subdirectory (a read-only descriptor of it, open during the rmdir). Linux note: the
     * subdirectory's inode gets no inotify event from rmdir while a descriptor holds it
     * (IN_DELETE_SELF comes at the last close); only the parent sees IN_DELETE|IN_ISDIR.
     */
    @Test
    void VN_17_mkdirAndRmdirReportLink() throws Exception {
        Path d = dir.resolve("d");
        mkdir(d);
        Path sub = d.resolve("sub");
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(d);
            watch(kq, fd, EV_CLEAR, NOTE_LINK);
            mkdir(sub);
            assertFflags(NOTE_LINK | NOTE_WRITE, receiveOne(kq, fd, "after mkdir"));
            int subFd = fds.open(sub);
            watch(kq, subFd, EV_CLEAR, NOTE_DELETE);
            rmdir(sub);
            Map<Long, KEvent> got = collect(kq, Set.of((long) fd, (long) subFd), RECEIVE);
            KEvent parent = got.get((long) fd);
            KEvent child = got.get((long) subFd);
            assertNotNull(parent, () -> "no event for the parent after rmdir: " + describe(got));
            assertNotNull(child, () -> "no event for the removed subdirectory's watcher: " + describe(got));
            assertContains(NOTE_LINK, parent);
            assertContains(NOTE_DELETE, child);
            assertEquals(Set.of((long) fd, (long) subFd), got.keySet(), () -> "events: " + describe(got));
        }
    }

    /**
     * VN-18: renaming an entry from directory D1 to D2 → D1 and D2 both report
     * NOTE_WRITE+NOTE_EXTEND; renaming within D1 → NOTE_WRITE without NOTE_EXTEND (and nothing on
     * D2). Both directories watch NOTE_WRITE+NOTE_EXTEND with EV_CLEAR; the fflags are compared
     * whole (FreeBSD's {@code vop_rename_post} hints).
     */
    @Test
    void VN_18_crossDirectoryRenameAddsExtend() throws Exception {
        Path d1 = dir.resolve("d1");
        Path d2 = dir.resolve("d2");
        mkdir(d1);
        mkdir(d2);
        Path a = newFile(d1, "a", 8);
        Path c = newFile(d1, "c", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd1 = fds.open(d1);
            int fd2 = fds.open(d2);
            watch(kq, fd1, EV_CLEAR, NOTE_WRITE | NOTE_EXTEND);
            watch(kq, fd2, EV_CLEAR, NOTE_WRITE | NOTE_EXTEND);
            rename(a, d2.resolve("a"));
            Map<Long, KEvent> got = collect(kq, Set.of((long) fd1, (long) fd2), RECEIVE);
            assertNotNull(got.get((long) fd1), () -> "no event for D1: " + describe(got));
            assertNotNull(got.get((long) fd2), () -> "no event for D2: " + describe(got));
            assertFflags(NOTE_WRITE | NOTE_EXTEND, got.get((long) fd1));
            assertFflags(NOTE_WRITE | NOTE_EXTEND, got.get((long) fd2));
            assertNoEvent(poll(kq), "after both directories reported the cross-directory rename");

            rename(c, d1.resolve("e"));
            assertFflags(NOTE_WRITE, receiveOne(kq, fd1, "for D1 after a rename within D1"));
            assertNoEvent(noEventWait(kq), "for D2 after a rename within D1");
        }
    }

    /**
     * VN-19: activity accumulates until retrieval: {@code futimens} then an appending write before
     * the poll → one event with fflags = NOTE_ATTRIB+NOTE_WRITE+NOTE_EXTEND.
     */
    @Test
    void VN_19_activityAccumulatesUntilRetrieval() throws Exception {
        Path f = newFile(dir, "f", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            int writer = fds.openAppend(f);
            watch(kq, fd, 0, NOTE_ATTRIB | NOTE_WRITE | NOTE_EXTEND);
            futimens(writer);
            append(writer, 4);
            assertFflags(NOTE_ATTRIB | NOTE_WRITE | NOTE_EXTEND, receiveOne(kq, fd, "after futimens + append"));
        }
    }

    /**
     * VN-20: without EV_CLEAR/EV_ONESHOT/EV_DISPATCH the accumulated fflags are returned by every
     * poll until the knote is cleared or deleted: after {@code futimens}, NOTE_ATTRIB comes back in
     * every poll; an appending write then adds NOTE_WRITE+NOTE_EXTEND to what every poll returns;
     * after EV_DELETE nothing comes. (For the second change the already-active knote is read again
     * for up to 1 s until the new bits show, per the suite's "visible after a short wait".)
     */
    @Test
    void VN_20_levelTriggeredKnoteKeepsReturningAccumulatedFflags() throws Exception {
        Path f = newFile(dir, "f", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            int writer = fds.openAppend(f);
            watch(kq, fd, 0, NOTE_ATTRIB | NOTE_WRITE | NOTE_EXTEND);
            futimens(writer);
            assertFflags(NOTE_ATTRIB, receiveOne(kq, fd, "after futimens"));
            for (int i = 0; i < 3; i++) {
                KEvent again = single(poll(kq), "in poll " + (i + 1) + " after the first retrieval");
                assertVnode(fd, again);
                assertFflags(NOTE_ATTRIB, again);
            }
            append(writer, 4);
            int all = NOTE_ATTRIB | NOTE_WRITE | NOTE_EXTEND;
            KEvent grown = null;
            long deadline = System.nanoTime() + RECEIVE.toNanos();
            while (System.nanoTime() < deadline) {
                grown = single(receive(kq), "after the appending write");
                if (grown.fflags() == all) {
                    break;
                }
                Thread.sleep(10);
            }
            assertNotNull(grown);
            assertVnode(fd, grown);
            assertFflags(all, grown);
            for (int i = 0; i < 3; i++) {
                KEvent again = single(poll(kq), "in poll " + (i + 1) + " after the accumulated retrieval");
                assertVnode(fd, again);
                assertFflags(all, again);
            }
            apply(kq, ch(fd, EVFILT_VNODE, EV_DELETE));
            assertNoEvent(poll(kq), "after EV_DELETE");
        }
    }

    /** VN-21: with EV_CLEAR, after an event a poll returns 0 until the next change, which fires again. */
    @Test
    void VN_21_clearRearmsForTheNextChange() throws Exception {
        Path f = newFile(dir, "f", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            int other = fds.open(f);
            watch(kq, fd, EV_CLEAR, NOTE_ATTRIB);
            futimens(other);
            assertContains(NOTE_ATTRIB, receiveOne(kq, fd, "after the first futimens"));
            assertNoEvent(poll(kq), "after the EV_CLEAR event was returned (poll)");
            assertNoEvent(noEventWait(kq), "after the EV_CLEAR event was returned (wait 100 ms)");
            futimens(other);
            assertContains(NOTE_ATTRIB, receiveOne(kq, fd, "after the second futimens"));
        }
    }

    /**
     * VN-22: a re-add with different fflags replaces the watched set: registered NOTE_ATTRIB,
     * re-added NOTE_WRITE, then {@code futimens} → no event. (An appending write afterwards does
     * fire, showing the knote is still registered with the new set.)
     */
    @Test
    void VN_22_readdReplacesWatchedSet() throws Exception {
        Path f = newFile(dir, "f", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            int writer = fds.openAppend(f);
            watch(kq, fd, 0, NOTE_ATTRIB);
            watch(kq, fd, 0, NOTE_WRITE);
            futimens(writer);
            assertNoEvent(noEventWait(kq), "after futimens with only NOTE_WRITE watched");
            append(writer, 2);
            assertContains(NOTE_WRITE, receiveOne(kq, fd, "after an appending write"));
        }
    }

    /**
     * VN-23: co-posted bits: a change that is not watched at all gives no event ({@code futimens}
     * with only NOTE_WRITE watched → no event), but a watched change reports every bit posted with
     * it (an appending write → NOTE_WRITE+NOTE_EXTEND, as VN-02).
     */
    @Test
    void VN_23_unwatchedChangeIsSilentWatchedChangeCarriesCoPostedBits() throws Exception {
        Path f = newFile(dir, "f", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            int writer = fds.openAppend(f);
            watch(kq, fd, 0, NOTE_WRITE);
            futimens(writer);
            assertNoEvent(noEventWait(kq), "after futimens with only NOTE_WRITE watched");
            append(writer, 2);
            assertFflags(NOTE_WRITE | NOTE_EXTEND, receiveOne(kq, fd, "after an appending write"));
        }
    }

    /**
     * VN-24: closing the watched descriptor while the knote is armed does not crash, and the knote
     * is removed (KQ-49): no event for it afterwards, EV_DELETE of the number → EBADF, and → ENOENT
     * once the number is reused by a new descriptor of the same file, on which a new knote works.
     */
    @Test
    void VN_24_closingWatchedDescriptorRemovesKnote() throws Exception {
        Path f = newFile(dir, "f", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int other = fds.open(f);
            int fd = fds.open(f);
            watch(kq, fd, 0, NOTE_ATTRIB | NOTE_WRITE | NOTE_DELETE);
            fds.close(fd);
            futimens(other);
            assertNoEvent(noEventWait(kq), "after closing the watched descriptor and changing the file");
            assertEquals(Errno.EBADF, applyFails(kq, ch(fd, EVFILT_VNODE, EV_DELETE)), "EV_DELETE of the closed number");

            int reused = -1;
            for (int i = 0; i < 50 && reused != fd; i++) {
                reused = fds.open(f);
            }
            assertEquals(fd, reused, "the closed number should be reused by a new open");
            assertEquals(Errno.ENOENT, applyFails(kq, ch(fd, EVFILT_VNODE, EV_DELETE)),
                    "EV_DELETE of the reused number");
            watch(kq, fd, EV_CLEAR, NOTE_ATTRIB);
            futimens(other);
            assertContains(NOTE_ATTRIB, receiveOne(kq, fd, "for a new knote on the reused number"));
        }
    }

    /**
     * VN-25: EVFILT_VNODE on a pipe or a socket → EINVAL: with nevents = 0 the call fails with
     * EINVAL; with room it returns an EV_ERROR entry with data = EINVAL. Checked for both pipe ends
     * and an AF_UNIX stream socket.
     */
    @Test
    void VN_25_pipeOrSocketIsRejected() throws Exception {
        int[] p = Os.pipe();
        int[] s = Os.socketpair();
        try (KQueue kq = KQueue.open()) {
            for (int fd : new int[] {p[0], p[1], s[0]}) {
                assertEquals(Errno.EINVAL, applyFails(kq, ch(fd, EVFILT_VNODE, EV_ADD, NOTE_WRITE)),
                        "EV_ADD on descriptor " + fd + " with nevents = 0");
                List<KEvent> out = applyWithRoom(kq, 1, ch(fd, EVFILT_VNODE, EV_ADD, NOTE_WRITE, 0, 77));
                KEvent e = single(out, "(EV_ERROR entry) for descriptor " + fd);
                assertVnode(fd, e);
                assertTrue((e.flags() & EV_ERROR) != 0, () -> "EV_ERROR missing: " + describe(e));
                assertEquals(Errno.EINVAL.value(), e.data(), () -> "data of " + describe(e));
            }
            assertNoEvent(poll(kq), "after the refused changes");
        } finally {
            Os.closeQuietly(p);
            Os.closeQuietly(s);
        }
    }

    /** VN-26: NOTE_OPEN: another {@code open()} of the file → fflags contains NOTE_OPEN. */
    @Test
    void VN_26_openReportsNoteOpen() throws Exception {
        Path f = newFile(dir, "f", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            watch(kq, fd, 0, NOTE_OPEN);
            fds.open(f, HostOs.OpenFlag.READ_ONLY);
            assertContains(NOTE_OPEN, receiveOne(kq, fd, "after another open()"));
        }
    }

    /**
     * VN-27: NOTE_CLOSE: closing a read-only descriptor of the file → NOTE_CLOSE. The knote watches
     * NOTE_CLOSE+NOTE_CLOSE_WRITE and gets exactly NOTE_CLOSE.
     */
    @Test
    void VN_27_closingReadOnlyDescriptorReportsClose() throws Exception {
        Path f = newFile(dir, "f", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            int reader = fds.open(f, HostOs.OpenFlag.READ_ONLY);
            watch(kq, fd, 0, NOTE_CLOSE | NOTE_CLOSE_WRITE);
            fds.close(reader);
            assertFflags(NOTE_CLOSE, receiveOne(kq, fd, "after closing a read-only descriptor"));
        }
    }

    /**
     * VN-28: NOTE_CLOSE_WRITE: closing a writable descriptor of the file → NOTE_CLOSE_WRITE. The
     * knote watches NOTE_CLOSE+NOTE_CLOSE_WRITE and gets exactly NOTE_CLOSE_WRITE.
     */
    @Test
    void VN_28_closingWritableDescriptorReportsCloseWrite() throws Exception {
        Path f = newFile(dir, "f", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            int writer = fds.open(f, HostOs.OpenFlag.WRITE_ONLY);
            watch(kq, fd, 0, NOTE_CLOSE | NOTE_CLOSE_WRITE);
            fds.close(writer);
            assertFflags(NOTE_CLOSE_WRITE, receiveOne(kq, fd, "after closing a writable descriptor"));
        }
    }

    /**
     * VN-29: NOTE_READ: {@code read()} of the file, or reading a watched directory's entries →
     * NOTE_READ. The file is read through another descriptor; the directory is listed with
     * {@link Files#list} (opendir/getdents).
     */
    @Test
    void VN_29_readAndDirectoryListingReportRead() throws Exception {
        Path d = dir.resolve("d");
        mkdir(d);
        Path f = newFile(d, "f", 100);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            int reader = fds.open(f, HostOs.OpenFlag.READ_ONLY);
            watch(kq, fd, EV_CLEAR, NOTE_READ);
            assertEquals(10, read(reader, 10));
            assertContains(NOTE_READ, receiveOne(kq, fd, "after read()"));

            int dirFd = fds.open(d);
            watch(kq, dirFd, EV_CLEAR, NOTE_READ);
            try (Stream<Path> entries = Files.list(d)) {
                assertEquals(List.of(f), entries.toList());
            }
            assertContains(NOTE_READ, receiveOne(kq, dirFd, "after reading the directory's entries"));
        }
    }

    /**
     * VN-30 (priv): NOTE_REVOKE: forced unmount of the file system holding the file → fflags
     * contains NOTE_REVOKE and flags contain EV_EOF. A tmpfs is mounted on a temporary directory,
     * a file in it is watched (NOTE_REVOKE), and {@code umount -l} detaches it while the watch
     * descriptor is open (Linux refuses {@code umount -f} of a busy tmpfs with EBUSY). Skipped when
     * {@code mount} fails (needs CAP_SYS_ADMIN). Linux note: inotify sends IN_UNMOUNT only when the
     * superblock goes away, i.e. after the last descriptor (here: the watch descriptor) is closed;
     * the detach itself is visible as POLLPRI on {@code /proc/self/mountinfo} and as the
     * descriptor's {@code mnt_id} (fdinfo) no longer listed there.
     */
    @Test
    void VN_30_forcedUnmountReportsRevokeWithEof() throws Exception {
        Path mnt = dir.resolve("mnt");
        mkdir(mnt);
        Run mount = run("mount", "-t", "tmpfs", "none", mnt.toString());
        assumeTrue(mount.exitCode() == 0,
                "mount -t tmpfs failed (exit " + mount.exitCode() + ": " + mount.output()
                        + "): mounting needs CAP_SYS_ADMIN");
        boolean mounted = true;
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            Path f = newFile(mnt, "f", 8);
            int fd = fds.open(f);
            watch(kq, fd, 0, NOTE_REVOKE);
            Run umount = run("umount", "-l", mnt.toString());
            assertEquals(0, umount.exitCode(), () -> "umount -l: " + umount.output());
            mounted = false;
            KEvent e = receiveOne(kq, fd, "after the unmount");
            assertContains(NOTE_REVOKE, e);
            assertTrue((e.flags() & EV_EOF) != 0, () -> "EV_EOF missing: " + describe(e));
        } finally {
            if (mounted) {
                run("umount", "-l", mnt.toString());
            }
        }
    }

    /**
     * VN-31: fflags = 0 is accepted and never fires: EV_ADD succeeds; writes, an extension, a
     * timestamp and mode change, link/unlink of a second name, a rename and back, an open, a read,
     * closes and finally the unlink of the file give no event; EV_DELETE then finds the knote.
     */
    @Test
    void VN_31_zeroFflagsAcceptedAndNeverFires() throws Exception {
        Path f = newFile(dir, "f", 8);
        Path g = dir.resolve("g");
        Path extra = dir.resolve("extra");
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            int writer = fds.openAppend(f);
            watch(kq, fd, 0, 0);
            append(writer, 4);
            pwrite(writer, 2, 0);
            futimens(writer);
            fchmod(writer, 0640);
            link(f, extra);
            unlink(extra);
            rename(f, g);
            rename(g, f);
            int reader = fds.open(f, HostOs.OpenFlag.READ_ONLY);
            assertEquals(8, read(reader, 8));
            fds.close(reader);
            fds.close(writer);
            unlink(f);
            assertNoEvent(noEventWait(kq), "for a knote with fflags = 0");
            apply(kq, ch(fd, EVFILT_VNODE, EV_DELETE));
        }
    }

    /**
     * VN-32: a file that was unlinked while open can still be watched: EV_ADD succeeds and a later
     * {@code futimens} through the descriptor gives NOTE_ATTRIB. The knote watches
     * NOTE_ATTRIB+NOTE_DELETE and gets exactly NOTE_ATTRIB: the unlink happened before the knote
     * existed, and a timestamp change is not a removal.
     */
    @Test
    void VN_32_unlinkedOpenFileCanBeWatched() throws Exception {
        Path f = newFile(dir, "f", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            unlink(f);
            assertFalse(Files.exists(f));
            watch(kq, fd, 0, NOTE_ATTRIB | NOTE_DELETE);
            assertNoEvent(poll(kq), "right after EV_ADD on the unlinked file");
            futimens(fd);
            assertFflags(NOTE_ATTRIB, receiveOne(kq, fd, "after futimens through the descriptor"));
        }
    }

    /** VN-33: changes made by another process (a child running {@code touch}) are reported. */
    @Test
    void VN_33_changeByChildProcessIsReported() throws Exception {
        Path f = newFile(dir, "f", 8);
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            watch(kq, fd, 0, NOTE_ATTRIB);
            Run touch = run("touch", f.toString());
            assertEquals(0, touch.exitCode(), () -> "touch: " + touch.output());
            assertContains(NOTE_ATTRIB, receiveOne(kq, fd, "after a child ran touch"));
        }
    }

    /**
     * VN-34: data is 0 in every vnode event. A file knote watching every note (EV_CLEAR) and a
     * directory knote watching NOTE_WRITE+NOTE_LINK (EV_CLEAR) go through a write, a timestamp
     * change, link, rename, open, read, close, and the unlinks; every step must produce at least
     * one event and every event has data = 0.
     */
    @Test
    void VN_34_dataIsAlwaysZero() throws Exception {
        Path d = dir.resolve("d");
        mkdir(d);
        Path f = newFile(d, "f", 8);
        Path extra = d.resolve("extra");
        Path moved = d.resolve("moved");
        try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
            int fd = fds.open(f);
            int dirFd = fds.open(d);
            int writer = fds.openAppend(f);
            watch(kq, fd, EV_CLEAR, ALL_NOTES);
            watch(kq, dirFd, EV_CLEAR, NOTE_WRITE | NOTE_LINK);
            List<KEvent> all = new ArrayList<>();
            String[] steps = {"append", "futimens", "link", "rename", "open", "read", "close", "unlink extra",
                "unlink last name"};
            int[] reader = new int[1];
            for (String step : steps) {
                switch (step) {
                    case "append" -> append(writer, 4);
                    case "futimens" -> futimens(writer);
                    case "link" -> link(f, extra);
                    case "rename" -> rename(f, moved);
                    case "open" -> reader[0] = fds.open(moved, HostOs.OpenFlag.READ_ONLY);
                    case "read" -> assertEquals(4, read(reader[0], 4));
                    case "close" -> fds.close(reader[0]);
                    case "unlink extra" -> unlink(extra);
                    case "unlink last name" -> unlink(moved);
                    default -> throw new IllegalStateException(step);
                }
                List<KEvent> got = receive(kq);
                assertFalse(got.isEmpty(), "no event after step '" + step + "'");
                for (KEvent e : got) {
                    assertEquals(0, e.data(), () -> "data after step '" + step + "': " + describe(e));
                }
                all.addAll(got);
            }
            for (KEvent e : all) {
                assertEquals(EVFILT_VNODE, e.filter(), () -> describe(e));
            }
        }
    }

    /**
     * VN-35: two descriptors of the same file each with a knote: one change fires both. Checked for
     * a {@code dup} of the watch descriptor and for two opens through two hard links (each pair in
     * its own kqueue, NOTE_ATTRIB with EV_CLEAR; the change is one {@code futimens}).
     */
    @Test
    void VN_35_twoDescriptorsOfOneFileBothFire() throws Exception {
        Path f = newFile(dir, "f", 8);
        Path g = dir.resolve("g");
        link(f, g);
        try (Fds fds = new Fds(); KQueue dupQueue = KQueue.open(); KQueue linkQueue = KQueue.open()) {
            int other = fds.open(f);
            int fd = fds.open(f);
            int dup = fds.track(Os.dup(fd));
            int viaF = fds.open(f);
            int viaG = fds.open(g);
            watch(dupQueue, fd, EV_CLEAR, NOTE_ATTRIB);
            watch(dupQueue, dup, EV_CLEAR, NOTE_ATTRIB);
            watch(linkQueue, viaF, EV_CLEAR, NOTE_ATTRIB);
            watch(linkQueue, viaG, EV_CLEAR, NOTE_ATTRIB);
            futimens(other);
            assertBothFire(dupQueue, fd, dup, "a dup");
            assertBothFire(linkQueue, viaF, viaG, "opens through two hard links");
        }
    }

    /** Repetitions of each VN-36 sequence: its outcome must not depend on timing. */
    private static final int VN_36_RUNS = 20;

    /**
     * VN-36: activity is judged by the fflags in force when it happens. An EV_CLEAR knote watching
     * NOTE_WRITE, an appending write, then EV_ADD of the same knote with NOTE_ATTRIB before any
     * call collects → one event with NOTE_WRITE and NOTE_EXTEND (FreeBSD's filt_vfsvnode records
     * the write's hint at the write, with the fflags of that moment; the later EV_ADD replaces
     * sfflags but keeps the recorded fflags). Repeated 20 times.
     */
    @Test
    void VN_36_writeRecordedBeforeAChangeIsNotLost() throws Exception {
        for (int run = 0; run < VN_36_RUNS; run++) {
            Path f = newFile(dir, "f" + run, 8);
            try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
                int fd = fds.open(f);
                int writer = fds.openAppend(f);
                watch(kq, fd, EV_CLEAR, NOTE_WRITE);
                append(writer, 5);
                watch(kq, fd, EV_CLEAR, NOTE_ATTRIB);
                KEvent e = receiveOne(kq, fd, "run " + run + ": the write recorded before the change");
                assertFflags(NOTE_WRITE | NOTE_EXTEND, e);
                assertNoEvent(noEventWait(kq), "run " + run + ": after the write's event");
            }
        }
    }

    /**
     * VN-36, the converse: a knote watching NOTE_ATTRIB only, an appending write, then EV_ADD
     * with NOTE_WRITE before any call collects → no event: the write happened while nobody asked
     * for it (judged then with NOTE_ATTRIB, it recorded nothing). Repeated 20 times.
     */
    @Test
    void VN_36_writeBeforeItWasAskedForIsNotReported() throws Exception {
        for (int run = 0; run < VN_36_RUNS; run++) {
            Path f = newFile(dir, "g" + run, 8);
            try (Fds fds = new Fds(); KQueue kq = KQueue.open()) {
                int fd = fds.open(f);
                int writer = fds.openAppend(f);
                watch(kq, fd, EV_CLEAR, NOTE_ATTRIB);
                append(writer, 5);
                watch(kq, fd, EV_CLEAR, NOTE_WRITE);
                assertNoEvent(noEventWait(kq), "run " + run + ": a write made while only NOTE_ATTRIB was asked");
                append(writer, 1);
                assertFflags(NOTE_WRITE | NOTE_EXTEND, receiveOne(kq, fd, "run " + run + ": a write after the change"));
            }
        }
    }
}
