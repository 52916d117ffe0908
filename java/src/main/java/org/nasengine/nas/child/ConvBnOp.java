package org.nasengine.nas.child;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.nasengine.backend.Backend;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.nn.BatchNorm2d;
import org.nasengine.nn.Conv2d;
import org.nasengine.tensor.Tensor;

/**
 * Optional ReLU, then a chain of same-padded convolutions without bias, then batch normalization:
 * the spec's convolution operations (conv_1x1, conv_3x3, 1xk then kx1, dilated 3x3), one unit of a
 * separable convolution, and the plain 1x1 convolution + BN that projects widths (no ReLU there:
 * the spec asks for a convolution with batch normalization only).
 */
public final class ConvBnOp extends CellOp {

    /** One convolution of the chain; its stride applies in both directions. */
    public record Conv(int cin, int cout, int kh, int kw, int stride, int dilation, int groups) {
        public Conv {
            if (cin <= 0 || cout <= 0) throw new IllegalArgumentException("conv channels (" + cin + " -> " + cout + ") must be > 0");
            if (kh % 2 == 0 || kw % 2 == 0) throw new IllegalArgumentException("conv kernel " + kh + "x" + kw + " must be odd for same padding");
        }

        /** A dense convolution, undilated. */
        public static Conv dense(int cin, int cout, int kh, int kw, int stride) {
            return new Conv(cin, cout, kh, kw, stride, 1, 1);
        }

        /** One kxk filter per channel (groups = channels). */
        public static Conv depthwise(int channels, int k, int stride) {
            return new Conv(channels, channels, k, k, stride, 1, channels);
        }

        ConvGeometry geometry(int h, int w) {
            return ConvGeometry.same(1, cin, h, w, cout, kh, kw, stride, dilation, groups);
        }

        String describe() {
            return (groups > 1 ? "dw" : "") + "conv" + kh + "x" + kw + (dilation > 1 ? "d" + dilation : "")
                    + (stride > 1 ? "/" + stride : "");
        }
    }

    private final boolean relu;
    private final List<Conv> specs;
    private final List<Conv2d> convs = new ArrayList<>();
    private final BatchNorm2d norm;

    public ConvBnOp(Backend backend, RandomGenerator rng, boolean relu, List<Conv> chain) {
        this(backend, rng, relu, chain, true);
    }

    /** @param affine whether the batch normalization learns a scale and shift (see {@link BatchNorm2d}) */
    public ConvBnOp(Backend backend, RandomGenerator rng, boolean relu, List<Conv> chain, boolean affine) {
        if (chain.isEmpty()) throw new IllegalArgumentException("ConvBnOp needs at least one convolution");
        for (int i = 1; i < chain.size(); i++) {
            if (chain.get(i).cin() != chain.get(i - 1).cout())
                throw new IllegalArgumentException("conv " + i + " takes " + chain.get(i).cin() + " channels but conv "
                        + (i - 1) + " gives " + chain.get(i - 1).cout());
        }
        this.relu = relu;
        this.specs = List.copyOf(chain);
        for (Conv c : specs)
            convs.add(registerChild("convs." + convs.size(), new Conv2d(backend, rng, c.cin(), c.cout(), c.kh(), c.kw(), c.stride(), c.dilation(), c.groups(), false)));
        norm = registerChild("bn", new BatchNorm2d(backend, specs.getLast().cout(), BatchNorm2d.DEFAULT_EPS,
                BatchNorm2d.DEFAULT_MOMENTUM, affine));
    }

    /** The plain 1x1 convolution + BN (no ReLU) that brings a width (and, strided, a size) into line. */
    public static ConvBnOp projection(Backend backend, RandomGenerator rng, int cin, int cout, int stride) {
        return projection(backend, rng, cin, cout, stride, true);
    }

    /** The same projection, its batch normalization learning a scale and shift only when {@code affine}. */
    public static ConvBnOp projection(Backend backend, RandomGenerator rng, int cin, int cout, int stride, boolean affine) {
        return new ConvBnOp(backend, rng, false, List.of(Conv.dense(cin, cout, 1, 1, stride)), affine);
    }

    @Override
    public Tensor forward(Tensor x) { // (N, Cin, H, W)
        Tensor y = relu ? x.relu() : x;
        for (Conv2d c : convs) y = c.forward(y);
        return norm.forward(y); // (N, Cout, H/s, W/s)
    }

    public boolean relu() { return relu; }
    public List<Conv2d> convs() { return List.copyOf(convs); }
    public BatchNorm2d norm() { return norm; }

    @Override
    public int outChannels() {
        return specs.getLast().cout();
    }

    /** The overall stride: the product of the chain's strides. */
    public int stride() {
        return specs.stream().mapToInt(Conv::stride).reduce(1, (a, b) -> a * b);
    }

    @Override
    public double flops(int h, int w) {
        double total = 0;
        for (Conv c : specs) {
            ConvGeometry g = c.geometry(h, w);
            total += g.forwardFlops();
            h = g.outH();
            w = g.outW();
        }
        return total;
    }

    @Override
    public String describe() {
        return (relu ? "relu-" : "") + specs.stream().map(Conv::describe).collect(Collectors.joining("-")) + "-bn "
                + specs.getFirst().cin() + "->" + outChannels();
    }
}
