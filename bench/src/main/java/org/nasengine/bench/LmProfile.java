package org.nasengine.bench;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nasengine.autograd.CrossEntropy;
import org.nasengine.backend.cpu.NativeBackend;
import org.nasengine.nas.child.ChildBuilder;
import org.nasengine.nas.child.LanguageModel;
import org.nasengine.nas.child.RnnCellNetwork.State;
import org.nasengine.nas.space.Architecture;
import org.nasengine.optim.GradClip;
import org.nasengine.optim.Sgd;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tensor;

/**
 * Where a language-model training step's time goes (the recipe's step: batch 20 x 35 steps,
 * forward, cross-entropy summed over the window, backward, clip 5, SGD), on the native backend
 * wrapped in a {@link ProfilingBackend} with one family per GEMM shape. Vocabulary 10,000 (PTB),
 * random token ids, zero state each step.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.nasengine.bench.LmProfile lstm-200 [HIDDEN] [STEPS] [THREADS]</pre>
 * The first argument names a file of shared/spec/arch; HIDDEN sizes an rnn-cell model (0 for an lstm file).
 */
public final class LmProfile {
    private static final int VOCAB = 10_000, BATCH = 20, BPTT = 35;

    private LmProfile() {}

    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "lstm-200";
        int hidden = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Architecture arch = ReferenceArchitectures.read(name);
        NativeBackend.setThreads(threads);
        SplittableRandom rnd = new SplittableRandom(1);
        int[] in = new int[BATCH * BPTT], out = new int[BATCH * BPTT];
        for (int i = 0; i < in.length; i++) {
            in[i] = rnd.nextInt(VOCAB);
            out[i] = rnd.nextInt(VOCAB);
        }
        try (ProfilingBackend be = new ProfilingBackend(BenchBackends.open("cpu"), true);
             LanguageModel model = ChildBuilder.languageModel(arch, VOCAB, hidden, 0f, be, 1);
             Sgd sgd = new Sgd(model.parameters())) {
            for (int i = 0; i < 3; i++) step(model, sgd, be, in, out); // warm-up: JIT, pool, BLAS buffers
            be.reset();
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) step(model, sgd, be, in, out);
            double stepMs = (System.nanoTime() - t0) / 1e6 / steps;
            System.out.printf(Locale.ROOT, "%s, %,d parameters, batch %d x %d steps, %d threads, mean of %d steps: %.1f ms/step, "
                    + "%.0f tokens/s%n%n", name, model.parameterCount(), BATCH, BPTT, threads, steps, stepMs, BATCH * BPTT / (stepMs / 1e3));
            StepProfile.table(steps, stepMs, be.families());
        }
    }

    private static void step(LanguageModel model, Sgd sgd, ProfilingBackend be, int[] in, int[] out) {
        try (Scope s = Scope.open()) {
            List<State> zero = model.zeroState(BATCH);
            Tensor logits = model.forward(Tensor.ints(be, in, BATCH, BPTT), zero).logits();
            Tensor loss = CrossEntropy.softmaxCrossEntropy(logits, Tensor.ints(be, out, BATCH * BPTT));
            sgd.zeroGrad();
            loss.scale(BPTT).backward();
            GradClip.clipByGlobalNorm(sgd.parameters(), 5);
            sgd.step(1f);
        }
    }
}
