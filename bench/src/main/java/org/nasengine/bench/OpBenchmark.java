package org.nasengine.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nasengine.backend.Backend;
import org.nasengine.backend.BatchNormSpec;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.JoinGeometry;
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
 * The memory-bound ops of a training step, forward + backward on the backend, at the shapes
 * ref-cnn-a gives them at batch 128 (the LSTM cell at the medium language model's 20 x 650).
 * Score: calls/s; {@link StepRate#gbyte} counts the least traffic each call must make (every
 * input read once, every output written once, a += gradient read and written), so GB/s says how
 * close an op comes to memory bandwidth.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class OpBenchmark {
    @Param({"cpu", "java"})
    public String backend;

    @Param({"128"})
    public int batch;

    private static final int LSTM_ROWS = 20, LSTM_HIDDEN = 650;

    private Backend be;
    // ref-cnn-a layer 5 reads [1, 4]: 36 maps of 28x28 and 64 of 14x14, padded to 28x28
    private JoinGeometry padJoin;
    private Buffer[] padIn, padGrad;
    private Buffer padOut;
    // ref-cnn-a layer 2 reads [0, 1]: two 36-map outputs at 28x28, a plain channel concat
    private JoinGeometry concat;
    private Buffer[] catIn, catGrad;
    private Buffer catOut;
    // ref-cnn-a layer 2's batch norm: 48 channels of 28x28
    private BatchNormSpec bn;
    private Buffer bnX, bnY, bnDy, bnDx, gamma, beta, runMean, runVar, saveMean, saveInvStd, dGamma, dBeta;
    // the fused LSTM pointwise step
    private Buffer gates, cPrev, c, h, dh, dc, dGates, dcPrev;

    @Setup(Level.Trial)
    public void setUp() {
        be = BenchBackends.open(backend);
        Random rnd = new Random(3);
        padJoin = JoinGeometry.of(batch, new int[] {36, 64}, new int[] {28, 14}, new int[] {28, 14});
        padIn = inputs(padJoin, rnd);
        padGrad = inputs(padJoin, rnd);
        padOut = filled(padJoin.outputLength(), rnd);
        concat = JoinGeometry.of(batch, new int[] {36, 36}, new int[] {28, 28}, new int[] {28, 28});
        catIn = inputs(concat, rnd);
        catGrad = inputs(concat, rnd);
        catOut = filled(concat.outputLength(), rnd);

        bn = new BatchNormSpec(batch, 48, 28 * 28, 1e-5f, 0.1f, true);
        bnX = filled(bn.length(), rnd);    // (N, C, H, W)
        bnY = be.allocate(bn.length());
        bnDy = filled(bn.length(), rnd);
        bnDx = be.allocate(bn.length());
        gamma = filled(bn.c(), rnd);       // (C)
        beta = filled(bn.c(), rnd);
        runMean = be.allocate(bn.c());
        runVar = filled(bn.c(), rnd);
        saveMean = be.allocate(bn.c());
        saveInvStd = be.allocate(bn.c());
        dGamma = be.allocate(bn.c());
        dBeta = be.allocate(bn.c());

        gates = filled(4L * LSTM_ROWS * LSTM_HIDDEN, rnd); // (N, 4H) [i | f | g | o]
        cPrev = filled((long) LSTM_ROWS * LSTM_HIDDEN, rnd); // (N, H)
        c = be.allocate((long) LSTM_ROWS * LSTM_HIDDEN);
        h = be.allocate((long) LSTM_ROWS * LSTM_HIDDEN);
        dh = filled((long) LSTM_ROWS * LSTM_HIDDEN, rnd);
        dc = filled((long) LSTM_ROWS * LSTM_HIDDEN, rnd);
        dGates = be.allocate(4L * LSTM_ROWS * LSTM_HIDDEN);
        dcPrev = be.allocate((long) LSTM_ROWS * LSTM_HIDDEN);
    }

    private Buffer[] inputs(JoinGeometry j, Random rnd) {
        Buffer[] b = new Buffer[j.inputs()];
        for (int i = 0; i < b.length; i++) b[i] = filled(j.inputLength(i), rnd);
        return b;
    }

    private Buffer filled(long n, Random rnd) {
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextFloat() - 0.5f;
        Buffer b = be.allocate(n);
        be.write(v, b, 0);
        return b;
    }

    /** Forward reads the inputs and writes the output; backward reads dOut and updates each dInput. */
    private static double joinBytes(JoinGeometry j) {
        long in = 0;
        for (int i = 0; i < j.inputs(); i++) in += j.inputLength(i);
        return 4.0 * (in + j.outputLength() + j.outputLength() + 2 * in);
    }

    @Benchmark
    public Buffer padConcat_refCnnA_L5(StepRate rate) {
        be.padConcat(padJoin, padIn, padOut);
        be.padConcatBackward(padJoin, padOut, padGrad);
        rate.gbyte += joinBytes(padJoin) / 1e9;
        return padOut;
    }

    @Benchmark
    public Buffer concat_refCnnA_L2(StepRate rate) {
        be.padConcat(concat, catIn, catOut);
        be.padConcatBackward(concat, catOut, catGrad);
        rate.gbyte += joinBytes(concat) / 1e9;
        return catOut;
    }

    /** Training-mode batch norm: forward reads x, writes y; backward reads x and dy, updates dx. */
    @Benchmark
    public Buffer batchNorm_c48_28x28(StepRate rate) {
        be.batchNorm(bn, bnX, gamma, beta, runMean, runVar, saveMean, saveInvStd, bnY);
        be.batchNormBackward(bn, bnX, gamma, saveMean, saveInvStd, bnDy, bnDx, dGamma, dBeta);
        rate.gbyte += 4.0 * bn.length() * (2 + 4) / 1e9;
        return bnDx;
    }

    /** Forward reads gates and cPrev, writes c and h; backward reads gates, cPrev, c, dh, dc, updates dGates, dcPrev. */
    @Benchmark
    public Buffer lstmCell_n20_h650(StepRate rate) {
        be.lstmCell(LSTM_ROWS, LSTM_HIDDEN, gates, cPrev, c, h);
        be.lstmCellBackward(LSTM_ROWS, LSTM_HIDDEN, gates, cPrev, c, dh, dc, dGates, dcPrev);
        rate.gbyte += 4.0 * LSTM_ROWS * LSTM_HIDDEN * ((4 + 1 + 2) + (4 + 1 + 1 + 2 + 8 + 2)) / 1e9;
        return dGates;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }
}
