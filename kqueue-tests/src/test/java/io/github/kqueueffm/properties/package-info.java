/**
 * Property-based conformance checks against the reference model
 * ({@link io.github.kqueueffm.properties.model.KqModel}), and the row-style regression tests for
 * the library bugs they found.
 *
 * <h2>Running</h2>
 * <ul>
 * <li>CI: {@code mvn -pl kqueue-tests -am test -Dtest='io.github.kqueueffm.properties.*Test'}: 20 000
 *     descriptor sequences and 3 000 timer sequences. {@code -Pstress}: 950 000 + 50 000.</li>
 * <li>The fflags properties ({@link io.github.kqueueffm.properties.VnodeFflagsPropertyTest},
 *     {@link io.github.kqueueffm.properties.ProcFflagsPropertyTest}) check the judging rule of
 *     VN-36 and PR-24 on a real file and a real child against
 *     {@link io.github.kqueueffm.properties.model.NoteKnote}: 150 vnode and 60 process sequences in
 *     CI, 20 000 and 2 000 under {@code -Pstress}; {@code -Dkqueue.vnode.sequences=N},
 *     {@code -Dkqueue.proc.sequences=N} set them. The vnode property steers around one documented
 *     divergence (BEHAVIOUR.md, VN-14/VN-15); {@code -Dkqueue.vnode.include=LINK_BATCH} includes
 *     it again ({@code VnodeSteering}). The process property watches forks only with
 *     {@code -Dkqueue.proc.forks=true}: the kernel drops connector records on a busy machine.</li>
 * <li>Each property prints one line {@code property NAME: N sequences, D divergences, seed S}.</li>
 * <li>Replay a failure: {@code -Dkqueue.seed=S} (the same seed regenerates the same sequences);
 *     {@code -Dkqueue.sequences=N} sets the count of both properties.</li>
 * <li>Triage: {@code -Dkqueue.model.allow=PIPE_LOWAT,EPOLL_REARM,DUPLICATES} makes the model accept
 *     the divergences of an open bug report, so the run goes on to find others. Never in CI.</li>
 * </ul>
 *
 * <h2>What a failure prints</h2>
 * QuickTheories shrinks the failing sequence (every generated draw shrinks towards "nothing"); the
 * runner then drops whole steps and single changes while the failure still reproduces twice, and
 * prints the minimal sequence (abstract steps: ends are named by creation index), the kevent call
 * that diverged with what the library returned and what the model allows, the trace of every step
 * with descriptor numbers resolved, and the model's state.
 */
package io.github.kqueueffm.properties;
