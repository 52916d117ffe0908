package org.nasengine.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.Gemm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** Square row-major sgemm C = A B through {@link Backend#gemm}: the yardstick of the conv target. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class SgemmBenchmark {
    @Param({"cpu"})
    public String backend;

    @Param({"256", "512", "1024", "2048"})
    public int size;

    private Backend be;
    private Gemm g;
    private Buffer a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
        be = BenchBackends.open(backend);
        g = Gemm.of(false, false, size, size, size, 0f);
        Random rnd = new Random(7);
        a = filled((long) size * size, rnd);   // (size, size)
        b = filled((long) size * size, rnd);   // (size, size)
        c = be.allocate((long) size * size);   // (size, size)
    }

    private Buffer filled(long n, Random rnd) {
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextFloat() - 0.5f;
        Buffer buf = be.allocate(n);
        be.write(v, buf, 0);
        return buf;
    }

    @Benchmark
    public Buffer sgemm() {
        be.gemm(g, a, b, c);
        return c;
    }

    static double flops(int size) {
        return 2.0 * size * size * size;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }
}
