package org.nasengine.nas.oneshot;

import java.util.ArrayList;
import java.util.List;
import org.nasengine.backend.Backend;
import org.nasengine.data.ImageSplit;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.Nb201;
import org.nasengine.tensor.Rng;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/** Small pieces the weight-sharing searches share: alpha's start, Gumbel noise, argmaxes, evaluation. */
final class Archs {
    private Archs() {}

    /** DARTS' start: alpha = 1e-3 * N(0, 1), {@code size} values (EDGES x OPS). */
    static float[] initialAlpha(long seed, int size) {
        Rng rng = new Rng(seed ^ 0x3C6EF372FE94F82BL);
        float[] a = new float[size];
        for (int i = 0; i < a.length; i++) a[i] = (float) (1e-3 * gaussian(rng));
        return a;
    }

    /** Standard Gumbel noise -log(-log u), u uniform in (0, 1), {@code size} values (EDGES x OPS). */
    static float[] gumbelNoise(Rng rng, int size) {
        float[] g = new float[size];
        for (int i = 0; i < g.length; i++) {
            double u = rng.nextDouble();
            while (u <= 0) u = rng.nextDouble(); // not u < 0: log(0) is the infinity GDAS redraws on
            g[i] = (float) -Math.log(-Math.log(u));
        }
        return g;
    }

    static double gaussian(Rng rng) {
        double u = rng.nextDouble(), v = rng.nextDouble();
        while (u <= 0) u = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    static float[][] rows(float[] flat, int cols) {
        float[][] out = new float[flat.length / cols][cols];
        for (int r = 0; r < out.length; r++) System.arraycopy(flat, r * cols, out[r], 0, cols);
        return out;
    }

    static int[] argmaxRows(float[] flat, int cols) {
        float[][] r = rows(flat, cols);
        int[] out = new int[r.length];
        for (int e = 0; e < r.length; e++) out[e] = argmax(r[e]);
        return out;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) if (v[k] > v[best]) best = k;
        return best;
    }

    /** The benchmark's DARTS discretization: each edge's strongest operation, none included. */
    static List<Nb201.Op> argmax(float[][] probs) {
        List<Nb201.Op> edges = new ArrayList<>();
        for (float[] row : probs) edges.add(Nb201.Op.values()[argmax(row)]);
        return edges;
    }

    static float[] oneHot(int[] chosen, int cols) {
        float[] h = new float[chosen.length * cols];
        for (int e = 0; e < chosen.length; e++) h[e * cols + chosen[e]] = 1f;
        return h;
    }

    static long correct(float[] logits, int[] labels, int classes) {
        long hits = 0;
        for (int i = 0; i < logits.length / classes; i++) {
            int arg = 0;
            for (int k = 1; k < classes; k++) if (logits[i * classes + k] > logits[i * classes + arg]) arg = k;
            if (arg == labels[i]) hits++;
        }
        return hits;
    }

    /** Whether every value of every tensor is finite (a NaN or infinity gives a non-finite sum of squares). */
    static boolean finite(List<Tensor> tensors) {
        for (Tensor t : tensors) if (!Double.isFinite(t.backend().sumOfSquares(t.size(), t.data()))) return false;
        return true;
    }

    /**
     * Top-1 accuracy of {@code child} on the whole split through the shared weights, without
     * recording. Batch normalization uses each batch's own statistics, as the shared weights are
     * trained (the running statistics mix every child ever sampled); the short last batch runs at its size.
     */
    static double accuracy(SharedModel model, Architecture child, ImageSplit split, int batch) {
        return accuracy(model, child, split, 0, split.count(), batch);
    }

    /** The same on images [from, to) of the split. */
    static double accuracy(SharedModel model, Architecture child, ImageSplit split, int from, int to, int batch) {
        Backend be = model.module().parameters().getFirst().backend();
        model.module().train();
        int len = split.imageLength();
        long hits = 0;
        try (Tape.Guard g = Tape.noGrad()) {
            for (int start = from; start < to; start += batch) {
                int n = Math.min(batch, to - start);
                if (n < 2 && start > from) n = 0; // batch statistics need two images; a lone last one is left out
                if (n == 0) break;
                float[] images = new float[n * len];
                System.arraycopy(split.images(), start * len, images, 0, n * len);
                int[] labels = new int[n];
                System.arraycopy(split.labels(), start, labels, 0, n);
                try (Scope s = Scope.open()) {
                    Tensor logits = model.forward(child, Tensor.of(be, images, n, split.channels(), split.height(), split.width()));
                    hits += correct(logits.toArray(), labels, split.classes());
                }
            }
        }
        return Math.round(hits / (double) (to - from) * 1e4) / 1e4;
    }
}
