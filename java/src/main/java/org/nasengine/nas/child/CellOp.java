package org.nasengine.nas.child;

import org.nasengine.nn.Module;
import org.nasengine.tensor.Tensor;

/**
 * One operation of a NASNet block or a NAS-Bench-201 edge, already bound to its input width, the
 * stage's filter count F and its stride: (N, Cin, H, W) in, (N, outChannels, ceil(H/stride),
 * ceil(W/stride)) out. {@link CellOps#create} is the one place that decides which subclass an
 * operation becomes. Whole NAS-Bench-201 cells and its residual reduction block follow the same
 * contract, so its network is one list of them.
 */
public abstract class CellOp extends Module {

    /** x (N, Cin, H, W) -> (N, outChannels(), ceil(H/stride), ceil(W/stride)). */
    public abstract Tensor forward(Tensor x);

    public abstract int outChannels();

    /** Forward FLOPs (2 per multiply-add of the convolutions) for one example of h x w. */
    public abstract double flops(int h, int w);

    /** A short human-readable form, e.g. {@code relu-conv3x3/2-bn 16->32}. */
    public abstract String describe();

    /** ceil(size / stride): the output size of every same-padded operation here. */
    static int outSize(int size, int stride) {
        return (size + stride - 1) / stride;
    }
}
