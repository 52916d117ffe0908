package org.nasengine.autograd;

import java.util.Arrays;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/** 2-D convolution without bias (NCHW) through {@link Backend#conv2d}; groups, dilation and stride. */
public final class Conv {
    private Conv() {}

    /** x (N, Cin, H, W), w (Cout, Cin/groups, KH, KW) -> (N, Cout, outH, outW) for the given geometry. */
    public static Tensor conv2d(Tensor x, Tensor w, ConvGeometry g) {
        Grads.requireSameBackend("conv2d", x, w);
        int[] xs = {g.n(), g.cin(), g.h(), g.w()};
        int[] ws = {g.cout(), g.cin() / g.groups(), g.kh(), g.kw()};
        if (!Arrays.equals(x.shape(), xs) || !Arrays.equals(w.shape(), ws))
            throw new IllegalArgumentException("conv2d: x " + Arrays.toString(x.shape()) + " and w "
                    + Arrays.toString(w.shape()) + " do not match the geometry " + g + " (expects x "
                    + Arrays.toString(xs) + ", w " + Arrays.toString(ws) + ")");
        Backend be = x.backend();
        boolean rec = Tape.recording(x, w);
        Tensor y = Tensor.output(be, rec, g.n(), g.cout(), g.outH(), g.outW());
        be.conv2d(g, x.data(), w.data(), y.data());
        if (rec) Tape.current().record(() -> {
            Buffer dy = y.gradOrNull();
            if (dy != null) be.conv2dBackward(g, x.data(), w.data(), dy, Grads.of(x), Grads.of(w));
        });
        return y;
    }

    /** Explicit stride, padding and dilation (the same in both directions). */
    public static Tensor conv2d(Tensor x, Tensor w, int stride, int pad, int dilation, int groups) {
        return conv2d(x, w, geometry(x, w, stride, stride, pad, pad, dilation, dilation, groups));
    }

    /** The spec's "same" padding: (k-1)/2 times the dilation on each side. */
    public static Tensor conv2dSame(Tensor x, Tensor w, int stride, int dilation, int groups) {
        check(x, w, groups);
        return conv2d(x, w, ConvGeometry.same(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3),
                stride, dilation, groups));
    }

    /** The geometry of convolving x with w, read from their shapes. */
    public static ConvGeometry geometry(Tensor x, Tensor w, int strideH, int strideW, int padH, int padW,
                                        int dilH, int dilW, int groups) {
        check(x, w, groups);
        return new ConvGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3),
                strideH, strideW, padH, padW, dilH, dilW, groups);
    }

    private static void check(Tensor x, Tensor w, int groups) {
        Grads.requireRank("conv2d", "x (N, Cin, H, W)", x, 4);
        Grads.requireRank("conv2d", "w (Cout, Cin/groups, KH, KW)", w, 4);
        if (groups <= 0 || x.dim(1) % groups != 0 || w.dim(1) * groups != x.dim(1))
            throw new IllegalArgumentException("conv2d: x " + Arrays.toString(x.shape()) + " with groups (" + groups
                    + ") does not fit w " + Arrays.toString(w.shape()));
    }
}
