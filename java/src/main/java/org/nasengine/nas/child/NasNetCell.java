package org.nasengine.nas.child;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nasengine.autograd.Join;
import org.nasengine.backend.Backend;
import org.nasengine.nas.space.NasNet;
import org.nasengine.nn.Module;
import org.nasengine.tensor.Tensor;

/**
 * One NASNet cell: its two inputs (hidden state 0, the cell two back; 1, the previous cell)
 * brought to agreement, then its blocks, then the channel concat of the blocks no block reads.
 *
 * <p>Agreement: where the two-back input differs from the previous one in width or size, a 1x1
 * convolution + BN (stride 2 when it is larger, the case right after a reduction) maps it to the
 * previous input's (C, H, W). The spec asks for one 1x1 convolution bringing the inputs into
 * agreement; matching the previous cell's shape is the reading under which both then agree.
 * In a reduction cell every operation on a cell input has stride 2; operations on block outputs
 * (already reduced) have stride 1.
 */
public final class NasNetCell extends Module {
    private final List<NasNet.Block> blocks;
    private final boolean reduction;
    private final int filters;
    private final int[] in0, in1;              // (C, H, W) of the raw inputs
    private final ConvBnOp agree;              // null when the inputs already agree
    private final List<CellOp[]> ops = new ArrayList<>(); // per block, one op per input
    private final int[] blockChannels;
    private final List<Integer> unread;
    private final int[] outShape;              // (C, H, W)

    /**
     * @param in0 (C, H, W) of the cell two back, @param in1 (C, H, W) of the previous cell
     * @param filters the stage's F: every operation outputs F channels
     */
    public NasNetCell(List<NasNet.Block> blocks, boolean reduction, int[] in0, int[] in1, int filters,
                      Backend backend, RandomGenerator rng) {
        if (filters <= 0) throw new IllegalArgumentException("filters (" + filters + ") must be > 0");
        this.blocks = List.copyOf(blocks);
        this.reduction = reduction;
        this.filters = filters;
        this.in0 = in0.clone();
        this.in1 = in1.clone();
        agree = Arrays.equals(in0, in1) ? null
                : registerChild("agree", ConvBnOp.projection(backend, rng, in0[0], in1[0], agreementStride(in0, in1)));

        int stride = reduction ? 2 : 1;
        blockChannels = new int[blocks.size()];
        for (int b = 0; b < blocks.size(); b++) {
            NasNet.Block block = blocks.get(b);
            CellOp[] pair = new CellOp[2];
            for (int k = 0; k < 2; k++) {
                int input = block.inputs().get(k);
                boolean cellInput = input < NasNet.CELL_INPUTS;
                int cin = cellInput ? in1[0] : blockChannels[input - NasNet.CELL_INPUTS];
                pair[k] = registerChild("blocks." + b + ".op" + k, CellOps.create(block.ops().get(k), cin, filters, cellInput ? stride : 1, backend, rng));
            }
            ops.add(pair);
            blockChannels[b] = block.combine() == NasNet.Combine.ADD ? filters : 2 * filters;
        }
        unread = NasNet.unreadBlocks(blocks);
        int channels = unread.stream().mapToInt(b -> blockChannels[b]).sum();
        outShape = new int[] {channels, CellOp.outSize(in1[1], stride), CellOp.outSize(in1[2], stride)};
    }

    /** The stride that brings a two-back input of (C, H, W) a to the size of b: 1 or 2. */
    public static int agreementStride(int[] a, int[] b) {
        if (a[1] == b[1] && a[2] == b[2]) return 1;
        if (CellOp.outSize(a[1], 2) == b[1] && CellOp.outSize(a[2], 2) == b[2]) return 2;
        throw new IllegalArgumentException("cell inputs " + Arrays.toString(a) + " and " + Arrays.toString(b)
                + " differ by more than one reduction");
    }

    /** x0 (N, C0, H0, W0) two back, x1 (N, C1, H1, W1) previous -> (N, outShape()). */
    public Tensor forward(Tensor x0, Tensor x1) {
        List<Tensor> states = new ArrayList<>(NasNet.CELL_INPUTS + blocks.size());
        states.add(agree == null ? x0 : agree.forward(x0));
        states.add(x1);
        for (int b = 0; b < blocks.size(); b++) {
            NasNet.Block block = blocks.get(b);
            CellOp[] pair = ops.get(b);
            Tensor left = pair[0].forward(states.get(block.inputs().get(0)));   // (N, F, H', W')
            Tensor right = pair[1].forward(states.get(block.inputs().get(1)));  // (N, F, H', W')
            states.add(block.combine() == NasNet.Combine.ADD ? left.add(right) : Join.concatChannels(List.of(left, right)));
        }
        return Join.concatChannels(unread.stream().map(b -> states.get(NasNet.CELL_INPUTS + b)).toList());
    }

    /** (C, H, W) of the output. */
    public int[] outputShape() {
        return outShape.clone();
    }

    public List<NasNet.Block> blocks() {
        return blocks;
    }

    /** The 1x1 convolution + BN that brings the two-back input to the previous one's shape, or null. */
    public ConvBnOp agree() {
        return agree;
    }

    /** The blocks whose outputs make the cell's output, in order. */
    public List<Integer> unread() {
        return unread;
    }

    public boolean isReduction() {
        return reduction;
    }

    public int filters() {
        return filters;
    }

    /** The operation of input k (0 or 1) of block b. */
    public CellOp op(int block, int k) {
        return ops.get(block)[k];
    }

    /** Forward FLOPs per example: the agreement convolution and every operation's. */
    public double flops() {
        double total = agree == null ? 0 : agree.flops(in0[1], in0[2]);
        int[] blockH = new int[blocks.size()], blockW = new int[blocks.size()];
        for (int b = 0; b < blocks.size(); b++) {
            for (int k = 0; k < 2; k++) {
                int input = blocks.get(b).inputs().get(k);
                boolean cellInput = input < NasNet.CELL_INPUTS;
                total += ops.get(b)[k].flops(cellInput ? in1[1] : blockH[input - NasNet.CELL_INPUTS],
                        cellInput ? in1[2] : blockW[input - NasNet.CELL_INPUTS]);
            }
            blockH[b] = outShape[1];
            blockW[b] = outShape[2];
        }
        return total;
    }

    /** E.g. {@code <- [32x16x16, 160x16x16] (agree 1x1/1)}. */
    public String describeInputs() {
        return "<- [" + shape(in0) + ", " + shape(in1) + "]" + (agree == null ? "" : " (agree " + agree.describe() + ")");
    }

    private static String shape(int[] s) {
        return s[0] + "x" + s[1] + "x" + s[2];
    }
}
