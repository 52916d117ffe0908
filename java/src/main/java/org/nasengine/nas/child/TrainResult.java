package org.nasengine.nas.child;

import java.util.List;

/**
 * The outcome of training one image child. {@code status}: ok, diverged, out_of_memory or failed
 * (with {@code error}). Accuracies are fractions in [0, 1]; NaN where not measured.
 *
 * @param trainImagesPerSec images per second of the timed training steps alone (after the warm-up),
 *                          no evaluation in it
 * @param evalImagesPerSec  images per second of the validation and test passes
 */
public record TrainResult(String status, String error, int epochs, long steps, double trainImagesPerSec,
                          double evalImagesPerSec, List<Double> valAccuracies, double reward, double testAccuracy,
                          double lastLoss) {

    public boolean ok() { return status.equals("ok"); }

    public double lastValAccuracy() {
        return valAccuracies.isEmpty() ? Double.NaN : valAccuracies.getLast();
    }
}
