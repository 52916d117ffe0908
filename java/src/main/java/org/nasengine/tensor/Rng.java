package org.nasengine.tensor;

import org.nasengine.backend.DropoutHash;

/**
 * A seeded generator whose whole state is one long, so a search checkpoint can save and restore
 * it exactly (java.util's generators hide theirs). splitmix64 over a Weyl sequence.
 */
public final class Rng {
    private long state;

    public Rng(long seed) { this.state = seed; }

    public long state() { return state; }
    public void setState(long state) { this.state = state; }

    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return DropoutHash.splitmix64(state);
    }

    /** Uniform in [0, 1) with 53 bits. */
    public double nextDouble() { return (nextLong() >>> 11) * 0x1.0p-53; }

    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound (" + bound + ") must be > 0");
        return (int) Math.floorMod(nextLong(), (long) bound);
    }
}
