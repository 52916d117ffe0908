package org.nasengine.data;

import java.util.SplittableRandom;

/** The one Fisher-Yates shuffle behind hold-outs, batch orders and synthetic class levels. */
final class Shuffle {
    private Shuffle() {
    }

    /** 0..n-1 in an order drawn from {@code rng}. */
    static int[] permutation(int n, SplittableRandom rng) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        shuffle(perm, rng);
        return perm;
    }

    static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
