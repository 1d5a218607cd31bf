/**
 * Hand-written bindings for native kqueue: {@code kqueue()} and {@code kevent()} from the C library
 * of a BSD or macOS, or from a library named by path (libkqueue on Linux), and the handful of
 * POSIX calls the native backend needs besides. Results are the call's value or {@code -errno}.
 */
package io.github.kqueueffm.bindings.kqueue;
