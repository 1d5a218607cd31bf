package io.github.kqueueffm.properties;

import io.github.kqueueffm.properties.model.NoteKnote;
import io.github.kqueueffm.tests.support.HostOs;
import io.github.kqueueffm.tests.support.VnodeSupport;
import io.github.kqueueffm.tests.support.VnodeSupport.Fds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.github.kqueueffm.KEvent.EVFILT_VNODE;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.NOTE_ATTRIB;
import static io.github.kqueueffm.KEvent.NOTE_DELETE;
import static io.github.kqueueffm.KEvent.NOTE_EXTEND;
import static io.github.kqueueffm.KEvent.NOTE_LINK;
import static io.github.kqueueffm.KEvent.NOTE_WRITE;

/**
 * Runs one fflags sequence on a fresh regular file watched by one EV_CLEAR EVFILT_VNODE knote, and
 * the {@link NoteKnote} model beside it. Each file step is one system call through another
 * descriptor or a path, and posts to the model the notifications the VN rows give for it; the
 * {@link VnodeSteering} skips the steps that would meet an open divergence. The sequence ends with
 * a collection.
 */
final class VnodeFflagsRunner {
    /** Bytes the file starts with: every pwrite stays inside it. */
    private static final int INITIAL_SIZE = 64;

    private final Path dir;
    private int serial;

    /** @param dir where each sequence makes its file (and the file's second name) */
    VnodeFflagsRunner(Path dir) {
        this.dir = dir;
    }

    /**
     * Runs a sequence.
     *
     * @param sequence the sequence
     * @return the kevent calls made
     * @throws AssertionError on the first difference from the model, with the trace
     */
    int run(FflagsSequence sequence) {
        int n = serial++;
        Path file = dir.resolve("f" + n);
        Path second = dir.resolve("g" + n);
        try {
            Files.write(file, new byte[INITIAL_SIZE]);
            return run(sequence, file, second);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(second);
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the temporary directory goes at the end
            }
        }
    }

    private static int run(FflagsSequence sequence, Path file, Path second) throws IOException {
        // every descriptor is opened before the knote exists: their opens are not activity
        try (Fds fds = new Fds()) {
            int fd = fds.open(file);
            int appender = fds.openAppend(file);
            int writer = fds.open(file, HostOs.OpenFlag.WRITE_ONLY);
            try (KnoteCheck check = new KnoteCheck(fd, EVFILT_VNODE, sequence.fflags())) {
                check.add(EV_CLEAR);
                NoteKnote model = check.model();
                VnodeSteering steering = new VnodeSteering(sequence.fflags());
                long size = INITIAL_SIZE;
                boolean linked = false;
                int chmods = 0;
                for (FflagsStep step : sequence.steps()) {
                    if (step instanceof FflagsStep.Nop) {
                        continue;
                    }
                    if (step instanceof FflagsStep.Change c) {
                        check.change(c);
                        steering.changed(c.fflags());
                        continue;
                    }
                    if (step instanceof FflagsStep.Collect c) {
                        check.collect(c.idleMillis());
                        steering.kevent();
                        continue;
                    }
                    VnodeSteering.Known skip = steering.skip(step, model.sfflags());
                    if (skip != null) {
                        check.note(step + ": skipped (" + skip + ")");
                        continue;
                    }
                    steering.performed(step);
                    String done = step.toString();
                    switch (step) {
                        case FflagsStep.Append a -> {
                            int bytes = VnodeSteering.appendSize(size, a.bytes());
                            VnodeSupport.append(appender, bytes);
                            size += bytes;
                            done += bytes != a.bytes() ? " (" + bytes + " appended)" : "";
                            model.post(NOTE_WRITE | NOTE_EXTEND); // VN-02: one notification
                        }
                        case FflagsStep.Pwrite p -> {
                            VnodeSupport.pwrite(writer, p.bytes(), 0);
                            model.post(NOTE_WRITE); // VN-03
                        }
                        case FflagsStep.Attrib a -> {
                            if (a.chmod()) {
                                VnodeSupport.fchmod(writer, chmods++ % 2 == 0 ? 0640 : 0600);
                            } else {
                                VnodeSupport.futimens(writer);
                            }
                            model.post(NOTE_ATTRIB); // VN-07, VN-08
                        }
                        case FflagsStep.Link l -> {
                            if (linked) {
                                VnodeSupport.unlink(second);
                                // two notifications, as the emulation maps a fall of st_nlink that
                                // leaves a name: NOTE_DELETE (VN-15), then NOTE_LINK (VN-14)
                                model.post(NOTE_DELETE);
                                model.post(NOTE_LINK);
                                done = "unlink second name";
                            } else {
                                VnodeSupport.link(file, second);
                                model.post(NOTE_LINK); // VN-14
                                done = "link second name";
                            }
                            linked = !linked;
                        }
                        default -> throw new IllegalArgumentException("not a vnode step: " + step);
                    }
                    check.note(done);
                }
                check.collect(0);
                return check.kevents();
            }
        }
    }
}
