package org.nasengine.autograd;

import java.util.Arrays;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Broadcast;
import org.nasengine.backend.Buffer;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/**
 * Sums and means, to a scalar (shape (1)) or along axes, through {@link Backend#sumInto}.
 * Backward broadcasts the output gradient back over the reduced axes.
 */
public final class Reductions {
    private Reductions() {}

    /** The sum of every value, shape (1). */
    public static Tensor sum(Tensor x) {
        return reduce(x, allAxes(x), false, 1f);
    }

    /** The mean of every value, shape (1). */
    public static Tensor mean(Tensor x) {
        return reduce(x, allAxes(x), false, 1f / x.size());
    }

    /** Sums along the given axes (negative counts from the end); keepDims leaves them as size 1. */
    public static Tensor sum(Tensor x, boolean keepDims, int... axes) {
        return reduce(x, axes, keepDims, 1f);
    }

    public static Tensor mean(Tensor x, boolean keepDims, int... axes) {
        long count = 1;
        for (int a : normalize(x, axes)) count *= x.dim(a);
        return reduce(x, axes, keepDims, 1f / count);
    }

    private static Tensor reduce(Tensor x, int[] axes, boolean keepDims, float factor) {
        Grads.requireFloat("reduce", "x", x);
        boolean[] reduced = new boolean[x.rank()];
        for (int a : normalize(x, axes)) reduced[a] = true;
        int[] kept = x.shape();                                      // x's shape with reduced axes at 1
        for (int a = 0; a < kept.length; a++) if (reduced[a]) kept[a] = 1;
        int[] full = Grads.pad4("reduce", x.shape());
        int[] dstStrides = Grads.broadcastStrides(Grads.pad4("reduce", kept), full);
        int[] outShape = keepDims ? kept : dropReduced(x.shape(), reduced);

        Backend be = x.backend();
        boolean rec = Tape.recording(x);
        Tensor y = Tensor.output(be, rec, outShape);
        be.sumInto(new Broadcast(full, dstStrides, Broadcast.same(full).aStrides()), x.data(), y.data());
        if (factor != 1f) be.scale(y.size(), factor, y.data());
        if (rec) Tape.current().record(() -> {
            Buffer dy = y.gradOrNull();
            if (dy == null) return;
            if (factor == 1f) {
                Grads.addBroadcast(be, full, dstStrides, dy, x.grad());
            } else {
                Buffer scaled = be.allocate(y.size());
                be.copy(dy, 0, scaled, 0, y.size());
                be.scale(y.size(), factor, scaled);
                Grads.addBroadcast(be, full, dstStrides, scaled, x.grad());
                be.release(scaled);
            }
        });
        return y;
    }

    private static int[] allAxes(Tensor x) {
        int[] all = new int[x.rank()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return all;
    }

    private static int[] normalize(Tensor x, int[] axes) {
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i] < 0 ? axes[i] + x.rank() : axes[i];
            if (a < 0 || a >= x.rank())
                throw new IllegalArgumentException("reduce: axis " + axes[i] + " outside a tensor of shape "
                        + Arrays.toString(x.shape()));
            out[i] = a;
        }
        return out;
    }

    /** The shape without the reduced axes; (1) when nothing is left. */
    private static int[] dropReduced(int[] shape, boolean[] reduced) {
        int[] out = new int[shape.length];
        int r = 0;
        for (int a = 0; a < shape.length; a++) if (!reduced[a]) out[r++] = shape[a];
        return r == 0 ? new int[] {1} : Arrays.copyOf(out, r);
    }
}
