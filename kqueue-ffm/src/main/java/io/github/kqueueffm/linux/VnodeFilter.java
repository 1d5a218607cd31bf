package io.github.kqueueffm.linux;

import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.Knote;
import io.github.kqueueffm.emul.DescriptorFilter;
import io.github.kqueueffm.emul.Errors;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.github.kqueueffm.KEvent.EV_EOF;
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
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_ACCESS;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_ATTRIB;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_CLOSE_NOWRITE;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_CLOSE_WRITE;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_CREATE;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_DELETE;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_DELETE_SELF;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_ISDIR;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_MODIFY;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_MOVED_FROM;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_MOVED_TO;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_MOVE_SELF;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_OPEN;
import static io.github.kqueueffm.bindings.linux.LinuxConstants.IN_UNMOUNT;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.STAT_BLKSIZE;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.STAT_BLOCKS;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.STAT_NLINK;

/**
 * EVFILT_VNODE over the kqueue's one inotify instance: a watch on {@code /proc/self/fd/N} per
 * watched inode (shared by every knote on it), inotify's events mapped to FreeBSD's notes. Link
 * count and size are tracked per knote so an unlink (st_nlink fell) gives NOTE_DELETE and
 * NOTE_LINK, a link NOTE_LINK, an extending write NOTE_WRITE+NOTE_EXTEND, a shrinking truncate
 * NOTE_ATTRIB. As on FreeBSD, a notification is reported when any of its notes is watched, with
 * all of them (co-posting); the notes accumulate until the event is retrieved.
 */
final class VnodeFilter extends DescriptorFilter<FdInterest, VnodeFilter.Vnode> {
    /** A vnode knote's side: what it last saw of its file; guarded by the kqueue's lock. */
    final class Vnode extends DescriptorFilter.Side<FdInterest> implements Inotify.Watcher {
        /** st_size when the knote last looked: a growth is NOTE_EXTEND, a shrink a truncate. */
        long size;
        /** st_nlink when the knote last looked: a fall is an unlink, a rise a link. */
        long links;
        /** st_blocks when the knote last looked: a growth without new blocks is a truncate. */
        long blocks;
        /** st_blksize: the file system's allocation unit, for telling a hole from a write. */
        long blockSize = 4096;
        /** The mount the file is on (fdinfo mnt_id), or −1. */
        long mountId = -1;
        /** The inotify watch, or −1. */
        int watch = -1;

        Vnode(FdInterest descriptor, Knote knote) {
            super(descriptor, knote);
        }

        @Override
        public void inotify(int mask, boolean named, boolean sameDirectoryMove) {
            onInotify(this, mask, named, sameDirectoryMove);
        }
    }

    private final FdTable fds;
    private final Scratch scratch;
    private final Inotify inotify;
    private final Mounts mounts;
    /** Every vnode knote, for the checks no inotify event of their own triggers; guarded by the kqueue's lock. */
    private final List<Vnode> vnodes = new ArrayList<>();

    VnodeFilter(KQueueCore core, FdTable fds, Scratch scratch, Inotify inotify, InternalSources sources) {
        super(core, fds);
        this.fds = fds;
        this.scratch = scratch;
        this.inotify = inotify;
        this.mounts = new Mounts(sources, this::mountsChanged);
    }

    @Override
    protected int accepts(FdInterest rec) {
        return switch (rec.kind) {
            case REGULAR, DIRECTORY, OTHER -> 0;
            default -> -Errors.EINVAL; // sockets, pipes, kqueues, pidfds, eventfds have no vnode
        };
    }

    @Override
    protected Vnode newSide(FdInterest rec, Knote kn) {
        return new Vnode(rec, kn);
    }

    @Override
    protected void slot(FdInterest rec, Vnode side) {
        rec.vnode = side;
    }

    @Override
    protected int prepare(Vnode side) {
        FdInterest rec = side.descriptor;
        String mount = FdInfo.field(FdInfo.read(rec.fd), "mnt_id");
        side.mountId = mount == null ? -1 : Long.parseLong(mount.trim());
        int error = watch(side);
        if (error == 0) {
            vnodes.add(side);
            mounts.watch();
        }
        return error;
    }

    /**
     * Linux tells a removed directory nothing while a descriptor holds it (its parent gets
     * IN_DELETE): after such an event every watched directory's link count is checked.
     */
    void recheckDirectories() {
        for (Vnode side : vnodes) {
            FdInterest rec = side.descriptor;
            if (rec.kind == DescriptorKind.DIRECTORY && scratch.fstat(rec.fd) == 0
                    && scratch.stat.get(ValueLayout.JAVA_LONG, STAT_NLINK) == 0 && side.links > 0) {
                side.links = 0;
                post(side.knote, NOTE_DELETE);
            }
        }
    }

    /**
     * The mount table changed: a knote whose file system is no longer mounted is revoked
     * (NOTE_REVOKE with EV_EOF). IN_UNMOUNT arrives only once the last descriptor is closed.
     */
    private void mountsChanged(Set<Long> mounted) {
        for (Vnode side : vnodes) {
            Knote kn = side.knote;
            if (side.mountId >= 0 && !mounted.contains(side.mountId) && (kn.flags & EV_EOF) == 0) {
                kn.flags |= EV_EOF;
                post(kn, NOTE_REVOKE);
                core.activate(kn);
            }
        }
    }

    /** Watches the notes the knote asks for; returns 0 or −errno. */
    private int watch(Vnode side) {
        int mask = inotifyMask(side.knote.sfflags);
        if (mask == 0) {
            return 0; // fflags 0: accepted, never fires (VN-31)
        }
        boolean first = side.watch < 0;
        int wd = inotify.add(side.descriptor.fd, mask, side);
        if (wd < 0) {
            return wd;
        }
        if (side.watch >= 0 && side.watch != wd) {
            inotify.remove(side.watch, side);
        }
        side.watch = wd;
        if (first) {
            snapshot(side); // what later events are compared with: now, not when the knote was added
        }
        return 0;
    }

    /** Size, links and blocks as they are now, read after the watch exists so no change is missed. */
    private void snapshot(Vnode side) {
        if (scratch.fstat(side.descriptor.fd) == 0) {
            side.size = scratch.statSize();
            side.links = scratch.stat.get(ValueLayout.JAVA_LONG, STAT_NLINK);
            side.blocks = scratch.stat.get(ValueLayout.JAVA_LONG, STAT_BLOCKS);
            side.blockSize = Math.max(512, scratch.stat.get(ValueLayout.JAVA_INT, STAT_BLKSIZE));
        }
    }

    @Override
    protected void release(Vnode side) {
        vnodes.remove(side);
        if (side.watch >= 0) {
            inotify.remove(side.watch, side);
            side.watch = -1;
        }
    }

    /**
     * Before a change replaces sfflags: the inotify events already queued are mapped to notes
     * with the sfflags in force (VN-36). One read per change of an existing knote.
     */
    @Override
    public void collectPending(Knote kn) {
        assert core.holdsLock();
        inotify.collect();
    }

    @Override
    public void changed(Knote kn) {
        assert core.holdsLock();
        watch(side(kn)); // a re-add may watch more notes; unwatched ones are filtered
    }

    @Override
    protected boolean evaluate(Knote kn, Vnode side) {
        if (!fds.stillSameFile(side.descriptor)) {
            return gone(kn); // closed, or the number now names another file
        }
        return kn.fflags != 0 || (kn.flags & EV_EOF) != 0;
    }

    /** The inotify events needed for a set of notes. */
    static int inotifyMask(int notes) {
        int mask = 0;
        if ((notes & (NOTE_DELETE | NOTE_WRITE | NOTE_EXTEND | NOTE_ATTRIB | NOTE_LINK)) != 0) {
            mask |= IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO;
        }
        if ((notes & NOTE_RENAME) != 0) {
            mask |= IN_MOVE_SELF;
        }
        if ((notes & NOTE_OPEN) != 0) {
            mask |= IN_OPEN;
        }
        if ((notes & NOTE_CLOSE) != 0) {
            mask |= IN_CLOSE_NOWRITE;
        }
        if ((notes & NOTE_CLOSE_WRITE) != 0) {
            mask |= IN_CLOSE_WRITE;
        }
        if ((notes & NOTE_READ) != 0) {
            mask |= IN_ACCESS;
        }
        if ((notes & NOTE_REVOKE) != 0 && mask == 0) {
            mask |= IN_MOVE_SELF; // any watch delivers IN_UNMOUNT
        }
        return mask;
    }

    /** One inotify event on a watch this knote shares, mapped to its notes. */
    private void onInotify(Vnode side, int mask, boolean named, boolean sameDirectoryMove) {
        Knote kn = side.knote;
        FdInterest rec = side.descriptor;
        if ((mask & IN_UNMOUNT) != 0) {
            kn.flags |= EV_EOF;
            post(kn, NOTE_REVOKE);
            core.activate(kn);
            return;
        }
        if (named) {
            boolean dir = (mask & IN_ISDIR) != 0;
            if ((mask & (IN_CREATE | IN_DELETE)) != 0) {
                post(kn, dir ? NOTE_WRITE | NOTE_LINK : NOTE_WRITE);
            }
            if ((mask & (IN_MOVED_FROM | IN_MOVED_TO)) != 0) {
                post(kn, sameDirectoryMove ? NOTE_WRITE : NOTE_WRITE | NOTE_EXTEND | (dir ? NOTE_LINK : 0));
            }
            return; // reads, writes and opens of entries are not the directory's own
        }
        if ((mask & IN_MODIFY) != 0 && scratch.fstat(rec.fd) == 0) {
            fds.statTaken(rec); // the scan's identity check, if this is still the file
            long size = scratch.statSize();
            long blocks = scratch.stat.get(ValueLayout.JAVA_LONG, STAT_BLOCKS);
            if (size < side.size
                    || (size > side.size && blocks <= side.blocks && grewPastLastBlock(side.size, size, side.blockSize))) {
                // a truncation: Linux reports it as IN_MODIFY like a write; a shrink, or a growth
                // that allocated nothing (a hole), is setattr's NOTE_ATTRIB on FreeBSD
                post(kn, NOTE_ATTRIB);
            } else {
                post(kn, size > side.size ? NOTE_WRITE | NOTE_EXTEND : NOTE_WRITE);
            }
            side.size = size;
            side.blocks = blocks;
        }
        if ((mask & IN_ATTRIB) != 0 && scratch.fstat(rec.fd) == 0) {
            fds.statTaken(rec);
            long links = scratch.stat.get(ValueLayout.JAVA_LONG, STAT_NLINK);
            if (links < side.links) {
                post(kn, NOTE_DELETE);
                if (links > 0) {
                    post(kn, NOTE_LINK); // a name went but the file keeps others
                }
            } else if (links > side.links) {
                post(kn, NOTE_LINK);
            } else {
                post(kn, NOTE_ATTRIB);
            }
            side.links = links;
        }
        if ((mask & IN_DELETE_SELF) != 0) {
            post(kn, NOTE_DELETE);
        }
        if ((mask & IN_MOVE_SELF) != 0) {
            post(kn, NOTE_RENAME);
        }
        if ((mask & IN_OPEN) != 0) {
            post(kn, NOTE_OPEN);
        }
        if ((mask & IN_CLOSE_NOWRITE) != 0) {
            post(kn, NOTE_CLOSE);
        }
        if ((mask & IN_CLOSE_WRITE) != 0) {
            post(kn, NOTE_CLOSE_WRITE);
        }
        if ((mask & IN_ACCESS) != 0) {
            post(kn, NOTE_READ);
        }
    }

    /**
     * Whether growing from {@code from} to {@code to} bytes needs a new block of the file system
     * ({@code st_blksize}): an append that stays inside the last block allocates nothing.
     */
    private static boolean grewPastLastBlock(long from, long to, long blockSize) {
        return (to + blockSize - 1) / blockSize > (from + blockSize - 1) / blockSize;
    }

    /** FreeBSD's filt_vfsvnode: a notification counts when any of its notes is watched. */
    private void post(Knote kn, int notes) {
        if ((kn.sfflags & notes) != 0) {
            kn.fflags |= notes;
            core.activate(kn);
        }
    }
}
