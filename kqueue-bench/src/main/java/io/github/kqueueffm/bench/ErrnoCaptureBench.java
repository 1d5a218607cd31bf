package io.github.kqueueffm.bench;

import io.github.kqueueffm.bindings.linux.LinuxCalls;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The cost of one failing system call with errno capture ({@code close(-1)} → EBADF), the
 * floor under every call the library makes. Run with {@code -prof gc} to see 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ErrnoCaptureBench {

    /**
     * One failing {@code close(-1)}, which reads its errno inside the wrapper.
     *
     * @return −errno, so the call is not dead code
     */
    @Benchmark
    public int failingCloseWithErrno() {
        return LinuxCalls.close(-1);
    }
}
