package org.nasengine.nas.child;

import java.util.List;
import java.util.random.RandomGenerator;
import org.nasengine.backend.Backend;
import org.nasengine.backend.PoolGeometry;
import org.nasengine.nas.child.ConvBnOp.Conv;
import org.nasengine.nas.space.NasNetOp;

/**
 * The one place that turns a NASNet operation into a module, given the input width, the stage's
 * filter count F and the stride (2 for an operation on a cell input of a reduction cell, else 1).
 * Every operation outputs F channels.
 */
public final class CellOps {
    private CellOps() {}

    public static CellOp create(NasNetOp op, int cin, int f, int stride, Backend backend, RandomGenerator rng) {
        if (cin <= 0) throw new IllegalArgumentException(op.jsonName() + ": input channels (" + cin + ") must be > 0");
        if (f <= 0) throw new IllegalArgumentException(op.jsonName() + ": filters (" + f + ") must be > 0");
        if (stride != 1 && stride != 2) throw new IllegalArgumentException(op.jsonName() + ": stride (" + stride + ") must be 1 or 2");
        int k = op.kernel();
        return switch (op.kind()) {
            // an identity that must change the width or the size is a 1x1 convolution + BN
            case IDENTITY -> cin == f && stride == 1 ? new IdentityOp(f) : ConvBnOp.projection(backend, rng, cin, f, stride);
            case CONV -> new ConvBnOp(backend, rng, true, List.of(Conv.dense(cin, f, k, k, stride)));
            // 1xk carries the stride (in both directions) and the width change; kx1 keeps F
            case FACTORIZED_CONV -> new ConvBnOp(backend, rng, true,
                    List.of(Conv.dense(cin, f, 1, k, stride), Conv.dense(f, f, k, 1, 1)));
            case DILATED_CONV -> new ConvBnOp(backend, rng, true, List.of(new Conv(cin, f, k, k, stride, 2, 1)));
            case SEP_CONV -> new SepConvOp(backend, rng, cin, f, k, stride);
            case AVG_POOL -> new PoolOp(backend, rng, PoolGeometry.Kind.AVG, k, cin, f, stride);
            case MAX_POOL -> new PoolOp(backend, rng, PoolGeometry.Kind.MAX, k, cin, f, stride);
        };
    }
}
