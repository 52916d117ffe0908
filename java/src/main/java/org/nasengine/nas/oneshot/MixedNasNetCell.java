package org.nasengine.nas.oneshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nasengine.autograd.Join;
import org.nasengine.autograd.WeightedSum;
import org.nasengine.backend.Backend;
import org.nasengine.nas.child.CellOp;
import org.nasengine.nas.child.CellOps;
import org.nasengine.nas.child.ConvBnOp;
import org.nasengine.nas.child.NasNetCell;
import org.nasengine.nas.space.NasNet;
import org.nasengine.nn.Module;
import org.nasengine.tensor.Tensor;

/**
 * A NASNet cell in DARTS' form that holds every candidate operation of every edge: node j sums,
 * over every earlier hidden state, that edge's operations as the supernet's {@link EdgeMix} says;
 * the output concatenates all B nodes (B x F channels).
 *
 * <p>The inputs and operations are those of a fixed child's {@link NasNetCell}, so that a child run
 * through the supernet is that child: the two-back input brought to the previous one's shape by
 * the same 1x1 agreement convolution, each operation built by {@link CellOps#create} from the raw
 * input width (convolutions map it to F, identity and pooling on another width are preceded by a
 * 1x1 projection), stride 2 on cell inputs in a reduction cell. Batch normalization learns no scale
 * and shift here (as in DARTS' search cells, see {@link MixedCell}). Where this differs from the
 * child: the output holds every node, where a NASNet cell concatenates only the blocks no block
 * reads; the two agree for children whose blocks read only the cell inputs.
 */
public final class MixedNasNetCell extends Module {
    private final NasNetEdges edges;
    private final boolean reduction;
    private final int filters;
    private final int[] in0, in1, outShape;     // (C, H, W)
    private final ConvBnOp agree;               // null when the inputs already agree
    private final CellOp[][] ops;               // [edge of this cell][column], null for none

    /**
     * @param in0 (C, H, W) of the cell two back, @param in1 (C, H, W) of the previous cell
     * @param filters the stage's F: every operation outputs F channels
     */
    public MixedNasNetCell(NasNetEdges edges, boolean reduction, int[] in0, int[] in1, int filters, Backend backend,
                           RandomGenerator rng) {
        if (filters <= 0) throw new IllegalArgumentException("filters (" + filters + ") must be > 0");
        this.edges = edges;
        this.reduction = reduction;
        this.filters = filters;
        this.in0 = in0.clone();
        this.in1 = in1.clone();
        agree = Arrays.equals(in0, in1) ? null : registerChild("agree",
                ConvBnOp.projection(backend, rng, in0[0], in1[0], NasNetCell.agreementStride(in0, in1), false));
        int stride = reduction ? 2 : 1;
        ops = new CellOp[edges.perCell()][edges.cols()];
        for (int node = 0; node < edges.blocks(); node++)
            for (int input = 0; input < NasNet.CELL_INPUTS + node; input++) {
                boolean cellInput = input < NasNet.CELL_INPUTS;
                int e = local(node, input);
                for (int c = 1; c < edges.cols(); c++)
                    ops[e][c] = registerChild("edges." + e + "." + edges.op(c).jsonName(), CellOps.create(edges.op(c),
                            cellInput ? in1[0] : filters, filters, cellInput ? stride : 1, backend, rng, false));
            }
        outShape = new int[] {edges.blocks() * filters, (in1[1] + stride - 1) / stride, (in1[2] + stride - 1) / stride};
    }

    /** The edge's index among this cell's own: its row in the normal cell's block of rows, whichever cell this is. */
    private int local(int node, int input) {
        return edges.row(false, node, input);
    }

    /** x0 (N, C0, H0, W0) two back, x1 (N, C1, H1, W1) previous -> (N, B*F, H', W'), each edge as {@code mix} says. */
    public Tensor forward(Tensor x0, Tensor x1, EdgeMix mix) {
        if (x0.rank() != 4 || x0.dim(1) != in0[0] || x1.rank() != 4 || x1.dim(1) != in1[0])
            throw new IllegalArgumentException("mixed nasnet cell built for inputs " + Arrays.toString(in0) + " and "
                    + Arrays.toString(in1) + ", got " + x0 + " and " + x1);
        List<Tensor> states = new ArrayList<>(NasNet.CELL_INPUTS + edges.blocks());
        states.add(agree == null ? x0 : agree.forward(x0));
        states.add(x1);
        List<Tensor> nodes = new ArrayList<>(edges.blocks());
        for (int node = 0; node < edges.blocks(); node++) {
            Tensor sum = null;
            for (int input = 0; input < NasNet.CELL_INPUTS + node; input++) {
                Tensor y = edge(mix, edges.row(reduction, node, input), local(node, input), states.get(input));
                if (y != null) sum = sum == null ? y : sum.add(y);
            }
            if (sum == null) sum = Tensor.zeros(x1.backend(), x1.dim(0), filters, outShape[1], outShape[2]); // every edge idle
            nodes.add(sum);
            states.add(sum);
        }
        return Join.concatChannels(nodes);
    }

    /** The edge's output under the mix (row {@code row}), or null when none of its operations runs. */
    private Tensor edge(EdgeMix m, int row, int e, Tensor in) {
        Tensor[] outs = new Tensor[edges.cols()];
        Tensor only = null;
        int count = 0;
        for (int c = 1; c < edges.cols(); c++) {
            if (!m.active()[row][c]) continue;
            outs[c] = ops[e][c].forward(in);
            if (m.weights() == null) only = count == 0 ? outs[c] : only.add(outs[c]);
            count++;
        }
        return count == 0 ? null : m.weights() == null ? only : WeightedSum.of(m.weights(), row, outs);
    }

    /** The module of candidate column {@code column} on the edge from {@code input} into {@code node}. */
    public CellOp op(int node, int input, int column) {
        return ops[local(node, input)][column];
    }

    /** The 1x1 convolution + BN that brings the two-back input to the previous one's shape, or null. */
    public ConvBnOp agree() {
        return agree;
    }

    /** (C, H, W) of the output. */
    public int[] outputShape() {
        return outShape.clone();
    }

    /** Forward FLOPs per example of the agreement and of every operation {@code mix} runs. */
    public double flops(EdgeMix mix) {
        double total = agree == null ? 0 : agree.flops(in0[1], in0[2]);
        for (int node = 0; node < edges.blocks(); node++)
            for (int input = 0; input < NasNet.CELL_INPUTS + node; input++) {
                boolean cellInput = input < NasNet.CELL_INPUTS;
                int row = edges.row(reduction, node, input);
                for (int c = 1; c < edges.cols(); c++)
                    if (mix.active()[row][c]) total += ops[local(node, input)][c].flops(cellInput ? in1[1] : outShape[1],
                            cellInput ? in1[2] : outShape[2]);
            }
        return total;
    }
}
