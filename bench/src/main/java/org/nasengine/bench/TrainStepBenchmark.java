package org.nasengine.bench;

import java.util.concurrent.TimeUnit;
import org.nasengine.backend.Backend;
import org.nasengine.nas.space.RnnCell;
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
 * One training step (forward + backward + SGD update) of the reference children, everything but
 * the step preallocated in the state. The score is steps/s; the {@link StepRate} counters give
 * images (tokens) per second and GFLOP/s from the network's FLOP count (forward + backward = 3x
 * the forward). jmh-table.py names each row method_backend_bBATCH, e.g. trainStep_refCnnA_cpu_b128.
 * The CNN cases run on cpu only by default: the java reference takes minutes per step there
 * (give -p backend=java -p batch=8 to see it); the language model runs on both.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx6g"})
public class TrainStepBenchmark {

    /** ref-cnn-a (macro CNN, 6 layers) on 1x28x28 images. */
    @State(Scope.Benchmark)
    public static class RefCnnA {
        @Param({"cpu"}) public String backend;
        @Param({"128"}) public int batch;
        ImageStep step;
        Backend be;

        @Setup(Level.Trial)
        public void setUp() {
            be = BenchBackends.open(backend);
            step = new ImageStep(ReferenceArchitectures.read("ref-cnn-a"), 1, 28, batch, be, 1);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            step.close();
            be.close();
        }
    }

    /** ref-cnn-b (macro CNN, 12 layers up to 256 filters) on 3x32x32 images. */
    @State(Scope.Benchmark)
    public static class RefCnnB {
        @Param({"cpu"}) public String backend;
        @Param({"64"}) public int batch;
        ImageStep step;
        Backend be;

        @Setup(Level.Trial)
        public void setUp() {
            be = BenchBackends.open(backend);
            step = new ImageStep(ReferenceArchitectures.read("ref-cnn-b"), 3, 32, batch, be, 1);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            step.close();
            be.close();
        }
    }

    /** ref-nasnet-a's cells stacked with 1 repeat and 16 filters, on 3x32x32 images. */
    @State(Scope.Benchmark)
    public static class RefNasnetA {
        @Param({"cpu"}) public String backend;
        @Param({"64"}) public int batch;
        @Param({"1"}) public int repeats;
        @Param({"16"}) public int filters;
        ImageStep step;
        Backend be;

        @Setup(Level.Trial)
        public void setUp() {
            be = BenchBackends.open(backend);
            step = new ImageStep(ReferenceArchitectures.nasnet("ref-nasnet-a", repeats, filters), 3, 32, batch, be, 1);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            step.close();
            be.close();
        }
    }

    /** The two-layer language model around ref-rnn-a: batch 20, 35 BPTT steps, PTB-sized vocabulary. */
    @State(Scope.Benchmark)
    public static class RefRnnA {
        @Param({"cpu", "java"}) public String backend;
        @Param({"20"}) public int batch;
        @Param({"35"}) public int bptt;
        @Param({"64"}) public int hidden;
        @Param({"10000"}) public int vocab;
        LmStep step;
        Backend be;

        @Setup(Level.Trial)
        public void setUp() {
            be = BenchBackends.open(backend);
            step = new LmStep((RnnCell) ReferenceArchitectures.read("ref-rnn-a"), vocab, hidden, batch, bptt, be, 1);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            step.close();
            be.close();
        }
    }

    @Benchmark
    public float trainStep_refCnnA(RefCnnA s, StepRate rate) {
        return count(s.step, rate);
    }

    @Benchmark
    public float trainStep_refCnnB(RefCnnB s, StepRate rate) {
        return count(s.step, rate);
    }

    @Benchmark
    public float trainStep_refNasnetA(RefNasnetA s, StepRate rate) {
        return count(s.step, rate);
    }

    @Benchmark
    public float trainStep_refRnnA(RefRnnA s, StepRate rate) {
        float loss = s.step.step();
        rate.examples += s.step.tokensPerStep();
        rate.gflop += s.step.flopsPerStep() / 1e9;
        return loss;
    }

    private static float count(ImageStep step, StepRate rate) {
        float loss = step.step();
        rate.examples += step.batch();
        rate.gflop += step.flopsPerStep() / 1e9;
        return loss;
    }
}
