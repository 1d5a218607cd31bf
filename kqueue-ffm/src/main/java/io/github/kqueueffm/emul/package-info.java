/**
 * The OS-neutral half of the kqueue emulation, for every backend that emulates kqueue over
 * another OS mechanism (epoll today; event ports and IOCP next): EVFILT_USER, the semantics of
 * EVFILT_TIMER and its deadline heap (the OS supplies one alarm), the process-wide signal hub (the
 * OS supplies its signal table), the skeleton every descriptor filter shares (the OS supplies its
 * descriptor table), the registry of open kqueues and the errno numbers filters answer with. Imports
 * nothing OS-specific; every filter operation runs under its kqueue's lock, which it asserts.
 */
package io.github.kqueueffm.emul;
