package io.github.kqueueffm.bindings;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchTest {
    @Test
    void mapsTheJdkNamesOfBothArchitectures() {
        assertEquals(Arch.X86_64, Arch.of("amd64"));
        assertEquals(Arch.X86_64, Arch.of("x86_64"));
        assertEquals(Arch.AARCH64, Arch.of("aarch64"));
        assertEquals(Arch.AARCH64, Arch.of("arm64"));
    }

    @Test
    void anyOtherArchitectureIsRefusedByName() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Arch.of("riscv64"));
        assertTrue(e.getMessage().contains("'riscv64'"), e.getMessage());
    }

    @Test
    void theRunningJvmHasBindings() {
        assertEquals(Arch.of(System.getProperty("os.arch")), Arch.current());
    }
}
