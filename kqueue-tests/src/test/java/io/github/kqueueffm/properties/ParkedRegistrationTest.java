package io.github.kqueueffm.properties;

import io.github.kqueueffm.Errno;
import io.github.kqueueffm.KEventList;
import io.github.kqueueffm.KQueue;
import io.github.kqueueffm.tests.support.Os;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.github.kqueueffm.KEvent.EVFILT_EMPTY;
import static io.github.kqueueffm.KEvent.EVFILT_READ;
import static io.github.kqueueffm.KEvent.EVFILT_WRITE;
import static io.github.kqueueffm.KEvent.EV_ADD;
import static io.github.kqueueffm.KEvent.EV_CLEAR;
import static io.github.kqueueffm.KEvent.EV_DELETE;
import static io.github.kqueueffm.tests.support.KqSupport.change;
import static io.github.kqueueffm.tests.support.KqSupport.closeAll;
import static io.github.kqueueffm.tests.support.KqSupport.expectErrno;
import static io.github.kqueueffm.tests.support.KqSupport.poll;
import static io.github.kqueueffm.tests.support.KqSupport.reuseNumberWithPipes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regression for registration churn on Linux: when the last knote of a socket or pipe goes, its
 * epoll registration is parked and its record (kind, identity) kept for the next EV_ADD of the
 * number, which the parked registration's epoll_ctl checks. A number closed, or reused for another
 * file, in between must be judged afresh: EBADF for a closed one, the new file's own kind and
 * readiness for a reused one (docs/conformance.md#s3.3), exactly as if no knote had ever been
 * there.
 */
class ParkedRegistrationTest {

    @Test
    void KQ_32_addOnTheClosedNumberOfADeletedKnoteFailsWithEbadf() throws Exception {
        int[] s = Os.socketpair();
        try (KQueue kq = KQueue.open()) {
            change(kq, s[0], EVFILT_READ, EV_ADD);
            change(kq, s[0], EVFILT_READ, EV_DELETE);
            Os.close(s[0]);
            expectErrno(Errno.EBADF, () -> change(kq, s[0], EVFILT_READ, EV_ADD));
            expectErrno(Errno.EBADF, () -> change(kq, s[0], EVFILT_READ, EV_DELETE));
        } finally {
            Os.closeQuietly(s[1]);
        }
    }

    @Test
    void KQ_51_aNumberReusedAfterItsLastKnoteWasDeletedIsJudgedAfresh() throws Exception {
        int[] s = Os.socketpair();
        List<Integer> opened = new ArrayList<>();
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(4)) {
            int number = s[0];
            change(kq, number, EVFILT_READ, EV_ADD);
            change(kq, number, EVFILT_READ, EV_DELETE);
            Os.close(s[0]);
            Os.close(s[1]);
            assertTrue(reuseNumberWithPipes(number, opened), "a pipe got number " + number);
            int writeEnd = -1;
            for (int i = 0; i < opened.size(); i += 2) {
                if (opened.get(i) == number) {
                    writeEnd = opened.get(i + 1);
                }
            }
            if (writeEnd < 0) { // the number is a write end: watch that one for writing instead
                expectErrno(Errno.EINVAL, () -> change(kq, number, EVFILT_EMPTY, EV_ADD));
                change(kq, number, EVFILT_WRITE, EV_ADD | EV_CLEAR);
                assertEquals(1, poll(kq, ev), "the new pipe is writable");
                assertEquals(EVFILT_WRITE, ev.filter(0));
                return;
            }
            // the kept record said "socket": a pipe refuses EVFILT_EMPTY, and reads as a pipe
            expectErrno(Errno.EINVAL, () -> change(kq, number, EVFILT_EMPTY, EV_ADD));
            change(kq, number, EVFILT_READ, EV_ADD);
            assertEquals(0, poll(kq, ev), "the new pipe is empty");
            assertEquals(3, Os.write(writeEnd, 3));
            assertEquals(1, poll(kq, ev));
            assertEquals(number, ev.ident(0));
            assertEquals(EVFILT_READ, ev.filter(0));
            assertEquals(3, ev.data(0));
            change(kq, number, EVFILT_READ, EV_DELETE);
        } finally {
            closeAll(opened);
        }
    }

    @Test
    void KQ_51_deleteOnANumberReusedForAnotherFileFailsWithEnoent() throws Exception {
        int[] s = Os.socketpair();
        List<Integer> opened = new ArrayList<>();
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(4)) {
            int number = s[0];
            change(kq, number, EVFILT_READ, EV_ADD);
            Os.close(s[0]);
            Os.close(s[1]);
            assertTrue(reuseNumberWithPipes(number, opened), "a pipe got number " + number);
            expectErrno(Errno.ENOENT, () -> change(kq, number, EVFILT_READ, EV_DELETE));
            expectErrno(Errno.ENOENT, () -> change(kq, number, EVFILT_READ, EV_DELETE));
            assertEquals(0, poll(kq, ev), "no knote is left");
        } finally {
            closeAll(opened);
        }
    }

    @Test
    void FL_13_anEvClearKnoteReadyAtRegistrationIsReturnedOnceAlsoWhenTakenUpAgain() throws Exception {
        int[] s = Os.socketpair();
        try (KQueue kq = KQueue.open(); KEventList ev = KEventList.allocate(4)) {
            for (int round = 0; round < 3; round++) { // fresh, then taken up again from a parked registration
                change(kq, s[0], EVFILT_WRITE, EV_ADD | EV_CLEAR);
                assertEquals(1, poll(kq, ev), "round " + round);
                assertEquals(EVFILT_WRITE, ev.filter(0));
                assertEquals(0, poll(kq, ev), "round " + round + ": an EV_CLEAR knote, reported once");
                change(kq, s[0], EVFILT_WRITE, EV_DELETE);
            }
        } finally {
            Os.closeQuietly(s[0], s[1]);
        }
    }
}
