package org.nasengine.bench.peer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nasengine.nas.space.NasNet;
import org.nasengine.nas.space.NasNetOp;

/**
 * The spec's NASNet network as a DJL block, built from any {@link NasNet} value the way our
 * NasNetNetwork builds it: a 3x3 stem + BN; repeats normal cells, a reduction cell (filters
 * doubled), repeats normal, a reduction, repeats normal; global average pooling, linear. In a cell
 * the two-back input is brought to the previous input's shape by a 1x1 convolution + BN (stride 2
 * after a reduction); convolution operations are ReLU, convolutions without bias, BN; sep_conv is
 * that unit twice (depthwise then pointwise); identity and pooling on another width get a 1x1
 * convolution + BN first; average pooling does not count the padding; in a reduction cell the
 * operations on cell inputs have stride 2. Child blocks learn their input shapes from one
 * forward pass at initialization, so no shape is worked out twice.
 */
public final class PeerNasNet extends AbstractBlock {
    /** One operation of a block, bound to its child blocks. */
    private interface Op {
        NDArray apply(ParameterStore ps, NDArray x, boolean training);
    }

    private record Cell(Op agree, List<NasNet.Block> blocks, List<Op[]> ops, List<Integer> unread, int[] outShape) {}

    private final int classes;
    private final Conv2d stem;
    private final BatchNorm stemNorm;
    private final List<Cell> cells = new ArrayList<>();
    private final Linear classifier;
    private NDManager initializing; // set while the shape-finding pass initializes the children
    private int children;

    public PeerNasNet(NasNet arch, int channels, int height, int width, int classes) {
        this.classes = classes;
        int f = arch.filters();
        stem = conv(f, 3, 3, 1, 1, 1);
        stemNorm = norm();
        int[] twoBack = {f, height, width}, previous = twoBack; // (C, H, W)
        for (int stage = 0; stage < 3; stage++) {
            if (stage > 0) {
                f *= 2;
                cells.add(cell(arch.reduction(), true, twoBack, previous, f));
                twoBack = previous;
                previous = cells.getLast().outShape();
            }
            for (int r = 0; r < arch.repeats(); r++) {
                cells.add(cell(arch.normal(), false, twoBack, previous, f));
                twoBack = previous;
                previous = cells.getLast().outShape();
            }
        }
        classifier = addChildBlock("classifier", Linear.builder().setUnits(classes).optBias(true).build());
    }

    private Cell cell(List<NasNet.Block> blocks, boolean reduction, int[] in0, int[] in1, int f) {
        Op agree = Arrays.equals(in0, in1) ? null : convBn(false, List.of(conv(in1[0], 1, 1, agreementStride(in0, in1), 1, 1)));
        int stride = reduction ? 2 : 1;
        int[] blockChannels = new int[blocks.size()];
        List<Op[]> ops = new ArrayList<>();
        for (int b = 0; b < blocks.size(); b++) {
            NasNet.Block block = blocks.get(b);
            Op[] pair = new Op[2];
            for (int k = 0; k < 2; k++) {
                int input = block.inputs().get(k);
                boolean cellInput = input < NasNet.CELL_INPUTS;
                int cin = cellInput ? in1[0] : blockChannels[input - NasNet.CELL_INPUTS];
                pair[k] = op(block.ops().get(k), cin, f, cellInput ? stride : 1);
            }
            ops.add(pair);
            blockChannels[b] = block.combine() == NasNet.Combine.ADD ? f : 2 * f;
        }
        List<Integer> unread = NasNet.unreadBlocks(blocks);
        int channels = unread.stream().mapToInt(b -> blockChannels[b]).sum();
        return new Cell(agree, blocks, ops, unread,
                new int[] {channels, (in1[1] + stride - 1) / stride, (in1[2] + stride - 1) / stride});
    }

    private static int agreementStride(int[] a, int[] b) {
        if (a[1] == b[1] && a[2] == b[2]) return 1;
        if ((a[1] + 1) / 2 == b[1] && (a[2] + 1) / 2 == b[2]) return 2;
        throw new IllegalArgumentException("cell inputs " + Arrays.toString(a) + " and " + Arrays.toString(b)
                + " differ by more than one reduction");
    }

    private Op op(NasNetOp op, int cin, int f, int stride) {
        int k = op.kernel();
        return switch (op.kind()) {
            case IDENTITY -> cin == f && stride == 1 ? (ps, x, t) -> x : convBn(false, List.of(conv(f, 1, 1, stride, 1, 1)));
            case CONV -> convBn(true, List.of(conv(f, k, k, stride, 1, 1)));
            case FACTORIZED_CONV -> convBn(true, List.of(conv(f, 1, k, stride, 1, 1), conv(f, k, 1, 1, 1, 1)));
            case DILATED_CONV -> convBn(true, List.of(conv(f, k, k, stride, 2, 1)));
            case SEP_CONV -> {
                Op first = convBn(true, List.of(conv(cin, k, k, stride, 1, cin), conv(f, 1, 1, 1, 1, 1)));
                Op second = convBn(true, List.of(conv(f, k, k, 1, 1, f), conv(f, 1, 1, 1, 1, 1)));
                yield (ps, x, t) -> second.apply(ps, first.apply(ps, x, t), t);
            }
            case AVG_POOL, MAX_POOL -> {
                Op projection = cin == f ? null : convBn(false, List.of(conv(f, 1, 1, 1, 1, 1)));
                boolean avg = op.kind() == NasNetOp.Kind.AVG_POOL;
                Shape window = new Shape(k, k), strides = new Shape(stride, stride), pad = new Shape((k - 1) / 2, (k - 1) / 2);
                yield (ps, x, t) -> {
                    NDArray y = projection == null ? x : projection.apply(ps, x, t);
                    return avg ? Pool.avgPool2d(y, window, strides, pad, false, false) : Pool.maxPool2d(y, window, strides, pad, false);
                };
            }
        };
    }

    /** Optional ReLU, the convolutions, then batch norm. */
    private Op convBn(boolean relu, List<Conv2d> convs) {
        BatchNorm bn = norm();
        return (ps, x, t) -> {
            NDArray y = relu ? Activation.relu(x) : x;
            for (Conv2d c : convs) y = run(c, ps, y, t);
            return run(bn, ps, y, t);
        };
    }

    /** A same-padded convolution without bias; the input width is learnt at initialization. */
    private Conv2d conv(int cout, int kh, int kw, int stride, int dilation, int groups) {
        return addChildBlock("conv" + children++, Conv2d.builder()
                .setKernelShape(new Shape(kh, kw)).setFilters(cout)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape((kh - 1) / 2 * dilation, (kw - 1) / 2 * dilation))
                .optDilation(new Shape(dilation, dilation))
                .optGroups(groups).optBias(false).build());
    }

    private BatchNorm norm() {
        // DJL's momentum weighs the old running value: 0.9 is PyTorch's (and our) 0.1
        return addChildBlock("bn" + children++, BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build());
    }

    private NDArray run(Block b, ParameterStore ps, NDArray x, boolean training) {
        if (initializing != null && !b.isInitialized()) b.initialize(initializing, DataType.FLOAT32, x.getShape());
        return b.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray s = run(stemNorm, ps, run(stem, ps, inputs.singletonOrThrow(), training), training); // (N, F, H, W)
        NDArray twoBack = s, previous = s;
        for (Cell cell : cells) {
            NDArray out = forward(cell, ps, twoBack, previous, training);
            twoBack = previous;
            previous = out;
        }
        Shape shape = previous.getShape();
        NDArray pooled = previous.reshape(new Shape(shape.get(0), shape.get(1), -1)).mean(new int[] {2}); // (N, C)
        return new NDList(run(classifier, ps, pooled, training));
    }

    private NDArray forward(Cell cell, ParameterStore ps, NDArray x0, NDArray x1, boolean training) {
        List<NDArray> states = new ArrayList<>();
        states.add(cell.agree() == null ? x0 : cell.agree().apply(ps, x0, training));
        states.add(x1);
        for (int b = 0; b < cell.blocks().size(); b++) {
            NasNet.Block block = cell.blocks().get(b);
            NDArray left = cell.ops().get(b)[0].apply(ps, states.get(block.inputs().get(0)), training);
            NDArray right = cell.ops().get(b)[1].apply(ps, states.get(block.inputs().get(1)), training);
            states.add(block.combine() == NasNet.Combine.ADD ? left.add(right) : NDArrays.concat(new NDList(left, right), 1));
        }
        NDList out = new NDList();
        for (int b : cell.unread()) out.add(states.get(NasNet.CELL_INPUTS + b));
        return out.size() == 1 ? out.getFirst() : NDArrays.concat(out, 1);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        initializing = manager;
        try (NDManager scratch = manager.newSubManager()) {
            forwardInternal(new ParameterStore(scratch, false), new NDList(scratch.zeros(inputShapes[0])), false, null);
        } finally {
            initializing = null;
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
    }
}
