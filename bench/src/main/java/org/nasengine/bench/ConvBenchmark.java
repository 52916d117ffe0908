package org.nasengine.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.ConvGeometry;
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

/**
 * conv2d forward + backward (dx and dw) at each layer shape of ref-cnn-a (see {@link RefCnnA}),
 * batch 128 on a 28x28x1 input. GFLOP/s = {@link RefCnnA#forwardBackwardFlops} / time;
 * {@link BenchReport} prints them beside the times. The java backend is ~100x slower: give it a
 * smaller batch (-p batch=8), its rate hardly depends on the batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class ConvBenchmark {
    @Param({"cpu", "java"})
    public String backend;

    @Param({"0", "1", "2", "3", "4", "5"})
    public int layer;

    @Param({"128"})
    public int batch;

    private Backend be;
    private ConvGeometry g;
    private Buffer x, w, y, dy, dx, dw;

    @Setup(Level.Trial)
    public void setUp() {
        be = BenchBackends.open(backend);
        g = RefCnnA.geometry(layer, batch);
        Random rnd = new Random(42);
        x = filled(g.inputLength(), rnd);    // (n, cin, h, w)
        w = filled(g.weightLength(), rnd);   // (cout, cin, kh, kw)
        y = be.allocate(g.outputLength());   // (n, cout, outH, outW)
        dy = filled(g.outputLength(), rnd);
        dx = be.allocate(g.inputLength());
        dw = be.allocate(g.weightLength());
    }

    private Buffer filled(long n, Random rnd) {
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextFloat() - 0.5f;
        Buffer b = be.allocate(n);
        be.write(v, b, 0);
        return b;
    }

    /** One training step's worth of this layer: forward, then both gradients (which accumulate). */
    @Benchmark
    public Buffer forwardBackward() {
        be.conv2d(g, x, w, y);
        be.conv2dBackward(g, x, w, dy, dx, dw);
        return dw;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }
}
