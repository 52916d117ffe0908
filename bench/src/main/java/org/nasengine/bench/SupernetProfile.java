package org.nasengine.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.SplittableRandom;
import org.nasengine.autograd.CrossEntropy;
import org.nasengine.backend.SgdConfig;
import org.nasengine.backend.cpu.NativeBackend;
import org.nasengine.nas.oneshot.EdgeMix;
import org.nasengine.nas.oneshot.Nb201Supernet;
import org.nasengine.nas.space.Nb201;
import org.nasengine.optim.Sgd;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tensor;

/**
 * The weight-sharing supernet's training step against its FLOPs, on the native backend inside a
 * {@link ProfilingBackend}. Three steps of one NAS-Bench-201 network (C, N cells per stage, 3x32x32
 * images) are timed in turns, round after round, each keeping its fastest round (the machine is shared):
 * <ul>
 *   <li>the child alone: the all-3x3 cell built as a fixed {@code Nb201Network} ({@link ImageStep});
 *   its GFLOP/s is the rate the FLOPs-proportional cost assumes;</li>
 *   <li>DARTS' supernet step: every operation of every edge, mixed by softmax(alpha), alpha and
 *   weights both taking gradients; its expected time is its FLOPs at the child's rate;</li>
 *   <li>ENAS' supernet step: the same all-3x3 child run through the supernet's shared weights, to set
 *   beside the child alone (no per-child rebuild).</li>
 * </ul>
 * <pre>java -cp bench/target/benchmarks.jar org.nasengine.bench.SupernetProfile [C] [N] [BATCH] [STEPS] [THREADS] [ROUNDS]</pre>
 */
public final class SupernetProfile {
    private static final String ALL_3X3 =
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";

    private SupernetProfile() {}

    public static void main(String[] args) {
        int c = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 5;
        NativeBackend.setThreads(threads);
        Nb201 child = new Nb201(Nb201.parseCell(ALL_3X3), c, n);
        try (ProfilingBackend be = new ProfilingBackend(BenchBackends.open("cpu"));
             ImageStep alone = new ImageStep(child, 3, 32, batch, be, 1);
             SupernetStep s = new SupernetStep(c, n, batch, be)) {
            Runnable[] kinds = {alone::step, s::darts, () -> s.enas(child)};
            String[] names = {"nb201 child (all 3x3) alone", "DARTS supernet step (every operation, mixed)",
                    "ENAS supernet step (the all-3x3 child through the shared weights)"};
            double[] flops = {alone.flopsPerStep(), 3 * s.net.flopsPerExample() * batch, alone.flopsPerStep()};
            for (Runnable k : kinds) for (int i = 0; i < 2; i++) k.run(); // warm-up: JIT, pool, BLAS buffers
            // the machine is shared: the kinds take turns, round after round, and each keeps its fastest round
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            List<Map<String, ProfilingBackend.Family>> profiles = new ArrayList<>(List.of(Map.of(), Map.of(), Map.of()));
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < kinds.length; k++) {
                    be.reset();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < steps; i++) kinds[k].run();
                    double ms = (System.nanoTime() - t0) / 1e6 / steps;
                    if (ms < best[k]) {
                        best[k] = ms;
                        profiles.set(k, new TreeMap<>(be.families()));
                    }
                }
            }
            for (int k = 0; k < kinds.length; k++) {
                StepProfile.print(names[k] + ", C=" + c + " N=" + n + ", fastest of " + rounds + " rounds", batch, threads, steps, best[k],
                        flops[k], profiles.get(k));
                System.out.println();
            }
            double rate = flops[0] / (best[0] / 1e3); // FLOP/s of the child's step
            double expected = flops[1] / rate * 1e3;
            System.out.printf(Locale.ROOT, "DARTS supernet: %.2f GFLOP per step (%.1fx the child's), %.1f ms at the child's %.1f GFLOP/s;"
                    + " measured %.1f ms = %.2fx the FLOPs-proportional cost%n", flops[1] / 1e9, flops[1] / flops[0], expected, rate / 1e9,
                    best[1], best[1] / expected);
            System.out.printf(Locale.ROOT, "ENAS supernet step: %.1f ms; the child alone: %.1f ms (%.2fx)%n", best[2], best[0],
                    best[2] / best[0]);
        }
    }

    /** The supernet, alpha, SGD and a fixed batch of random images: one training step as DartsSearch runs it. */
    static final class SupernetStep implements AutoCloseable {
        final Nb201Supernet net;
        private final Tensor alpha;   // (EDGES, OPS)
        private final Sgd sgd;
        private final Tensor images;  // (N, 3, 32, 32)
        private final Tensor labels;  // (N)

        SupernetStep(int c, int n, int batch, ProfilingBackend be) {
            net = new Nb201Supernet(c, n, 3, 32, 32, 10, be, 1);
            alpha = Tensor.parameter(be, new float[Nb201.EDGES * EdgeMix.OPS], Nb201.EDGES, EdgeMix.OPS);
            sgd = new Sgd(net.parameters(), new SgdConfig(0.9f, 3e-4f, false));
            SplittableRandom rnd = new SplittableRandom(1);
            float[] x = new float[batch * 3 * 32 * 32];
            for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
            int[] y = new int[batch];
            for (int i = 0; i < batch; i++) y[i] = rnd.nextInt(10);
            images = Tensor.of(be, x, batch, 3, 32, 32);
            labels = Tensor.ints(be, y, batch);
        }

        void darts() {
            try (Scope s = Scope.open()) {
                net.mix(EdgeMix.all(alpha.logSoftmax().exp()));
                train(net.forward(images));
            }
        }

        void enas(Nb201 child) {
            try (Scope s = Scope.open()) {
                train(net.forward(child, images));
            }
        }

        private void train(Tensor logits) {
            Tensor loss = CrossEntropy.softmaxCrossEntropy(logits, labels);
            sgd.zeroGrad();
            alpha.zeroGrad();
            loss.backward();
            sgd.step(0.01f);
            loss.item();
        }

        @Override
        public void close() {
            images.close();
            labels.close();
            alpha.close();
            sgd.close();
            net.close();
        }
    }

}
