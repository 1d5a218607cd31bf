/**
 * Property-based conformance checks against the reference model
 * ({@link io.github.kqueueffm.properties.model.KqModel}), and the row-style regression tests for
 * the library bugs they found.
 *
 * <h2>Running</h2>
 * <ul>
 * <li>CI: {@code mvn -pl kqueue-tests -am test -Dtest='io.github.kqueueffm.properties.*Test'}: 20 000
 *     descriptor sequences and 3 000 timer sequences. {@code -Pstress}: 950 000 + 50 000.</li>
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
