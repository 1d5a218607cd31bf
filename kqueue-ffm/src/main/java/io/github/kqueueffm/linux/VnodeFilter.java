package io.github.kqueueffm.linux;

import io.github.kqueueffm.emul.Errors;
import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.Knote;

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
import static io.github.kqueueffm.bindings.linux.LinuxStructs.STAT_BLOCKS;
import static io.github.kqueueffm.bindings.linux.LinuxStructs.STAT_NLINK;

import java.lang.foreign.ValueLayout;

/**
 * EVFILT_VNODE over the kqueue's one inotify instance: a watch on {@code /proc/self/fd/N} per
 * watched inode (shared by every knote on it), inotify's events mapped to FreeBSD's notes. Link
 * count and size are tracked per knote so an unlink (st_nlink fell) gives NOTE_DELETE and
 * NOTE_LINK, a link NOTE_LINK, an extending write NOTE_WRITE+NOTE_EXTEND, a shrinking truncate
 * NOTE_ATTRIB. As on FreeBSD, a notification is reported when any of its notes is watched, with
 * all of them (co-posting); the notes accumulate until the event is retrieved.
 */
final class VnodeFilter extends DescriptorFilter {
    private final KQueueCore core;
    /** Every vnode knote, for the checks no inotify event of their own triggers. */
    private final java.util.List<Knote> knotes = new java.util.ArrayList<>();

    VnodeFilter(KQueueCore core, EpollBackend backend) {
        super(backend, FdInterest.NO_SIDE); // inotify watches it, not epoll
        this.core = core;
    }

    @Override
    int accepts(FdInterest rec) {
        return switch (rec.kind) {
            case REGULAR, DIRECTORY, OTHER -> 0;
            default -> Errors.EINVAL; // sockets, pipes, kqueues, pidfds, eventfds have no vnode
        };
    }

    @Override
    void slot(FdInterest rec, Knote kn) {
        rec.vnode = kn;
    }

    @Override
    int prepare(FdInterest rec, Knote kn) {
        if (scratch.fstat(rec.fd) == 0) {
            kn.hook = scratch.statSize();
            kn.hook2 = scratch.stat.get(ValueLayout.JAVA_LONG, STAT_NLINK);
            rec.vnodeBlocks = scratch.stat.get(ValueLayout.JAVA_LONG, STAT_BLOCKS);
        }
        String mount = FdInfo.field(FdInfo.read(rec.fd), "mnt_id");
        rec.mountId = mount == null ? -1 : Long.parseLong(mount.trim());
        int error = watch(rec, kn);
        if (error == 0) {
            knotes.add(kn);
            backend.watchMounts();
        }
        return error;
    }

    /**
     * Linux tells a removed directory nothing while a descriptor holds it (its parent gets
     * IN_DELETE): after such an event every watched directory's link count is checked.
     */
    void recheckDirectories() {
        for (Knote kn : knotes) {
            FdInterest rec = (FdInterest) kn.state;
            if (rec.kind == DescriptorKind.DIRECTORY && scratch.fstat(rec.fd) == 0
                    && scratch.stat.get(ValueLayout.JAVA_LONG, STAT_NLINK) == 0 && kn.hook2 > 0) {
                kn.hook2 = 0;
                post(kn, NOTE_DELETE);
            }
        }
    }

    /**
     * The mount table changed: a knote whose file system is no longer mounted is revoked
     * (NOTE_REVOKE with EV_EOF). IN_UNMOUNT arrives only once the last descriptor is closed.
     */
    void mountsChanged(java.util.Set<Long> mounted) {
        for (Knote kn : knotes) {
            FdInterest rec = (FdInterest) kn.state;
            if (rec.mountId >= 0 && !mounted.contains(rec.mountId) && (kn.flags & EV_EOF) == 0) {
                kn.flags |= EV_EOF;
                post(kn, NOTE_REVOKE);
                core.activate(kn);
            }
        }
    }

    private int watch(FdInterest rec, Knote kn) {
        int mask = inotifyMask(kn.sfflags);
        if (mask == 0) {
            return 0; // fflags 0: accepted, never fires (VN-31)
        }
        try {
            int wd = backend.inotify().add(rec.fd, mask, kn, scratch);
            if (wd < 0) {
                return -wd;
            }
            if (rec.vnodeWatch >= 0 && rec.vnodeWatch != wd) {
                backend.inotify().remove(rec.vnodeWatch, kn);
            }
            rec.vnodeWatch = wd;
            return 0;
        } catch (InotifyUnavailable e) {
            return e.errno;
        }
    }

    @Override
    void release(FdInterest rec, Knote kn) {
        knotes.remove(kn);
        if (rec.vnodeWatch >= 0) {
            try {
                backend.inotify().remove(rec.vnodeWatch, kn);
            } catch (InotifyUnavailable e) {
                // no instance, no watch
            }
            rec.vnodeWatch = -1;
        }
    }

    @Override
    public void changed(Knote kn) {
        watch((FdInterest) kn.state, kn); // a re-add may watch more notes; unwatched ones are filtered
    }

    @Override
    boolean evaluate(Knote kn, FdInterest rec) {
        int same = backend.identity(rec);
        if (same != 0) {
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

    /**
     * One inotify event on a watch this knote shares.
     *
     * @param kn the knote
     * @param mask inotify's mask
     * @param named whether the event names a directory entry (the watch is a directory)
     * @param sameDirectoryMove whether a move's other half was in the same directory
     */
    void onInotify(Knote kn, int mask, boolean named, boolean sameDirectoryMove) {
        FdInterest rec = (FdInterest) kn.state;
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
            long size = scratch.statSize();
            long blocks = scratch.stat.get(ValueLayout.JAVA_LONG, STAT_BLOCKS);
            if (size < kn.hook || (size > kn.hook && blocks <= rec.vnodeBlocks && grewPastLastBlock(kn.hook, size))) {
                // a truncation: Linux reports it as IN_MODIFY like a write; a shrink, or a growth
                // that allocated nothing (a hole), is setattr's NOTE_ATTRIB on FreeBSD
                post(kn, NOTE_ATTRIB);
            } else {
                post(kn, size > kn.hook ? NOTE_WRITE | NOTE_EXTEND : NOTE_WRITE);
            }
            kn.hook = size;
            rec.vnodeBlocks = blocks;
        }
        if ((mask & IN_ATTRIB) != 0 && scratch.fstat(rec.fd) == 0) {
            long links = scratch.stat.get(ValueLayout.JAVA_LONG, STAT_NLINK);
            if (links < kn.hook2) {
                post(kn, NOTE_DELETE);
                if (links > 0) {
                    post(kn, NOTE_LINK); // a name went but the file keeps others
                }
            } else if (links > kn.hook2) {
                post(kn, NOTE_LINK);
            } else {
                post(kn, NOTE_ATTRIB);
            }
            kn.hook2 = links;
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

    /** Whether growing from {@code from} to {@code to} bytes needs a new 512-byte block. */
    private static boolean grewPastLastBlock(long from, long to) {
        return (to + 511) / 512 > (from + 511) / 512;
    }

    /** FreeBSD's filt_vfsvnode: a notification counts when any of its notes is watched. */
    private void post(Knote kn, int notes) {
        if ((kn.sfflags & notes) != 0) {
            kn.fflags |= notes;
            core.activate(kn);
        }
    }
}
