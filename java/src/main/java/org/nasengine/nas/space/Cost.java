package org.nasengine.nas.space;

/** What an architecture costs: forward FLOPs per example and parameters. */
public record Cost(double flops, long params) {
    @Override
    public String toString() {
        return String.format("%.2f MFLOPs, %,d parameters", flops / 1e6, params);
    }
}
