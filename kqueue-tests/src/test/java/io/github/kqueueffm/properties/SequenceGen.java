package io.github.kqueueffm.properties;

import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

import java.util.ArrayList;
import java.util.List;

import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.KEvent.EV_DISABLE;
import static io.github.kqueueffm.KEvent.EV_DISPATCH;
import static io.github.kqueueffm.KEvent.EV_ENABLE;
import static io.github.kqueueffm.KEvent.EV_FORCEONESHOT;
import static io.github.kqueueffm.KEvent.EV_KEEPUDATA;
import static io.github.kqueueffm.KEvent.EV_ONESHOT;
import static io.github.kqueueffm.KEvent.EV_RECEIPT;
import static io.github.kqueueffm.KEvent.NOTE_ABSTIME;
import static io.github.kqueueffm.KEvent.NOTE_FFAND;
import static io.github.kqueueffm.KEvent.NOTE_FFCOPY;
import static io.github.kqueueffm.KEvent.NOTE_FFOR;
import static io.github.kqueueffm.KEvent.NOTE_LOWAT;
import static io.github.kqueueffm.KEvent.NOTE_MSECONDS;
import static io.github.kqueueffm.KEvent.NOTE_NSECONDS;
import static io.github.kqueueffm.KEvent.NOTE_SECONDS;
import static io.github.kqueueffm.KEvent.NOTE_TRIGGER;
import static io.github.kqueueffm.KEvent.NOTE_USECONDS;

/**
 * Generates command sequences for QuickTheories. Every step consumes the same number of draws
 * whatever its kind, and every draw shrinks towards 0, which means "nothing" (a step becomes a
 * no-op, a flag bit goes away, a size becomes the smallest): shrinking a draw never reinterprets
 * the draws after it, so a failing sequence shrinks step by step.
 */
final class SequenceGen {
    /** What the sequences concentrate on. */
    enum Profile {
        /** Pipes, socketpairs, user events, some timers; polls and tiny waits. */
        DESCRIPTORS,
        /** Timers and user events, with time passing and waits for timers. */
        TIMERS
    }

    static final int MAX_CHANGES = 4;
    private static final int[] WRITE_SIZES = {1, 2, 11, 100, 511, 512, 513, 4095, 4096, 4097, 8192, 30000, 61440,
        65024, 65536, 70000};
    private static final int[] READ_SIZES = {1, 2, 11, 100, 512, 600, 4095, 4096, 5000, 65536};
    private static final long[] LOWATS = {1, 0, 2, 7, 16, 100, -5, 1000, 4096, 1L << 30, Long.MAX_VALUE};
    private static final long[] UDATAS = {0, 1, 0xABCDEF01L, -1L, 0x1234_5678_9ABC_DEF0L};

    private SequenceGen() {
    }

    static Gen<OpSequence> sequences(Profile profile, int maxOps) {
        Gen<OpSequence> gen = in -> {
            int n = (int) in.next(Constraint.between(1, maxOps).withShrinkPoint(1));
            List<Op> ops = new ArrayList<>();
            boolean preamble = chance(in, 80);
            if (profile == Profile.DESCRIPTORS) {
                ops.add(preamble ? new Op.NewPipe() : new Op.Nop());
                ops.add(preamble ? new Op.NewSocketpair() : new Op.Nop());
            }
            for (int i = 0; i < n; i++) {
                ops.add(op(in, profile));
            }
            return new OpSequence(ops);
        };
        return gen.describedAs(OpSequence::toString);
    }

    private static Op op(RandomnessSource in, Profile profile) {
        int kind = pick(in, 99);
        int end = pick(in, 15);
        int writeSize = sizeFrom(in, WRITE_SIZES, 70000);
        int readSize = sizeFrom(in, READ_SIZES, 70000);
        int sleep = pick(in, 3000);
        List<Op.ChangeSpec> specs = new ArrayList<>();
        for (int i = 0; i < MAX_CHANGES; i++) {
            specs.add(change(in, profile));
        }
        int nchanges = pick(in, MAX_CHANGES);
        int special = pick(in, 99);
        int nevents = pick(in, 6);
        int timeoutDraw = pick(in, 99);
        boolean sameList = chance(in, 10);

        Op.Timeout timeout;
        if (profile == Profile.TIMERS) {
            timeout = timeoutDraw < 45 ? Op.Timeout.POLL : timeoutDraw < 60 ? Op.Timeout.MICRO
                    : timeoutDraw < 70 ? Op.Timeout.MILLI : timeoutDraw < 98 ? Op.Timeout.UNTIL_TIMER : Op.Timeout.NEGATIVE;
        } else {
            timeout = timeoutDraw < 70 ? Op.Timeout.POLL : timeoutDraw < 78 ? Op.Timeout.MICRO
                    : timeoutDraw < 85 ? Op.Timeout.HUNDRED_MICROS : timeoutDraw < 89 ? Op.Timeout.MILLI
                    : timeoutDraw < 98 ? Op.Timeout.NULL : Op.Timeout.NEGATIVE;
        }
        int nch = nchanges;
        boolean badChanges = false;
        if (special >= 99) {
            nch = -1;
        } else if (special >= 98) {
            badChanges = true;
        } else if (special >= 97) {
            nevents = -1;
        } else if (special >= 96) {
            nevents = 99;
        }
        Op.Kevent kevent = new Op.Kevent(List.copyOf(specs.subList(0, Math.max(0, nchanges))), nch, nevents, timeout,
                sameList, badChanges);
        if (kind < 5) {
            return new Op.Nop();
        }
        if (profile == Profile.TIMERS) {
            if (kind < 15) {
                return new Op.Sleep(sleep);
            }
            return kevent;
        }
        if (kind < 10) {
            return new Op.NewPipe();
        }
        if (kind < 14) {
            return new Op.NewSocketpair();
        }
        if (kind < 32) {
            return new Op.Write(end, writeSize);
        }
        if (kind < 44) {
            return new Op.Read(end, readSize);
        }
        if (kind < 49) {
            return new Op.Close(end);
        }
        return kevent;
    }

    private static Op.ChangeSpec change(RandomnessSource in, Profile profile) {
        int targetDraw = pick(in, 99);
        int ref = pick(in, 15);
        boolean write = chance(in, 40);
        int flags = 0;
        flags |= chance(in, 65) ? EV_ADD : 0;
        flags |= chance(in, 12) ? EV_DELETE : 0;
        flags |= chance(in, 14) ? EV_ENABLE : 0;
        flags |= chance(in, 14) ? EV_DISABLE : 0;
        flags |= chance(in, 14) ? EV_ONESHOT : 0;
        flags |= chance(in, 30) ? EV_CLEAR : 0;
        flags |= chance(in, 15) ? EV_RECEIPT : 0;
        flags |= chance(in, 14) ? EV_DISPATCH : 0;
        flags |= chance(in, 6) ? EV_FORCEONESHOT : 0;
        flags |= chance(in, 8) ? EV_KEEPUDATA : 0;
        int odd = pick(in, 99);
        if (odd >= 97) {
            flags |= 0x0400 | 0x0800; // bits FreeBSD does not define: stored and echoed
        } else if (odd >= 94) {
            flags |= 0xF000; // EV_SYSFLAGS: masked on input (KQ-31)
        }
        int f1 = pick(in, 99);
        int f2 = pick(in, 99);
        int f3 = pick(in, 0xFF);
        int dataKind = pick(in, 99);
        long dataValue = pick(in, 3000);
        int udataKind = pick(in, UDATAS.length - 1);
        long ext0 = chance(in, 10) ? pick(in, 1_000_000) + 1 : 0;

        Op.Target target;
        if (profile == Profile.TIMERS) {
            target = targetDraw < 60 ? Op.Target.TIMER : targetDraw < 92 ? Op.Target.USER : Op.Target.OTHER_FILTER;
        } else {
            target = targetDraw < 55 ? Op.Target.END : targetDraw < 77 ? Op.Target.USER : targetDraw < 90 ? Op.Target.TIMER
                    : targetDraw < 95 ? Op.Target.BAD_FD : Op.Target.OTHER_FILTER;
        }
        int fflags = 0;
        long data = 0;
        switch (target) {
            case USER -> {
                int op = f1 < 40 ? 0 : f1 < 60 ? NOTE_FFOR : f1 < 80 ? NOTE_FFAND : NOTE_FFCOPY;
                fflags = op | (f2 < 50 ? NOTE_TRIGGER : 0) | f3;
                if (f2 >= 95) {
                    fflags |= 0x01FF_FFFF; // beyond NOTE_FFLAGSMASK (US-12)
                } else if (f2 >= 92) {
                    fflags |= 0x0200_0000; // a bit between NOTE_TRIGGER and the operation
                }
                data = dataKind < 50 ? 0 : dataValue;
            }
            case TIMER -> {
                int unit = f1 < 40 ? 0 : f1 < 55 ? NOTE_MSECONDS : f1 < 75 ? NOTE_USECONDS : f1 < 95 ? NOTE_NSECONDS
                        : NOTE_SECONDS;
                fflags = unit;
                boolean abs = f2 >= 88;
                if (abs) {
                    fflags |= NOTE_ABSTIME;
                } else if (f2 >= 85) {
                    fflags |= 0x100; // not a timer note (TM-11)
                } else if (f2 >= 83) {
                    fflags |= NOTE_SECONDS | NOTE_NSECONDS; // two units (TM-10)
                }
                long unitNanos = unit == NOTE_SECONDS ? 1_000_000_000L : unit == NOTE_USECONDS ? 1_000L
                        : unit == NOTE_NSECONDS ? 1L : 1_000_000L;
                if (abs) {
                    // an offset from now, in the unit; Long.MIN_VALUE: the epoch itself (TM-19)
                    data = dataKind < 20 ? Long.MIN_VALUE : dataKind < 50 ? -(dataValue * 1_000_000L / unitNanos) - 1
                            : (dataValue * 10_000L) / unitNanos;
                } else if (dataKind < 10) {
                    data = 0; // one unit, or at once with EV_ONESHOT (TM-13, TM-14)
                } else if (dataKind < 13) {
                    data = -1; // EINVAL (TM-12, TM-30)
                } else if (dataKind < 16) {
                    data = 1L << 62; // clamped, never early (TM-15, TM-16)
                } else if (profile == Profile.TIMERS || dataKind < 70) {
                    // up to about 30 ms whatever the unit
                    data = Math.max(1, dataValue * 10_000L / unitNanos);
                } else {
                    data = 3_600_000_000_000L / unitNanos; // an hour: never fires in a sequence
                }
            }
            case END, BAD_FD -> {
                if (f1 >= 80) {
                    fflags = NOTE_LOWAT;
                    data = LOWATS[f3 % LOWATS.length];
                } else if (f1 >= 77) {
                    fflags = f3 << 4; // notes the descriptor filters do not use
                    data = dataValue;
                } else {
                    data = dataKind < 80 ? 0 : dataValue; // data without NOTE_LOWAT is ignored (FL-27)
                }
            }
            case OTHER_FILTER -> {
                fflags = f1 < 90 ? 0 : f3;
                data = dataKind < 90 ? 0 : dataValue;
            }
        }
        return new Op.ChangeSpec(target, ref, write, flags, fflags, data, UDATAS[udataKind], ext0);
    }

    private static int sizeFrom(RandomnessSource in, int[] table, int max) {
        int which = pick(in, 99);
        int index = pick(in, table.length - 1);
        int any = pick(in, max - 1) + 1;
        return which < 80 ? table[index] : any;
    }

    static int pick(RandomnessSource in, int max) {
        return (int) in.next(Constraint.between(0, max).withShrinkPoint(0));
    }

    /** True with the given percentage; its draw shrinks to false. */
    static boolean chance(RandomnessSource in, int percent) {
        return pick(in, 99) >= 100 - percent;
    }
}
