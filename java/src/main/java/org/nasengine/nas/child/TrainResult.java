package org.nasengine.nas.child;

import java.util.List;

/**
 * The outcome of training one image child. {@code status}: ok, diverged, out_of_memory or failed
 * (with {@code error}). Accuracies are fractions in [0, 1]; NaN where not measured.
 */
public record TrainResult(String status, String error, int epochs, long steps, double trainImagesPerSec,
                          List<Double> valAccuracies, double reward, double testAccuracy, double lastLoss) {

    public boolean ok() { return status.equals("ok"); }


    public double lastValAccuracy() {
        return valAccuracies.isEmpty() ? Double.NaN : valAccuracies.getLast();
    }
}
