package org.nasengine.nas.search;

/** What training one child produced: its reward, its validation metric, and how it ended. */
public record ChildResult(double reward, double valMetric, long params, double seconds, String status, String error) {

    public static ChildResult failed(String status, String error, double seconds) {
        return new ChildResult(0, Double.NaN, 0, seconds, status, error);
    }
}
