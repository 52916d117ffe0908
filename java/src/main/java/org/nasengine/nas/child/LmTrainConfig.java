package org.nasengine.nas.child;

/**
 * How one language-model child is trained, after the medium baseline of Zaremba et al.: truncated
 * BPTT over {@code bptt} steps with batch {@code batch}, SGD at lr 1 with the global gradient norm
 * clipped to {@code clipNorm}, the rate divided by 1.2 each epoch from epoch 6 on ("step":
 * lr * lrDecay^max(0, epoch - decayAfterEpochs + 1)); or Adam, or a cosine or constant schedule.
 *
 * @param maxSteps    stop after this many updates (0: no limit)
 * @param trainTokens train on the first this many training tokens (0: all)
 * @param evalTokens  evaluate on the first this many validation (and test) tokens (0: all)
 * @param clipNorm    maximum global gradient norm (0: no clipping)
 * @param test        also measure test perplexity
 * @param rewardC     the reward is rewardC / (validation perplexity)^2 (Zoph and Le: 80)
 */
public record LmTrainConfig(int epochs, int batch, int bptt, float lr, String optimizer, float clipNorm, String schedule,
                            float lrDecay, int decayAfterEpochs, long maxSteps, int trainTokens, int evalTokens,
                            int evalBatch, boolean test, double rewardC, long seed) {

    public LmTrainConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs (" + epochs + ") must be >= 1");
        if (batch < 1) throw new IllegalArgumentException("batch (" + batch + ") must be >= 1");
        if (bptt < 1) throw new IllegalArgumentException("bptt (" + bptt + ") must be >= 1");
        if (!(lr > 0) || Float.isInfinite(lr)) throw new IllegalArgumentException("lr (" + lr + ") must be finite and > 0");
        if (!optimizer.equals("sgd") && !optimizer.equals("adam"))
            throw new IllegalArgumentException("optimizer '" + optimizer + "' must be sgd or adam");
        if (!(clipNorm >= 0)) throw new IllegalArgumentException("clipNorm (" + clipNorm + ") must be >= 0 (0: no clipping)");
        if (!schedule.equals("step") && !schedule.equals("cosine") && !schedule.equals("constant"))
            throw new IllegalArgumentException("schedule '" + schedule + "' must be step, cosine or constant");
        if (!(lrDecay > 0)) throw new IllegalArgumentException("lrDecay (" + lrDecay + ") must be > 0");
        if (decayAfterEpochs < 0) throw new IllegalArgumentException("decayAfterEpochs (" + decayAfterEpochs + ") must be >= 0");
        if (maxSteps < 0) throw new IllegalArgumentException("maxSteps (" + maxSteps + ") must be >= 0 (0: no limit)");
        if (trainTokens < 0) throw new IllegalArgumentException("trainTokens (" + trainTokens + ") must be >= 0 (0: all)");
        if (evalTokens < 0) throw new IllegalArgumentException("evalTokens (" + evalTokens + ") must be >= 0 (0: all)");
        if (evalBatch < 1) throw new IllegalArgumentException("evalBatch (" + evalBatch + ") must be >= 1");
        if (!(rewardC > 0)) throw new IllegalArgumentException("rewardC (" + rewardC + ") must be > 0");
    }

    /** One epoch of the medium recipe: batch 20, 35 steps, SGD lr 1, clip 5, reward 80 / ppl^2. */
    public static LmTrainConfig defaults() {
        return new LmTrainConfig(1, 20, 35, 1f, "sgd", 5f, "step", 1f / 1.2f, 6, 0, 0, 0, 20, false, 80, 0);
    }

    public LmTrainConfig withEpochs(int e) {
        return new LmTrainConfig(e, batch, bptt, lr, optimizer, clipNorm, schedule, lrDecay, decayAfterEpochs, maxSteps,
                trainTokens, evalTokens, evalBatch, test, rewardC, seed);
    }

    /** Batch rows and BPTT steps; evaluation uses the same number of rows. */
    public LmTrainConfig withBatch(int b, int steps) {
        return new LmTrainConfig(epochs, b, steps, lr, optimizer, clipNorm, schedule, lrDecay, decayAfterEpochs, maxSteps,
                trainTokens, evalTokens, b, test, rewardC, seed);
    }

    /** sgd or adam, with its base learning rate (applied to the per-token mean loss). */
    public LmTrainConfig withOptimizer(String opt, float rate) {
        return new LmTrainConfig(epochs, batch, bptt, rate, opt, clipNorm, schedule, lrDecay, decayAfterEpochs, maxSteps,
                trainTokens, evalTokens, evalBatch, test, rewardC, seed);
    }

    public LmTrainConfig withSchedule(String s) {
        return new LmTrainConfig(epochs, batch, bptt, lr, optimizer, clipNorm, s, lrDecay, decayAfterEpochs, maxSteps,
                trainTokens, evalTokens, evalBatch, test, rewardC, seed);
    }

    public LmTrainConfig withMaxSteps(long steps) {
        return new LmTrainConfig(epochs, batch, bptt, lr, optimizer, clipNorm, schedule, lrDecay, decayAfterEpochs, steps,
                trainTokens, evalTokens, evalBatch, test, rewardC, seed);
    }

    /** Use only the first {@code train} training and {@code eval} validation/test tokens (0: all). */
    public LmTrainConfig withTokens(int train, int eval) {
        return new LmTrainConfig(epochs, batch, bptt, lr, optimizer, clipNorm, schedule, lrDecay, decayAfterEpochs, maxSteps,
                train, eval, evalBatch, test, rewardC, seed);
    }

    public LmTrainConfig withTest(boolean t) {
        return new LmTrainConfig(epochs, batch, bptt, lr, optimizer, clipNorm, schedule, lrDecay, decayAfterEpochs, maxSteps,
                trainTokens, evalTokens, evalBatch, t, rewardC, seed);
    }

    public LmTrainConfig withClipNorm(float norm) {
        return new LmTrainConfig(epochs, batch, bptt, lr, optimizer, norm, schedule, lrDecay, decayAfterEpochs, maxSteps,
                trainTokens, evalTokens, evalBatch, test, rewardC, seed);
    }
}
