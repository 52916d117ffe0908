package org.nasengine.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nasengine.backend.Backend;
import org.nasengine.nas.space.MacroCnnSpace;
import org.nasengine.nas.strategy.Proposal;
import org.nasengine.nas.strategy.ReinforceStrategy;
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
 * The controller's share of a search step: sample one 12-layer macro-cnn architecture (the
 * search's kernel and filter choices, stride 1) and run the REINFORCE update on it, with the
 * search's defaults (2 LSTM layers of 35 units, Adam 6e-4, entropy weight 1e-4). The search runs
 * its controller on the java backend (batch-1 LSTM steps are too small for native calls to pay);
 * cpu is measured beside it to show that.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class ControllerBenchmark {
    @Param({"cpu", "java"})
    public String backend;

    @Param({"12"})
    public int layers;

    private Backend be;
    private MacroCnnSpace space;
    private ReinforceStrategy strategy;
    private double reward = 0.5;

    @Setup(Level.Trial)
    public void setUp() {
        be = BenchBackends.open(backend);
        space = new MacroCnnSpace(layers, MacroCnnSpace.KERNELS, MacroCnnSpace.FILTERS, new int[] {1});
        strategy = new ReinforceStrategy(be, space, 2, 35, 6e-4f, 0.95, 1e-4, 1);
    }

    @Benchmark
    public double sampleAndUpdate_macro(StepRate rate) {
        List<Proposal> p = strategy.propose(space, 1);
        reward = reward > 0.9 ? 0.1 : reward + 0.05; // a moving reward, so advantages are not all zero
        strategy.update(p, new double[] {reward});
        rate.examples += 1;
        return strategy.baseline();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }
}
