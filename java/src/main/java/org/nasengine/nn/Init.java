package org.nasengine.nn;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/** Deterministic parameter initialization from a seeded generator. */
public final class Init {
    private Init() {}

    /** The generator the modules are meant to be built with: L64X128MixRandom with this seed. */
    public static RandomGenerator rng(long seed) {
        return RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    /**
     * He (Kaiming) uniform for layers followed by ReLU: U(-b, b) with b = sqrt(6 / fanIn), which
     * keeps the activations' second moment through the layer.
     */
    public static float[] heUniform(RandomGenerator rng, int fanIn, int count) {
        if (fanIn <= 0) throw new IllegalArgumentException("fanIn (" + fanIn + ") must be > 0");
        return uniform(rng, (float) Math.sqrt(6.0 / fanIn), count);
    }

    /** U(-a, a). */
    public static float[] uniform(RandomGenerator rng, float a, int count) {
        if (!(a >= 0)) throw new IllegalArgumentException("uniform range (" + a + ") must be >= 0");
        float[] v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float) ((rng.nextDouble() * 2 - 1) * a);
        return v;
    }

    public static float[] constant(float value, int count) {
        float[] v = new float[count];
        java.util.Arrays.fill(v, value);
        return v;
    }
}
