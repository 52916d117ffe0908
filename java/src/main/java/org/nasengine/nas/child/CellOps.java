package org.nasengine.nas.child;

import java.util.List;
import java.util.random.RandomGenerator;
import org.nasengine.backend.Backend;
import org.nasengine.backend.PoolGeometry;
import org.nasengine.nas.child.ConvBnOp.Conv;
import org.nasengine.nas.space.NasNetOp;
import org.nasengine.nas.space.Nb201;

/**
 * The one place that turns a cell operation into a module. A NASNet operation is given the input
 * width, the stage's filter count F and the stride (2 for an operation on a cell input of a
 * reduction cell, else 1), and outputs F channels. A NAS-Bench-201 edge keeps the stage's width C
 * and the size (stride 1), as every edge of a cell does in the benchmark.
 */
public final class CellOps {
    private CellOps() {}

    public static CellOp create(NasNetOp op, int cin, int f, int stride, Backend backend, RandomGenerator rng) {
        return create(op, cin, f, stride, backend, rng, true);
    }

    /** The same operation with batch normalizations that learn no scale and shift when {@code affine} is false (a supernet's cells). */
    public static CellOp create(NasNetOp op, int cin, int f, int stride, Backend backend, RandomGenerator rng, boolean affine) {
        if (cin <= 0) throw new IllegalArgumentException(op.jsonName() + ": input channels (" + cin + ") must be > 0");
        if (f <= 0) throw new IllegalArgumentException(op.jsonName() + ": filters (" + f + ") must be > 0");
        if (stride != 1 && stride != 2) throw new IllegalArgumentException(op.jsonName() + ": stride (" + stride + ") must be 1 or 2");
        int k = op.kernel();
        return switch (op.kind()) {
            // an identity that must change the width or the size is a 1x1 convolution + BN
            case IDENTITY -> cin == f && stride == 1 ? new IdentityOp(f) : ConvBnOp.projection(backend, rng, cin, f, stride, affine);
            case CONV -> new ConvBnOp(backend, rng, true, List.of(Conv.dense(cin, f, k, k, stride)), affine);
            // 1xk carries the stride (in both directions) and the width change; kx1 keeps F
            case FACTORIZED_CONV -> new ConvBnOp(backend, rng, true,
                    List.of(Conv.dense(cin, f, 1, k, stride), Conv.dense(f, f, k, 1, 1)), affine);
            case DILATED_CONV -> new ConvBnOp(backend, rng, true, List.of(new Conv(cin, f, k, k, stride, 2, 1)), affine);
            case SEP_CONV -> new SepConvOp(backend, rng, cin, f, k, stride, affine);
            case AVG_POOL -> new PoolOp(backend, rng, PoolGeometry.Kind.AVG, k, cin, f, stride, affine);
            case MAX_POOL -> new PoolOp(backend, rng, PoolGeometry.Kind.MAX, k, cin, f, stride, affine);
        };
    }

    /**
     * A NAS-Bench-201 edge at the cell's width C: skip_connect is the identity, nor_conv_kxk is
     * ReLU-conv kxk (padding k/2, no bias)-BN, avg_pool_3x3 is stride 1 padding 1 without counting
     * the padding (the benchmark's count_include_pad=False). {@code none} has no module: it is zero,
     * so the cell leaves that edge out of its sum.
     */
    public static CellOp create(Nb201.Op op, int channels, Backend backend, RandomGenerator rng) {
        return create(op, channels, backend, rng, true);
    }

    /** The same edge with a batch normalization that learns no scale and shift when {@code affine} is false (a supernet's cells). */
    public static CellOp create(Nb201.Op op, int channels, Backend backend, RandomGenerator rng, boolean affine) {
        if (channels <= 0) throw new IllegalArgumentException(op.jsonName() + ": channels (" + channels + ") must be > 0");
        return switch (op) {
            case NONE -> throw new IllegalArgumentException("none is the zero operation: it has no module, the cell leaves the edge out");
            case SKIP_CONNECT -> new IdentityOp(channels);
            case NOR_CONV_1X1 -> new ConvBnOp(backend, rng, true, List.of(Conv.dense(channels, channels, 1, 1, 1)), affine);
            case NOR_CONV_3X3 -> new ConvBnOp(backend, rng, true, List.of(Conv.dense(channels, channels, 3, 3, 1)), affine);
            case AVG_POOL_3X3 -> new PoolOp(backend, rng, PoolGeometry.Kind.AVG, 3, channels, channels, 1);
        };
    }
}
