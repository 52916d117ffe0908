package org.nasengine.autograd;

import java.util.Arrays;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.PoolGeometry;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/** Max, average and global average pooling (NCHW) through {@link Backend#pool2d}. */
public final class Pooling {
    private Pooling() {}

    /** x (N, C, H, W) -> (N, C, outH, outW) for the given geometry. */
    public static Tensor pool2d(Tensor x, PoolGeometry g) {
        return pool(x, g, new int[] {g.n(), g.c(), g.outH(), g.outW()});
    }

    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int pad) {
        return pool2d(x, geometry(PoolGeometry.Kind.MAX, x, kernel, stride, pad));
    }

    /** Average pooling; padded positions are not counted in the divisor. */
    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int pad) {
        return pool2d(x, geometry(PoolGeometry.Kind.AVG, x, kernel, stride, pad));
    }

    /** The spec's same-padded pooling: (k-1)/2 each side. */
    public static Tensor pool2dSame(PoolGeometry.Kind kind, Tensor x, int kernel, int stride) {
        return pool2d(x, geometry(kind, x, kernel, stride, (kernel - 1) / 2));
    }

    /** x (N, C, H, W) -> (N, C): the mean of each channel's map. */
    public static Tensor globalAvgPool(Tensor x) {
        Grads.requireRank("globalAvgPool", "x (N, C, H, W)", x, 4);
        return pool(x, PoolGeometry.global(x.dim(0), x.dim(1), x.dim(2), x.dim(3)), new int[] {x.dim(0), x.dim(1)});
    }

    private static PoolGeometry geometry(PoolGeometry.Kind kind, Tensor x, int kernel, int stride, int pad) {
        Grads.requireRank("pool2d", "x (N, C, H, W)", x, 4);
        return new PoolGeometry(kind, x.dim(0), x.dim(1), x.dim(2), x.dim(3), kernel, kernel, stride, pad, pad);
    }

    /** outShape holds outputLength elements: (N, C, outH, outW), or (N, C) for the global pool. */
    private static Tensor pool(Tensor x, PoolGeometry g, int[] outShape) {
        int[] xs = {g.n(), g.c(), g.h(), g.w()};
        if (!Arrays.equals(x.shape(), xs))
            throw new IllegalArgumentException("pool2d: x " + Arrays.toString(x.shape()) + " does not match " + g);
        Backend be = x.backend();
        boolean rec = Tape.recording(x);
        Tensor y = Tensor.output(be, rec, outShape);
        be.pool2d(g, x.data(), y.data());
        if (rec) Tape.current().record(() -> {
            Buffer dy = y.gradOrNull();
            if (dy != null) be.pool2dBackward(g, x.data(), y.data(), dy, x.grad());
        });
        return y;
    }
}
