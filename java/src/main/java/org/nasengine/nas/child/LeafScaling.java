package org.nasengine.nas.child;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nasengine.autograd.Join;
import org.nasengine.autograd.MatMul;
import org.nasengine.backend.Backend;
import org.nasengine.nn.Embedding;
import org.nasengine.nn.Init;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/**
 * The initialization under which tree cells train: after the uniform draw, each leaf's W_i and U_i
 * are rescaled so that both operands of the leaf, {@code W_i x + b_i} and {@code U_i h_{t-1}},
 * have a root-mean-square of 1 on a window of random token ids (layer-sequential unit variance,
 * Mishkin and Matas 2016, applied per leaf).
 *
 * <p>Why: with every weight drawn from U(-0.1, 0.1) both operands are of order 0.05 at hidden sizes
 * near 200, and a tree multiplies them: an {@code elem_mult} leaf gives 0.0025, an {@code elem_mult}
 * node above it 10^-5, and so on to the root, whose output is then a constant (0 for tanh, relu
 * and identity, 0.5 for sigmoid) that carries no information about the input. The LSTM does not
 * suffer from this because its products are with sigmoid gates near 0.5. ENAS meets the same
 * problem with highway connections and batch normalization of each node; here the architecture is
 * fixed by the spec, so only the scale of the leaves is chosen, and internal nodes of O(1) inputs
 * give O(1) outputs. Embedding rows of random ids are distributed as those of real text, so no data
 * is needed. An operand that is exactly zero (U h while h stays 0, which some trees do from a zero
 * state whatever their weights) is left as drawn.
 */
final class LeafScaling {
    /**
     * Steps of the calibration window, passes over it per layer, and the values per leaf operand
     * its rows aim for (an RMS from 20,000 values is good to about 1%; more rows would only slow
     * the construction of large models).
     */
    static final int STEPS = 12, PASSES = 4, SAMPLES = 20_000;
    private static final double TARGET_RMS = 1.0;

    private LeafScaling() {}

    /** Rescales the leaves of {@code layers}, the first fed by {@code embedding}, each next by the one before. */
    static void apply(Embedding embedding, List<RnnCellNetwork> layers, int vocab, long seed) {
        try (Tape.Guard g = Tape.noGrad(); Scope s = Scope.open()) {
            Tensor x = window(embedding, vocab, seed); // (N*T, in)
            int rows = x.dim(0) / STEPS;
            for (RnnCellNetwork layer : layers) {
                for (int pass = 0; pass < PASSES; pass++) {
                    double[][] rms = operandRms(layer, x, rows);
                    boolean settled = true;
                    for (int leaf = 0; leaf < layer.cell().base(); leaf++) {
                        settled &= rescale(layer.w(), leaf, layer.hidden(), rms[0][leaf]);
                        settled &= rescale(layer.u(), leaf, layer.hidden(), rms[1][leaf]);
                    }
                    if (settled) break;
                }
                x = layer.forward(x, STEPS, layer.zeroState(rows)).outputs(); // the next layer's input, (N*T, H)
            }
        }
    }

    /**
     * The embedded calibration window, (N*STEPS, dim) with rows in (n, t) order, from ids drawn
     * with the seed; N rows (2..16) give about SAMPLES values per leaf operand.
     */
    private static Tensor window(Embedding embedding, int vocab, long seed) {
        int dim = embedding.table().dim(1), rows = Math.clamp((SAMPLES + STEPS * dim - 1) / (STEPS * dim), 2, 16);
        RandomGenerator rng = Init.rng(seed ^ 0x5CA1EL);
        int[] ids = new int[rows * STEPS];
        for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(vocab);
        Backend be = embedding.table().backend();
        return embedding.forward(Tensor.ints(be, ids, rows, STEPS)).reshape(rows * STEPS, -1);
    }

    /**
     * RMS of each leaf's W_i x + b_i (row 0) and U_i h_{t-1} (row 1) over the window, from a zero
     * state; U h is measured from the second step on (it is 0 at the first).
     */
    private static double[][] operandRms(RnnCellNetwork layer, Tensor x, int rows) {
        int base = layer.cell().base(), h = layer.hidden(), width = base * h;
        double[] wxSq = new double[base], uhSq = new double[base];
        Tensor all = layer.project(x).reshape(rows, STEPS * width); // (N, T*base*H)
        addSquares(all.toArray(), width, h, wxSq);
        RnnCellNetwork.State state = layer.zeroState(rows);
        for (int t = 0; t < STEPS; t++) {
            Tensor wx = Join.columns(all, t * width, (t + 1) * width); // (N, base*H)
            if (t > 0) addSquares(MatMul.linear(state.h(), layer.u(), null).toArray(), width, h, uhSq);
            state = layer.step(wx, state);
        }
        double[][] rms = new double[2][base];
        for (int leaf = 0; leaf < base; leaf++) {
            rms[0][leaf] = Math.sqrt(wxSq[leaf] / ((double) rows * STEPS * h));
            rms[1][leaf] = Math.sqrt(uhSq[leaf] / ((double) rows * (STEPS - 1) * h));
        }
        return rms;
    }

    /** Adds the squares of a row-major array of rows of {@code width} (leaf i owns columns [i*h, (i+1)*h)) per leaf. */
    private static void addSquares(float[] values, int width, int h, double[] sums) {
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            sums[(i % width) / h] += v * v;
        }
    }

    /**
     * Multiplies leaf {@code leaf}'s rows of {@code weight} (base*H, cols) by TARGET_RMS / rms; true
     * when the operand was already within 2% of the target or is dead. The bias is left as drawn:
     * scaled with W it would give every unit a large constant offset, and a constant component of h
     * is what makes the softmax layer unstable at the recipe's rate.
     */
    private static boolean rescale(Tensor weight, int leaf, int h, double rms) {
        if (!(rms > 1e-12) || !Double.isFinite(rms)) return true; // dead (or broken): nothing to scale
        float f = (float) (TARGET_RMS / rms);
        if (Math.abs(f - 1) < 0.02) return true;
        int cols = weight.dim(1);
        float[] v = weight.toArray();
        for (int i = leaf * h * cols; i < (leaf + 1) * h * cols; i++) v[i] *= f;
        weight.set(v);
        return false;
    }

    /** For tests: the RMS of every leaf operand of every layer on the calibration window, [layer][0: W x + b, 1: U h][leaf]. */
    static List<double[][]> measure(Embedding embedding, List<RnnCellNetwork> layers, int vocab, long seed) {
        List<double[][]> out = new ArrayList<>();
        try (Tape.Guard g = Tape.noGrad(); Scope s = Scope.open()) {
            Tensor x = window(embedding, vocab, seed);
            int rows = x.dim(0) / STEPS;
            for (RnnCellNetwork layer : layers) {
                out.add(operandRms(layer, x, rows));
                x = layer.forward(x, STEPS, layer.zeroState(rows)).outputs();
            }
        }
        return out;
    }
}
