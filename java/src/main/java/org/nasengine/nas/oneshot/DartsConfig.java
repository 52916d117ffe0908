package org.nasengine.nas.oneshot;

import java.util.Arrays;

/**
 * A DARTS search on the NAS-Bench-201 cell (Liu et al. 2019, as the benchmark runs it): weights by
 * SGD on training batches (momentum 0.9, cosine from {@code lr} to {@code lrMin}, weight decay,
 * gradient norm clipped), alphas by Adam (betas 0.5, 0.999, weight decay) on validation batches.
 *
 * @param mode         the plain method or a remedy against its collapse (see {@link Mode})
 * @param secondOrder  the unrolled (second-order) alpha gradient instead of the first-order one
 * @param tauMax       GDAS: the Gumbel-softmax temperature of the first epoch, falling linearly to {@code tauMin}
 * @param channels     C of the supernet (its stages run C, 2C, 4C)
 * @param cellsPerStage cells per stage of the supernet
 * @param warmupEpochs first epochs that train the weights only, alpha held at its start (0 in the paper)
 */
public record DartsConfig(Mode mode, boolean secondOrder, int epochs, int warmupEpochs, int batch, float lr, float lrMin, float momentum,
                          float weightDecay, float gradClip, float archLr, float archWeightDecay, float tauMax, float tauMin,
                          int channels, int cellsPerStage, boolean augment, long seed) {

    /** The plain method, or one published remedy against its collapse to parameter-free operations. */
    public enum Mode {
        /** DARTS: every operation of every edge, mixed by softmax(alpha). */
        PLAIN("plain"),
        /** GDAS (Dong and Yang 2019): one operation per edge sampled by Gumbel-softmax, straight-through gradient. */
        GDAS("gdas"),
        /** DARTS- (Chu et al. 2021): an auxiliary skip connection on every edge, its weight decaying from 1 to 0. */
        AUX_SKIP("aux-skip");

        private final String cliName;

        Mode(String cliName) { this.cliName = cliName; }

        public String cliName() { return cliName; }

        public static Mode parse(String name) {
            for (Mode m : values()) if (m.cliName.equals(name)) return m;
            throw new IllegalArgumentException("DARTS mode '" + name + "' is not one of "
                    + String.join(", ", Arrays.stream(values()).map(Mode::cliName).toList()));
        }
    }

    public DartsConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs (" + epochs + ") must be >= 1");
        if (warmupEpochs < 0 || warmupEpochs >= epochs)
            throw new IllegalArgumentException("warm-up epochs (" + warmupEpochs + ") must be >= 0 and fewer than the epochs (" + epochs + ")");
        if (batch < 2) throw new IllegalArgumentException("batch (" + batch + ") must be >= 2");
        if (!(lr > 0) || !(lrMin >= 0) || lrMin > lr) throw new IllegalArgumentException("lr (" + lr + ") must be > 0 and >= lr min (" + lrMin + ") >= 0");
        if (!(archLr > 0)) throw new IllegalArgumentException("arch lr (" + archLr + ") must be > 0");
        if (!(tauMax >= tauMin) || !(tauMin > 0)) throw new IllegalArgumentException("tau (" + tauMax + " -> " + tauMin + ") must fall to a value > 0");
        if (secondOrder && mode == Mode.GDAS) throw new IllegalArgumentException("the second-order gradient is DARTS': GDAS has none");
        if (channels < 1 || cellsPerStage < 1) throw new IllegalArgumentException("supernet channels (" + channels + ") and cells per stage ("
                + cellsPerStage + ") must be >= 1");
    }

    /** The benchmark's DARTS settings, with a supernet small enough for a CPU. */
    public static DartsConfig defaults() {
        return new DartsConfig(Mode.PLAIN, false, 50, 0, 64, 0.025f, 0.001f, 0.9f, 3e-4f, 5f, 3e-4f, 1e-3f, 10f, 0.1f, 16, 1, true, 1);
    }

    public DartsConfig withMode(Mode m) {
        return new DartsConfig(m, secondOrder, epochs, warmupEpochs, batch, lr, lrMin, momentum, weightDecay, gradClip, archLr, archWeightDecay,
                tauMax, tauMin, channels, cellsPerStage, augment, seed);
    }

    public DartsConfig withSecondOrder(boolean on) {
        return new DartsConfig(mode, on, epochs, warmupEpochs, batch, lr, lrMin, momentum, weightDecay, gradClip, archLr, archWeightDecay,
                tauMax, tauMin, channels, cellsPerStage, augment, seed);
    }

    public DartsConfig withEpochs(int e) {
        return new DartsConfig(mode, secondOrder, e, warmupEpochs, batch, lr, lrMin, momentum, weightDecay, gradClip, archLr, archWeightDecay,
                tauMax, tauMin, channels, cellsPerStage, augment, seed);
    }

    public DartsConfig withWarmup(int w) {
        return new DartsConfig(mode, secondOrder, epochs, w, batch, lr, lrMin, momentum, weightDecay, gradClip, archLr, archWeightDecay,
                tauMax, tauMin, channels, cellsPerStage, augment, seed);
    }

    public DartsConfig withBatch(int b) {
        return new DartsConfig(mode, secondOrder, epochs, warmupEpochs, b, lr, lrMin, momentum, weightDecay, gradClip, archLr, archWeightDecay,
                tauMax, tauMin, channels, cellsPerStage, augment, seed);
    }

    public DartsConfig withLr(float l) {
        return new DartsConfig(mode, secondOrder, epochs, warmupEpochs, batch, l, Math.min(lrMin, l), momentum, weightDecay, gradClip, archLr,
                archWeightDecay, tauMax, tauMin, channels, cellsPerStage, augment, seed);
    }

    public DartsConfig withArchLr(float l) {
        return new DartsConfig(mode, secondOrder, epochs, warmupEpochs, batch, lr, lrMin, momentum, weightDecay, gradClip, l, archWeightDecay,
                tauMax, tauMin, channels, cellsPerStage, augment, seed);
    }

    public DartsConfig withSupernet(int c, int n) {
        return new DartsConfig(mode, secondOrder, epochs, warmupEpochs, batch, lr, lrMin, momentum, weightDecay, gradClip, archLr, archWeightDecay,
                tauMax, tauMin, c, n, augment, seed);
    }

    public DartsConfig withAugment(boolean on) {
        return new DartsConfig(mode, secondOrder, epochs, warmupEpochs, batch, lr, lrMin, momentum, weightDecay, gradClip, archLr, archWeightDecay,
                tauMax, tauMin, channels, cellsPerStage, on, seed);
    }

    public DartsConfig withSeed(long s) {
        return new DartsConfig(mode, secondOrder, epochs, warmupEpochs, batch, lr, lrMin, momentum, weightDecay, gradClip, archLr, archWeightDecay,
                tauMax, tauMin, channels, cellsPerStage, augment, s);
    }
}
