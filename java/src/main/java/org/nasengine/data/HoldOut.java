package org.nasengine.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How the validation split is held out of the training set: {@code min(maxCount,
 * round(fraction * n))} images drawn at random by {@code seed}, so the same seed always holds out
 * the same images. The default (10%, at most 5,000) gives CIFAR-10's usual 45,000/5,000.
 */
public record HoldOut(double fraction, int maxCount, long seed) {
    public static final HoldOut DEFAULT = new HoldOut(0.1, 5_000, 0);

    public HoldOut {
        if (!(fraction >= 0 && fraction <= 1)) // not (fraction < 0 || ...), to reject NaN
            throw new IllegalArgumentException("fraction (" + fraction + ") must be in 0..1");
        if (maxCount < 0) throw new IllegalArgumentException("maxCount (" + maxCount + ") must be >= 0");
    }

    /** Exactly {@code count} images (fewer only if the training set is smaller). */
    public static HoldOut ofCount(int count, long seed) {
        return new HoldOut(1.0, count, seed);
    }

    public static HoldOut ofFraction(double fraction, long seed) {
        return new HoldOut(fraction, Integer.MAX_VALUE, seed);
    }

    /** No validation split: every training image trains (final retraining). */
    public static HoldOut none() {
        return new HoldOut(0, 0, 0);
    }

    public HoldOut withSeed(long newSeed) {
        return new HoldOut(fraction, maxCount, newSeed);
    }

    /** The validation size for a training set of n images. */
    public int count(int n) {
        return (int) Math.min(maxCount, Math.min(n, Math.round(fraction * n)));
    }

    /**
     * Indices 0..n-1 split into {train, validation}, each ascending so that both keep the file's
     * order; disjoint and together all of 0..n-1.
     */
    public int[][] split(int n) {
        int[] perm = Shuffle.permutation(n, new SplittableRandom(seed));
        int k = count(n);
        int[] validation = Arrays.copyOfRange(perm, 0, k);
        int[] train = Arrays.copyOfRange(perm, k, n);
        Arrays.sort(validation);
        Arrays.sort(train);
        return new int[][] {train, validation};
    }
}
