package org.nasengine.bench;

import java.util.Locale;
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
 * images) are timed, each after two warm-up steps:
 * <ul>
 *   <li>the child alone: the all-3x3 cell built as a fixed {@code Nb201Network} ({@link ImageStep});
 *   its GFLOP/s is the rate the FLOPs-proportional cost assumes;</li>
 *   <li>DARTS' supernet step: every operation of every edge, mixed by softmax(alpha), alpha and
 *   weights both taking gradients; its expected time is its FLOPs at the child's rate;</li>
 *   <li>ENAS' supernet step: the same all-3x3 child run through the supernet's shared weights, to set
 *   beside the child alone (no per-child rebuild).</li>
 * </ul>
 * <pre>java -cp bench/target/benchmarks.jar org.nasengine.bench.SupernetProfile [C] [N] [BATCH] [STEPS] [THREADS]</pre>
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
        NativeBackend.setThreads(threads);
        Nb201 child = new Nb201(Nb201.parseCell(ALL_3X3), c, n);
        try (ProfilingBackend be = new ProfilingBackend(BenchBackends.open("cpu"))) {
            double childMs, childFlops;
            try (ImageStep step = new ImageStep(child, 3, 32, batch, be, 1)) {
                childMs = time(be, step::step, steps);
                childFlops = step.flopsPerStep();
                StepProfile.print("nb201 child (all 3x3) C=" + c + " N=" + n, batch, threads, steps, childMs, childFlops, be.families());
            }
            double rate = childFlops / (childMs / 1e3); // FLOP/s of the child step
            try (SupernetStep s = new SupernetStep(c, n, batch, be)) {
                double ms = time(be, s::darts, steps), flops = 3 * s.net.flopsPerExample() * batch;
                System.out.println();
                StepProfile.print("DARTS supernet step C=" + c + " N=" + n, batch, threads, steps, ms, flops, be.families());
                double expected = flops / rate * 1e3;
                System.out.printf(Locale.ROOT, "%nDARTS supernet: %.1f GFLOP per step, %.1f ms at the child's %.1f GFLOP/s;"
                        + " measured %.1f ms = %.2fx the FLOPs-proportional cost%n", flops / 1e9, expected, rate / 1e9, ms, ms / expected);
                double enasMs = time(be, () -> s.enas(child), steps);
                System.out.printf(Locale.ROOT, "ENAS supernet step (the all-3x3 child through the shared weights): %.1f ms;"
                        + " the child alone: %.1f ms (%.2fx)%n", enasMs, childMs, enasMs / childMs);
            }
        }
    }

    private static double time(ProfilingBackend be, Runnable step, int steps) {
        for (int i = 0; i < 2; i++) step.run(); // warm-up: JIT, pool, BLAS buffers
        be.reset();
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) step.run();
        return (System.nanoTime() - t0) / 1e6 / steps;
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
