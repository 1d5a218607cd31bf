package io.github.kqueueffm.platform;

import io.github.kqueueffm.bindings.Arch;
import io.github.kqueueffm.bindings.Os;
import io.github.kqueueffm.bindings.Target;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link BackendChoice#decide}: every branch of the backend selection, on any machine. */
class BackendChoiceTest {
    @Test
    void theBsdsAndMacOsUseTheirOwnKqueue() {
        for (String[] os : new String[][] {{"FreeBSD", "amd64"}, {"Mac OS X", "aarch64"}, {"NetBSD", "amd64"},
            {"OpenBSD", "amd64"}, {"DragonFly", "x86_64"}}) {
            BackendChoice choice = BackendChoice.decide(os[0], os[1], null);
            BackendChoice.NativeLibc libc = assertInstanceOf(BackendChoice.NativeLibc.class, choice, os[0]);
            assertEquals(Target.of(os[0], os[1]).orElseThrow(), libc.target());
            assertEquals(choice, BackendChoice.decide(os[0], os[1], "/opt/libkqueue/lib/libkqueue.so"),
                    "the property is not read on a kqueue host");
        }
    }

    @Test
    void linuxEmulatesUnlessALibraryIsNamed() {
        Target linux = new Target(Os.LINUX, Arch.X86_64);
        assertEquals(new BackendChoice.Emulation(linux), BackendChoice.decide("Linux", "amd64", null));
        assertEquals(new BackendChoice.Emulation(linux), BackendChoice.decide("Linux", "amd64", " "));
        assertEquals(new BackendChoice.NativeLibrary(new Target(Os.LINUX, Arch.AARCH64), Path.of("/x/libkqueue.so")),
                BackendChoice.decide("Linux", "aarch64", "/x/libkqueue.so"));
    }

    @Test
    void aRelativeLibraryPathIsRefusedWithTheReason() {
        BackendChoice.Unsupported u = assertInstanceOf(BackendChoice.Unsupported.class,
                BackendChoice.decide("Linux", "amd64", "libkqueue.so"));
        assertTrue(u.reason().contains("kqueue.native.library must be an absolute path"), u.reason());
        assertTrue(u.reason().contains("'libkqueue.so'"), u.reason());
    }

    @Test
    void anotherOsOrArchitectureIsNamedInTheReason() {
        BackendChoice.Unsupported os = assertInstanceOf(BackendChoice.Unsupported.class,
                BackendChoice.decide("Windows 11", "amd64", null));
        assertTrue(os.reason().startsWith("kqueue-ffm has no backend for Windows 11 on amd64"), os.reason());
        BackendChoice.Unsupported arch = assertInstanceOf(BackendChoice.Unsupported.class,
                BackendChoice.decide("FreeBSD", "riscv64", null));
        assertTrue(arch.reason().startsWith("kqueue-ffm has no backend for FreeBSD on riscv64"), arch.reason());
    }
}
