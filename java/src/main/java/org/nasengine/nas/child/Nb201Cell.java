package org.nasengine.nas.child;

import java.util.List;
import java.util.random.RandomGenerator;
import org.nasengine.backend.Backend;
import org.nasengine.nas.space.Nb201;
import org.nasengine.tensor.Tensor;

/**
 * One NAS-Bench-201 cell at width C and stride 1: node 0 is the input, node j (1..3) is the sum
 * over i &lt; j of {@code op_{j,i}(node i)}, node 3 is the output. Every edge keeps (C, H, W).
 *
 * <p>{@code none} is zero, so its edge is left out of the sum. A node whose edges are all
 * {@code none} is a zero map, and the edges leaving it still run on it, as in the benchmark
 * (there a convolution of zeros is not zero once batch normalization adds its shift); a cell whose
 * output node has only {@code none} edges outputs zeros.
 */
public final class Nb201Cell extends CellOp {
    private final List<Nb201.Op> edges;                          // the benchmark's order
    private final int channels;
    private final CellOp[] ops = new CellOp[Nb201.EDGES];        // null for none

    public Nb201Cell(Nb201 arch, int channels, Backend backend, RandomGenerator rng) {
        if (channels <= 0) throw new IllegalArgumentException("cell channels (" + channels + ") must be > 0");
        this.edges = arch.edges();
        this.channels = channels;
        for (int e = 0; e < Nb201.EDGES; e++) {
            Nb201.Op op = edges.get(e);
            if (op != Nb201.Op.NONE) ops[e] = registerChild("edges." + e, CellOps.create(op, channels, backend, rng));
        }
    }

    @Override
    public Tensor forward(Tensor x) { // (N, C, H, W) -> (N, C, H, W)
        if (x.rank() != 4 || x.dim(1) != channels)
            throw new IllegalArgumentException("nb201 cell of " + channels + " channels: input " + x + " must be (N, "
                    + channels + ", H, W)");
        Tensor[] nodes = new Tensor[Nb201.NODES]; // each (N, C, H, W)
        nodes[0] = x;
        for (int to = 1; to < Nb201.NODES; to++) {
            Tensor sum = null;
            for (int from = 0; from < to; from++) {
                CellOp op = ops[Nb201.edgeIndex(to, from)];
                if (op == null) continue; // none adds nothing
                Tensor y = op.forward(nodes[from]);
                sum = sum == null ? y : sum.add(y);
            }
            nodes[to] = sum == null ? Tensor.zeros(x.backend(), x.shape()) : sum;
        }
        return nodes[Nb201.NODES - 1];
    }

    /** The module of the edge from node {@code from} into node {@code to}, or null for none. */
    public CellOp op(int to, int from) {
        return ops[Nb201.edgeIndex(to, from)];
    }

    @Override
    public int outChannels() {
        return channels;
    }

    @Override
    public double flops(int h, int w) {
        double total = 0;
        for (CellOp op : ops) if (op != null) total += op.flops(h, w);
        return total;
    }

    /** E.g. {@code nb201 cell 16: 3x3 x2, skip x2} (the edges that are not none, by kind). */
    @Override
    public String describe() {
        int[] count = new int[Nb201.Op.values().length];
        for (Nb201.Op op : edges) count[op.ordinal()]++;
        StringBuilder sb = new StringBuilder("nb201 cell ").append(channels).append(':');
        String sep = " ";
        for (Nb201.Op op : Nb201.Op.values()) {
            if (op == Nb201.Op.NONE || count[op.ordinal()] == 0) continue;
            sb.append(sep).append(shortName(op)).append(" x").append(count[op.ordinal()]);
            sep = ", ";
        }
        if (sep.equals(" ")) sb.append(" all none");
        return sb.toString();
    }

    private static String shortName(Nb201.Op op) {
        return switch (op) {
            case NONE -> "none";
            case SKIP_CONNECT -> "skip";
            case NOR_CONV_1X1 -> "1x1";
            case NOR_CONV_3X3 -> "3x3";
            case AVG_POOL_3X3 -> "avgpool";
        };
    }
}
