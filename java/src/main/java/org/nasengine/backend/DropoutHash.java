package org.nasengine.backend;

/** The counter-based uniform draw every backend uses for dropout masks, so masks agree across devices. */
public final class DropoutHash {
    private DropoutHash() {}

    public static long splitmix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 24 bits, exactly representable in float. */
    public static float uniform(long seed, long i) {
        return (splitmix64(seed + i * 0x9E3779B97F4A7C15L) >>> 40) / 16777216f;
    }
}
