package org.nasengine.bench;

import java.util.SplittableRandom;
import org.nasengine.autograd.CrossEntropy;
import org.nasengine.backend.Backend;
import org.nasengine.nas.child.RnnLanguageModel;
import org.nasengine.nas.space.RnnCell;
import org.nasengine.optim.GradClip;
import org.nasengine.optim.Sgd;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tensor;

/**
 * One truncated-BPTT step of the spec's language model as {@code LanguageModelTrainer} runs it
 * (zero state, forward over the window, softmax cross-entropy summed over the steps, backward,
 * global-norm clip 5, plain SGD at lr 1), on fixed random token ids held outside the step's scope.
 */
public final class LmStep implements AutoCloseable {
    private final RnnLanguageModel model;
    private final Sgd sgd;
    private final Tensor ids;     // (N, T) int32
    private final Tensor targets; // (N*T) int32
    private final int batch, steps;

    public LmStep(RnnCell cell, int vocab, int hidden, int batch, int steps, Backend backend, long seed) {
        this.batch = batch;
        this.steps = steps;
        model = new RnnLanguageModel(cell, vocab, hidden, RnnLanguageModel.DEFAULT_DROPOUT,
                RnnLanguageModel.DEFAULT_INIT_RANGE, backend, seed);
        sgd = new Sgd(model.parameters());
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] in = new int[batch * steps], out = new int[batch * steps];
        for (int i = 0; i < in.length; i++) {
            in[i] = rnd.nextInt(vocab);
            out[i] = rnd.nextInt(vocab);
        }
        ids = Tensor.ints(backend, in, batch, steps); // no scope open: lives until close()
        targets = Tensor.ints(backend, out, batch * steps);
    }

    public float step() {
        try (Scope s = Scope.open()) {
            RnnLanguageModel.Output out = model.forward(ids, model.zeroState(batch));
            Tensor loss = CrossEntropy.softmaxCrossEntropy(out.logits(), targets);
            sgd.zeroGrad();
            loss.scale(steps).backward(); // the recipe's objective: summed over the window's steps
            GradClip.clipByGlobalNorm(sgd.parameters(), 5);
            sgd.step(1f);
            return loss.item();
        }
    }

    public int tokensPerStep() {
        return batch * steps;
    }

    /**
     * Multiply-add FLOPs of one step, forward + backward = 3x forward, counting the matmuls only:
     * per token and layer 2*base*H*H for W x and as much for U h, then 2*H*vocab for the softmax.
     */
    public double flopsPerStep() {
        double h = model.hidden(), base = model.cell().base();
        double perToken = RnnLanguageModel.LAYERS * 2 * (2 * base * h * h) + 2 * h * model.vocab();
        return 3 * perToken * tokensPerStep();
    }

    @Override
    public void close() {
        ids.close();
        targets.close();
        sgd.close();
        model.close();
    }
}
