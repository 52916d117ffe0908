package org.nasengine.nas.child;

import java.util.List;
import java.util.random.RandomGenerator;
import org.nasengine.autograd.Pooling;
import org.nasengine.backend.Backend;
import org.nasengine.backend.PoolGeometry;
import org.nasengine.nas.child.ConvBnOp.Conv;
import org.nasengine.nn.Conv2d;
import org.nasengine.tensor.Tensor;

/**
 * NAS-Bench-201's reduction between stages, a ResNet basic block of stride 2: ReLU-conv3x3/2-BN,
 * then ReLU-conv3x3-BN, plus a shortcut of 2x2 average pooling with stride 2 and a 1x1
 * convolution (no bias, no BN), summed. (N, Cin, H, W) -> (N, Cout, ceil(H/2), ceil(W/2)).
 *
 * <p>On an even size the shortcut pools without padding, as the benchmark does. On an odd size
 * (none of our datasets has one at a reduction) it pads that side by one, not counted in the
 * average, so that it gives ceil(size/2) like the strided convolution.
 */
public final class ResidualReductionBlock extends CellOp {
    private static final int STRIDE = 2;

    private final int cin, cout;
    private final ConvBnOp convA, convB;
    private final Conv2d shortcut; // 1x1, weight (Cout, Cin, 1, 1)

    public ResidualReductionBlock(int cin, int cout, Backend backend, RandomGenerator rng) {
        if (cin <= 0 || cout <= 0)
            throw new IllegalArgumentException("reduction block channels (" + cin + " -> " + cout + ") must be > 0");
        this.cin = cin;
        this.cout = cout;
        convA = registerChild("conv_a", new ConvBnOp(backend, rng, true, List.of(Conv.dense(cin, cout, 3, 3, STRIDE))));
        convB = registerChild("conv_b", new ConvBnOp(backend, rng, true, List.of(Conv.dense(cout, cout, 3, 3, 1))));
        shortcut = registerChild("shortcut", new Conv2d(backend, rng, cin, cout, 1, 1, 1));
    }

    @Override
    public Tensor forward(Tensor x) { // (N, Cin, H, W)
        if (x.rank() != 4 || x.dim(1) != cin)
            throw new IllegalArgumentException("reduction block " + cin + "->" + cout + ": input " + x + " must be (N, "
                    + cin + ", H, W)");
        Tensor main = convB.forward(convA.forward(x));                  // (N, Cout, H', W')
        Tensor pooled = Pooling.pool2d(x, shortcutPool(x.dim(0), x.dim(2), x.dim(3)));  // (N, Cin, H', W')
        return shortcut.forward(pooled).add(main);                      // (N, Cout, H', W')
    }

    public ConvBnOp convA() { return convA; }
    public ConvBnOp convB() { return convB; }
    public Conv2d shortcut() { return shortcut; }

    /** The shortcut's 2x2 average pooling of stride 2 on a (N, Cin, h, w) input. */
    public PoolGeometry shortcutPool(int n, int h, int w) {
        return new PoolGeometry(PoolGeometry.Kind.AVG, n, cin, h, w, STRIDE, STRIDE, STRIDE, h % 2, w % 2);
    }

    @Override
    public int outChannels() {
        return cout;
    }

    @Override
    public double flops(int h, int w) {
        int oh = outSize(h, STRIDE), ow = outSize(w, STRIDE);
        return convA.flops(h, w) + convB.flops(oh, ow) + 2.0 * cin * cout * oh * ow;
    }

    @Override
    public String describe() {
        return "resblock/2 " + cin + "->" + cout + " (+ avgpool2x2/2-conv1x1)";
    }
}
