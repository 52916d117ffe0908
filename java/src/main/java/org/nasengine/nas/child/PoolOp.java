package org.nasengine.nas.child;

import java.util.random.RandomGenerator;
import org.nasengine.autograd.Pooling;
import org.nasengine.backend.Backend;
import org.nasengine.backend.PoolGeometry;
import org.nasengine.tensor.Tensor;

/**
 * Same-padded max or average pooling ((k-1)/2 each side; the average does not count padding),
 * preceded by a 1x1 convolution + BN to F when the input has another width. The stride goes to
 * the pooling, as the spec strides the pooling itself on a strided input.
 */
public final class PoolOp extends CellOp {
    private final PoolGeometry.Kind kind;
    private final int kernel, stride, channels;
    private final ConvBnOp projection; // null when the input already has F channels

    public PoolOp(Backend backend, RandomGenerator rng, PoolGeometry.Kind kind, int kernel, int cin, int f, int stride) {
        this(backend, rng, kind, kernel, cin, f, stride, true);
    }

    /** @param affine whether the projection's batch normalization (when there is one) learns a scale and shift */
    public PoolOp(Backend backend, RandomGenerator rng, PoolGeometry.Kind kind, int kernel, int cin, int f, int stride, boolean affine) {
        if (kernel % 2 == 0) throw new IllegalArgumentException("pool kernel (" + kernel + ") must be odd for same padding");
        this.kind = kind;
        this.kernel = kernel;
        this.stride = stride;
        this.channels = f;
        projection = cin == f ? null : registerChild("projection", ConvBnOp.projection(backend, rng, cin, f, 1, affine));
    }

    @Override
    public Tensor forward(Tensor x) { // (N, Cin, H, W) -> (N, F, H/s, W/s)
        Tensor y = projection == null ? x : projection.forward(x);
        return Pooling.pool2dSame(kind, y, kernel, stride);
    }

    public PoolGeometry.Kind kind() { return kind; }
    public int kernel() { return kernel; }
    public int stride() { return stride; }
    /** The 1x1 convolution + BN to F before the pooling, or null. */
    public ConvBnOp projection() { return projection; }

    @Override
    public int outChannels() {
        return channels;
    }

    @Override
    public double flops(int h, int w) {
        return projection == null ? 0 : projection.flops(h, w);
    }

    @Override
    public String describe() {
        return (projection == null ? "" : "[" + projection.describe() + "] ") + kind.name().toLowerCase()
                + "pool" + kernel + "x" + kernel + (stride > 1 ? "/" + stride : "") + " " + channels;
    }
}
