package io.github.kqueueffm.bindings;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TargetTest {
    @Test
    void mapsTheJdkNamesOfEveryKnownOs() {
        assertEquals(Optional.of(Os.LINUX), Os.find("Linux"));
        assertEquals(Optional.of(Os.FREEBSD), Os.find("FreeBSD"));
        assertEquals(Optional.of(Os.MACOS), Os.find("Mac OS X"));
        assertEquals(Optional.of(Os.NETBSD), Os.find("NetBSD"));
        assertEquals(Optional.of(Os.OPENBSD), Os.find("OpenBSD"));
        assertEquals(Optional.of(Os.DRAGONFLY), Os.find("DragonFly"));
        assertEquals(Optional.empty(), Os.find("Windows 11"));
    }

    @Test
    void aTargetNeedsAKnownOsAndAKnownArchitecture() {
        assertEquals(Optional.of(new Target(Os.FREEBSD, Arch.AARCH64)), Target.of("FreeBSD", "arm64"));
        assertEquals(Optional.empty(), Target.of("Linux", "riscv64"));
        assertEquals(Optional.empty(), Target.of("SunOS", "amd64"));
        assertEquals(Optional.empty(), Arch.find("riscv64"));
    }

    @Test
    void packageNamesAreOsThenArchitecture() {
        assertEquals("linux.x86_64", new Target(Os.LINUX, Arch.X86_64).packageName());
        assertEquals("macos.aarch64", new Target(Os.MACOS, Arch.AARCH64).packageName());
    }

    @Test
    void theRunningJvmIsAKnownTarget() {
        Target expected = Target.of(System.getProperty("os.name"), System.getProperty("os.arch")).orElseThrow();
        assertEquals(Optional.of(expected), Target.current());
        assertEquals(expected, Target.require());
    }

    @Test
    void bothPartsAreRequired() {
        assertThrows(NullPointerException.class, () -> new Target(null, Arch.X86_64));
        assertThrows(NullPointerException.class, () -> new Target(Os.LINUX, null));
    }
}
