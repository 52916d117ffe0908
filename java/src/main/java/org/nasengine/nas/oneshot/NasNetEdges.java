package org.nasengine.nas.oneshot;

import java.util.ArrayList;
import java.util.List;
import org.nasengine.backend.Backend;
import org.nasengine.nas.space.NasNet;
import org.nasengine.nas.space.NasNetOp;
import org.nasengine.tensor.Tensor;

/**
 * The edges of a NASNet supernet in DARTS' form, as the rows of alpha (and of an {@link EdgeMix}),
 * and its candidate operations as the columns; the translation between a {@link NasNet} and that
 * layout, both ways.
 *
 * <p>Layout: node j (0..B-1) of a cell reads every earlier hidden state, numbered as in a NASNet
 * block (0 the cell two back, 1 the previous cell, 2 + i node i), so it has 2 + j edges; the
 * normal cell's 2B + B(B-1)/2 edges come first, then the reduction cell's. Column 0 is
 * {@code none} (DARTS' zero operation), column 1 + k the k-th candidate.
 *
 * <p>Mapping to our NASNet blocks: a DARTS node that keeps two edges (input a with operation p,
 * input b with operation q) is exactly the block {@code {inputs [a, b], ops [p, q], combine add}}:
 * a block's two hidden states are the node's two inputs, its two operations the edges' operations,
 * and DARTS' sum is our {@code add}. A block reading one state twice runs both operations on the
 * same edge (the one-hot weight counts an operation chosen twice as 2). {@code concat} blocks have
 * no DARTS form and are refused.
 */
public record NasNetEdges(int blocks, List<NasNetOp> candidates) {
    /**
     * DARTS' candidates (Liu et al. 2019) as our space has them: max and average pooling 3x3,
     * identity, separable 3x3 and 5x5, dilated 3x3 (DARTS' dilated 5x5 is not in our space).
     */
    public static final List<NasNetOp> DARTS_OPS = List.of(NasNetOp.MAX_POOL_3X3, NasNetOp.AVG_POOL_3X3, NasNetOp.IDENTITY,
            NasNetOp.SEP_CONV_3X3, NasNetOp.SEP_CONV_5X5, NasNetOp.DIL_CONV_3X3);

    public NasNetEdges {
        if (blocks < 1 || blocks > NasNet.MAX_BLOCKS)
            throw new IllegalArgumentException("blocks (" + blocks + ") must be 1.." + NasNet.MAX_BLOCKS);
        candidates = List.copyOf(candidates);
        if (candidates.isEmpty() || candidates.stream().distinct().count() != candidates.size())
            throw new IllegalArgumentException("candidates " + candidates + " must be distinct, at least one");
    }

    /** Edges of one cell: 2 + j into each node j. */
    public int perCell() {
        return 2 * blocks + blocks * (blocks - 1) / 2;
    }

    public int rows() {
        return 2 * perCell();
    }

    /** none, then the candidates. */
    public int cols() {
        return 1 + candidates.size();
    }

    /** The row of the edge from hidden state {@code input} into node {@code node} of the normal or reduction cell. */
    public int row(boolean reduction, int node, int input) {
        if (node < 0 || node >= blocks || input < 0 || input >= NasNet.CELL_INPUTS + node)
            throw new IllegalArgumentException("no edge from hidden state " + input + " into node " + node + " of a " + blocks + "-node cell");
        return (reduction ? perCell() : 0) + 2 * node + node * (node - 1) / 2 + input;
    }

    /** The column of a candidate. */
    public int column(NasNetOp op) {
        int k = candidates.indexOf(op);
        if (k < 0) throw new IllegalArgumentException(op.jsonName() + " is not among the supernet's operations "
                + candidates.stream().map(NasNetOp::jsonName).toList());
        return 1 + k;
    }

    /** The candidate of a column (>= 1). */
    public NasNetOp op(int column) {
        return candidates.get(column - 1);
    }

    /** The fixed child as a mix: each block's two operations on their edges, weight 1 (2 for one chosen twice), the rest idle. */
    public EdgeMix child(NasNet arch, Backend backend) {
        float[] counts = counts(arch);
        return new EdgeMix(Tensor.of(backend, counts, rows(), cols()), active(counts), 0f);
    }

    /** The operations the child runs, unweighted (for counting its cost). */
    public boolean[][] active(NasNet arch) {
        return active(counts(arch));
    }

    /** How many of the child's block inputs use each candidate of each edge (rows x cols, flat). */
    private float[] counts(NasNet arch) {
        if (arch.normal().size() != blocks || arch.reduction().size() != blocks)
            throw new IllegalArgumentException("a " + blocks + "-node supernet runs cells of " + blocks + " blocks, not "
                    + arch.normal().size() + " and " + arch.reduction().size());
        float[] counts = new float[rows() * cols()];
        for (boolean reduction : new boolean[] {false, true}) {
            List<NasNet.Block> cell = reduction ? arch.reduction() : arch.normal();
            for (int b = 0; b < blocks; b++) {
                NasNet.Block block = cell.get(b);
                if (block.combine() != NasNet.Combine.ADD)
                    throw new IllegalArgumentException((reduction ? "reduction" : "normal") + " block " + b
                            + " concatenates: a DARTS node sums its inputs, so the supernet runs add blocks only");
                for (int k = 0; k < 2; k++) counts[row(reduction, b, block.inputs().get(k)) * cols() + column(block.ops().get(k))] += 1;
            }
        }
        return counts;
    }

    private boolean[][] active(float[] counts) {
        boolean[][] active = new boolean[rows()][cols()];
        for (int i = 0; i < counts.length; i++) active[i / cols()][i % cols()] = counts[i] > 0;
        return active;
    }

    /**
     * DARTS' rule on softmax(alpha) (rows x cols): each node keeps the two inputs whose strongest
     * operation other than {@code none} weighs most (the stronger first; on a tie the lower input),
     * each with that operation.
     */
    public NasNet discretize(float[][] probs, int repeats, int filters) {
        if (probs.length != rows()) throw new IllegalArgumentException("alpha has " + probs.length + " rows, the supernet " + rows());
        List<List<NasNet.Block>> cells = new ArrayList<>();
        for (boolean reduction : new boolean[] {false, true}) {
            List<NasNet.Block> cell = new ArrayList<>();
            for (int node = 0; node < blocks; node++) {
                int inputs = NasNet.CELL_INPUTS + node;
                int[] best = new int[inputs];
                float[] strength = new float[inputs];
                for (int i = 0; i < inputs; i++) {
                    float[] p = probs[row(reduction, node, i)];
                    best[i] = 1;
                    for (int c = 2; c < cols(); c++) if (p[c] > p[best[i]]) best[i] = c;
                    strength[i] = p[best[i]];
                }
                int first = 0;
                for (int i = 1; i < inputs; i++) if (strength[i] > strength[first]) first = i;
                int second = first == 0 ? 1 : 0;
                for (int i = 0; i < inputs; i++) if (i != first && strength[i] > strength[second]) second = i;
                cell.add(new NasNet.Block(first, op(best[first]), second, op(best[second]), NasNet.Combine.ADD));
            }
            cells.add(cell);
        }
        return new NasNet(cells.get(0), cells.get(1), repeats, filters);
    }
}
