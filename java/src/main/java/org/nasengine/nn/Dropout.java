package org.nasengine.nn;

import org.nasengine.backend.DropoutHash;
import org.nasengine.tensor.Tensor;

/**
 * Inverted dropout with a fresh mask per call: the k-th call uses seed splitmix64(seed + k), so a
 * run is reproducible from its seed. Identity in evaluation mode.
 */
public final class Dropout extends Module {
    private final float rate;
    private final long seed;
    private long calls;

    /** @param rate probability of dropping a value, in [0, 1) */
    public Dropout(float rate, long seed) {
        if (!(rate >= 0f && rate < 1f)) throw new IllegalArgumentException("dropout rate (" + rate + ") must be in [0, 1)");
        this.rate = rate;
        this.seed = seed;
    }

    public Tensor forward(Tensor x) {
        if (!isTraining() || rate == 0f) return x;
        long callSeed = DropoutHash.splitmix64(seed + calls++);
        return org.nasengine.autograd.Dropout.dropout(x, 1f - rate, callSeed, true);
    }

    public float rate() { return rate; }
}
