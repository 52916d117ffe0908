package org.nasengine.nas.oneshot;

import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.nasengine.autograd.WeightedSum;
import org.nasengine.backend.Backend;
import org.nasengine.nas.child.CellOp;
import org.nasengine.nas.child.CellOps;
import org.nasengine.nas.space.Nb201;
import org.nasengine.tensor.Tensor;

/**
 * A NAS-Bench-201 cell that holds every candidate operation of every edge, built by the same
 * {@link CellOps#create} as a fixed child's cell, so a child's edge and the supernet's edge are
 * the same module, except that batch normalization learns no scale and shift here (as in
 * DARTS' and the benchmark's search cells: a learned scale would undo an operation's weight in
 * the mixture, and make a trained convolution look no better than zero to the architecture gradient). Node j sums the edges into it as {@code Nb201Cell} does; each edge runs what
 * the supernet's current {@link EdgeMix} says. A node none of whose edges run is a zero map, and
 * the edges leaving it still run on it (as in the benchmark).
 */
public final class MixedCell extends CellOp {
    private final int channels;
    private final CellOp[][] ops = new CellOp[Nb201.EDGES][EdgeMix.OPS]; // [edge][op], null for none
    private final Supplier<EdgeMix> mix;

    public MixedCell(int channels, Supplier<EdgeMix> mix, Backend backend, RandomGenerator rng) {
        if (channels <= 0) throw new IllegalArgumentException("cell channels (" + channels + ") must be > 0");
        this.channels = channels;
        this.mix = mix;
        for (int e = 0; e < Nb201.EDGES; e++)
            for (Nb201.Op op : Nb201.Op.values())
                if (op != Nb201.Op.NONE) ops[e][op.ordinal()] = registerChild(CellOps.create(op, channels, backend, rng, false));
    }

    @Override
    public Tensor forward(Tensor x) { // (N, C, H, W) -> (N, C, H, W)
        if (x.rank() != 4 || x.dim(1) != channels)
            throw new IllegalArgumentException("mixed nb201 cell of " + channels + " channels: input " + x + " must be (N, "
                    + channels + ", H, W)");
        EdgeMix m = mix.get().require(Nb201.EDGES, EdgeMix.OPS, "mixed nb201 cell");
        Tensor[] nodes = new Tensor[Nb201.NODES]; // each (N, C, H, W)
        nodes[0] = x;
        for (int to = 1; to < Nb201.NODES; to++) {
            Tensor sum = null;
            for (int from = 0; from < to; from++) {
                Tensor y = edge(m, Nb201.edgeIndex(to, from), nodes[from]);
                if (y != null) sum = sum == null ? y : sum.add(y);
            }
            nodes[to] = sum == null ? Tensor.zeros(x.backend(), x.shape()) : sum;
        }
        return nodes[Nb201.NODES - 1];
    }

    /** The edge's output under the mix (plus the auxiliary skip), or null when only the zero operation is active. */
    private Tensor edge(EdgeMix m, int e, Tensor in) {
        Tensor[] outs = new Tensor[EdgeMix.OPS];
        Tensor only = null;
        int count = 0;
        for (int k = 0; k < EdgeMix.OPS; k++) {
            if (!m.active()[e][k] || ops[e][k] == null) continue;
            outs[k] = ops[e][k].forward(in);
            if (m.weights() == null) only = count == 0 ? outs[k] : only.add(outs[k]);
            count++;
        }
        Tensor y = count == 0 ? null : m.weights() == null ? only : WeightedSum.of(m.weights(), e, outs);
        if (m.auxSkip() > 0) y = y == null ? in.scale(m.auxSkip()) : y.add(in.scale(m.auxSkip()));
        return y;
    }

    /** The module of operation {@code op} on edge {@code e} (null for none). */
    public CellOp op(int e, Nb201.Op op) {
        return ops[e][op.ordinal()];
    }

    @Override
    public int outChannels() {
        return channels;
    }

    /** Every candidate of every edge: what a DARTS step computes. */
    @Override
    public double flops(int h, int w) {
        double total = 0;
        for (CellOp[] edge : ops)
            for (CellOp op : edge) if (op != null) total += op.flops(h, w);
        return total;
    }

    @Override
    public String describe() {
        return "mixed nb201 cell " + channels + ": 6 edges x {skip, 1x1, 3x3, avgpool}";
    }
}
