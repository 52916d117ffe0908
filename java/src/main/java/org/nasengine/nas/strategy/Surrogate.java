package org.nasengine.nas.strategy;

import java.util.ArrayList;
import java.util.List;
import org.nasengine.backend.AdamConfig;
import org.nasengine.backend.Backend;
import org.nasengine.nn.Init;
import org.nasengine.nn.Linear;
import org.nasengine.nn.Module;
import org.nasengine.optim.Adam;
import org.nasengine.tensor.Rng;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/**
 * The performance predictor of {@link SmboStrategy}: an ensemble of small MLPs (one-hot tokens ->
 * two ReLU layers -> one score) built on our own engine, each trained from its own initialisation
 * by Adam on the mean squared error to the rewards' normal scores (their ranks, so the scale does
 * not matter). The spread of the ensemble's predictions is its uncertainty (BANANAS, White et al. 2021).
 */
final class Surrogate implements AutoCloseable {
    private static final float LR = 0.02f;

    private final Backend backend;
    private final int[] offsets; // first one-hot column of each token of the largest space
    private final int width;     // one-hot columns
    private final List<Mlp> models = new ArrayList<>();

    private static final class Mlp extends Module {
        final Linear l1, l2, out;

        Mlp(Backend backend, long seed, int in, int hidden) {
            var init = Init.rng(seed);
            l1 = registerChild(new Linear(backend, init, in, hidden, true));
            l2 = registerChild(new Linear(backend, init, hidden, hidden, true));
            out = registerChild(new Linear(backend, init, hidden, 1, true));
        }

        /** x (N, in) -> (N, 1). */
        Tensor forward(Tensor x) {
            return out.forward(l2.forward(l1.forward(x).relu()).relu());
        }
    }

    /**
     * Trains {@code count} networks on the layouts {@code x} (tokens of the largest space, -1
     * absent) and targets {@code y}; seeds drawn from {@code rng}.
     */
    Surrogate(Backend backend, int[] cardinalities, List<int[]> x, double[] y, int count, int hidden, int steps, Rng rng) {
        this.backend = backend;
        this.offsets = new int[cardinalities.length];
        int w = 0;
        for (int t = 0; t < cardinalities.length; t++) {
            offsets[t] = w;
            w += cardinalities[t];
        }
        this.width = w;
        float[] target = new float[y.length];
        for (int i = 0; i < y.length; i++) target[i] = (float) y[i];
        for (int m = 0; m < count; m++) {
            Mlp net = new Mlp(backend, rng.nextLong(), width, hidden);
            models.add(net);
            try (Adam adam = new Adam(net.parameters(), AdamConfig.defaults())) {
                for (int s = 0; s < steps; s++) {
                    try (Scope scope = Scope.open()) {
                        Tensor pred = net.forward(oneHot(x));                        // (N, 1)
                        Tensor loss = pred.sub(Tensor.of(backend, target, y.length, 1)).square().mean();
                        adam.zeroGrad();
                        loss.backward();
                        adam.step(LR);
                    }
                }
            }
        }
    }

    /** Each model's prediction for each layout: (models, N). */
    double[][] predict(List<int[]> layouts) {
        double[][] out = new double[models.size()][];
        try (Tape.Guard g = Tape.noGrad(); Scope s = Scope.open()) {
            Tensor x = oneHot(layouts);
            for (int m = 0; m < models.size(); m++) {
                float[] p = models.get(m).forward(x).toArray();
                out[m] = new double[p.length];
                for (int i = 0; i < p.length; i++) out[m][i] = p[i];
            }
        }
        return out;
    }

    /** (N, width): one column set per token, all zero where the token is absent. */
    private Tensor oneHot(List<int[]> layouts) {
        float[] v = new float[layouts.size() * width];
        for (int i = 0; i < layouts.size(); i++) {
            int[] l = layouts.get(i);
            for (int t = 0; t < l.length; t++) if (l[t] >= 0) v[i * width + offsets[t] + l[t]] = 1;
        }
        return Tensor.of(backend, v, layouts.size(), width);
    }

    @Override
    public void close() {
        models.forEach(Module::close);
    }
}
