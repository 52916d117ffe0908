package org.nasengine.nas.child;

import java.util.List;

/**
 * The outcome of training one language-model child. {@code status}: ok, diverged (a non-finite
 * training loss or validation perplexity), out_of_memory, with {@code error} saying where.
 * Perplexities are NaN where not measured; the reward is 0 unless the status is ok.
 *
 * @param trainTokensPerSec tokens per second of the timed training windows alone (after the
 *                          warm-up), no evaluation in it
 * @param evalTokensPerSec  tokens per second of the validation and test passes
 * @param valPerplexities   validation perplexity after each finished epoch
 * @param trainPerplexity   exp of the mean training loss over the last epoch's windows
 */
public record LmTrainResult(String status, String error, int epochs, long steps, double trainTokensPerSec,
                            double evalTokensPerSec, double trainPerplexity, List<Double> valPerplexities, double testPerplexity, double reward,
                            double lastLoss) {

    public boolean ok() {
        return status.equals("ok");
    }

    /** The validation perplexity after the last epoch, NaN if none finished. */
    public double valPerplexity() {
        return valPerplexities.isEmpty() ? Double.NaN : valPerplexities.getLast();
    }

    /** Zoph and Le's reward: c / perplexity^2. */
    public static double reward(double c, double perplexity) {
        return c / (perplexity * perplexity);
    }
}
