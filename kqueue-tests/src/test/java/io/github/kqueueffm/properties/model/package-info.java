/**
 * A pure-Java reference model of FreeBSD's kevent semantics (kevent(2), docs/conformance.md#s1,
 * rows KQ, FL, RD, WR, TM, US), sharing no code with kqueue-ffm: it reads only the public constants
 * of {@link io.github.kqueueffm.KEvent}. Besides the knotes it simulates the watched world: Linux
 * pipe buffers page by page ({@link io.github.kqueueffm.properties.model.LinuxPipeBuffer}) and
 * AF_UNIX stream queues ({@link io.github.kqueueffm.properties.model.UnixStreamQueue}), which the
 * harness cross-checks against what the real read(2) and write(2) return.
 * {@link io.github.kqueueffm.properties.model.NoteKnote} models one knote of the filters that
 * record notes as activity happens (EVFILT_VNODE, EVFILT_PROC: rows VN-36, PR-24), for the fflags
 * properties.
 */
package io.github.kqueueffm.properties.model;
