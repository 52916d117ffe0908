package org.nasengine.nas.child;

import java.util.List;
import java.util.random.RandomGenerator;
import org.nasengine.backend.Backend;
import org.nasengine.nas.child.ConvBnOp.Conv;
import org.nasengine.tensor.Tensor;

/**
 * NASNet's separable convolution: the unit ReLU, depthwise kxk, pointwise 1x1, BN applied twice.
 * The first unit carries the stride and maps the input width to F; the second keeps F.
 */
public final class SepConvOp extends CellOp {
    private final ConvBnOp first, second;

    /** @param affine whether both units' batch normalizations learn a scale and shift */
    public SepConvOp(Backend backend, RandomGenerator rng, int cin, int f, int kernel, int stride, boolean affine) {
        first = registerChild("unit1", new ConvBnOp(backend, rng, true,
                List.of(Conv.depthwise(cin, kernel, stride), Conv.dense(cin, f, 1, 1, 1)), affine));
        second = registerChild("unit2", new ConvBnOp(backend, rng, true,
                List.of(Conv.depthwise(f, kernel, 1), Conv.dense(f, f, 1, 1, 1)), affine));
    }

    @Override
    public Tensor forward(Tensor x) { // (N, Cin, H, W) -> (N, F, H/s, W/s)
        return second.forward(first.forward(x));
    }

    public ConvBnOp first() { return first; }
    public ConvBnOp second() { return second; }

    @Override
    public int outChannels() {
        return second.outChannels();
    }

    @Override
    public double flops(int h, int w) {
        int s = first.stride();
        return first.flops(h, w) + second.flops(outSize(h, s), outSize(w, s));
    }

    @Override
    public String describe() {
        return "2x[" + first.describe() + "], [" + second.describe() + "]";
    }
}
