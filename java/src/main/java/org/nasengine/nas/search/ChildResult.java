package org.nasengine.nas.search;

import java.io.Serializable;

/**
 * What evaluating one child produced: its reward, its validation metric, its size and cost, and how
 * it ended. {@code flops} is forward FLOPs per example (NaN where not known); {@code report} a
 * held-out figure for the record only, never shown to the strategy (NaN where there is none).
 * Serializable: a cluster executor sends it back to the driver (see org.nasengine.cluster).
 */
public record ChildResult(double reward, double valMetric, long params, double flops, double seconds, String status, String error,
                          double report) implements Serializable {

    public static ChildResult failed(String status, String error, double seconds) {
        return new ChildResult(0, Double.NaN, 0, Double.NaN, seconds, status, error, Double.NaN);
    }
}
