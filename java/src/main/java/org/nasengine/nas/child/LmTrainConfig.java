package org.nasengine.nas.child;

/**
 * How one language-model child is trained: Zaremba et al.'s "small" recipe unless told otherwise.
 * Truncated BPTT over {@code bptt} steps with {@code batch} rows; plain SGD at {@code lr} on the
 * loss <b>summed over the window's time steps and averaged over the batch rows</b> (the recipe's
 * convention: lr 1 here is their lr 1, and is {@code bptt} times the step a per-token mean loss
 * would take); the global gradient norm of that loss clipped to {@code clipNorm}; the rate
 * multiplied by {@code lrDecay} after each epoch from epoch {@code decayAfterEpochs} on ("step":
 * lr * lrDecay^max(0, epoch + 1 - decayAfterEpochs), epochs counted from 0, so the small
 * recipe's 0.5 after 4 keeps lr 1 for four epochs, then halves it each epoch). Adam, a cosine or
 * a constant schedule are there for experiments.
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
        if (!(lrDecay > 0 && lrDecay <= 1)) throw new IllegalArgumentException("lrDecay (" + lrDecay + ") must be in (0, 1]");
        if (decayAfterEpochs < 0) throw new IllegalArgumentException("decayAfterEpochs (" + decayAfterEpochs + ") must be >= 0");
        if (maxSteps < 0) throw new IllegalArgumentException("maxSteps (" + maxSteps + ") must be >= 0 (0: no limit)");
        if (trainTokens < 0) throw new IllegalArgumentException("trainTokens (" + trainTokens + ") must be >= 0 (0: all)");
        if (evalTokens < 0) throw new IllegalArgumentException("evalTokens (" + evalTokens + ") must be >= 0 (0: all)");
        if (evalBatch < 1) throw new IllegalArgumentException("evalBatch (" + evalBatch + ") must be >= 1");
        if (!(rewardC > 0)) throw new IllegalArgumentException("rewardC (" + rewardC + ") must be > 0");
    }

    /** Zaremba et al.'s "small" recipe, whose per-epoch figures {@code train} and {@code search} default to. */
    public static final float LR = 1f, CLIP_NORM = 5f, LR_DECAY = 0.5f;
    public static final int BATCH = 20, BPTT = 35, DECAY_AFTER_EPOCHS = 4;

    /** One epoch of the small recipe: batch 20, 35 steps, SGD lr 1 on the summed loss, clip 5, x0.5 after epoch 4, reward 80 / ppl^2. */
    public static LmTrainConfig defaults() {
        return new LmTrainConfig(1, BATCH, BPTT, LR, "sgd", CLIP_NORM, "step", LR_DECAY, DECAY_AFTER_EPOCHS, 0, 0, 0, BATCH, false,
                80, 0);
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

    /** sgd or adam, with its base learning rate (applied to the loss summed over the window's steps). */
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

    /** The step schedule's factor and the epoch from which it applies (see the class comment). */
    public LmTrainConfig withDecay(float factor, int afterEpochs) {
        return new LmTrainConfig(epochs, batch, bptt, lr, optimizer, clipNorm, schedule, factor, afterEpochs, maxSteps,
                trainTokens, evalTokens, evalBatch, test, rewardC, seed);
    }
}
