package io.github.kqueueffm.linux;

import io.github.kqueueffm.KQueueException;
import io.github.kqueueffm.bindings.linux.LinuxBindings;
import io.github.kqueueffm.bindings.ErrnoNames;
import io.github.kqueueffm.core.EventQueue;
import io.github.kqueueffm.core.KQueueCore;
import io.github.kqueueffm.core.Parker;
import io.github.kqueueffm.emul.RememberedChildren;
import io.github.kqueueffm.platform.PlatformServices;

/**
 * Linux: kqueues are emulated by the core over an {@link EpollBackend}; virtual threads park
 * through the {@link VirtualThreadRelay}; errno and signal numbers are Linux's.
 */
public final class LinuxPlatform implements PlatformServices {
    private static final Parker PARKER = VirtualThreadRelay::await;

    @Override
    public String description() {
        return "Linux " + LinuxBindings.arch().packageName() + " (epoll emulation)";
    }

    @Override
    public EventQueue openKQueue(int maxKnotes) throws KQueueException {
        KQueueCore core = new KQueueCore(maxKnotes, PARKER);
        core.start(EpollBackend.open(core));
        return core;
    }

    @Override
    public int errnoNumber(String name) {
        return ErrnoNames.number(name);
    }

    @Override
    public String errnoName(int errno) {
        return ErrnoNames.name(errno);
    }

    @Override
    public int signalNumber(String name) {
        return LinuxSignals.number(name);
    }

    @Override
    public void rememberProcess(Process process) {
        RememberedChildren.remember(process);
    }

    @Override
    public int openProcessDescriptor(long pid) throws KQueueException {
        return LinuxProcesses.openDescriptor(pid);
    }

    @Override
    public int openReadOnly(String path) throws KQueueException {
        return LinuxFiles.openReadOnly(path);
    }

    @Override
    public void close(int fd) throws KQueueException {
        LinuxFiles.close(fd);
    }
}
