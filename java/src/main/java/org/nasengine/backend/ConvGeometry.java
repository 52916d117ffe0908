package org.nasengine.backend;

/**
 * A 2-D convolution: x (n, cin, h, w) * w (cout, cin/groups, kh, kw) -> y (n, cout, outH, outW).
 * Input positions outside the image (through padding) read as zero. No bias.
 * outH = (h + 2*padH - dilH*(kh-1) - 1) / strideH + 1, likewise outW: callers choose padH/padW;
 * "same" padding of the spec is {@link #same}.
 */
public record ConvGeometry(int n, int cin, int h, int w, int cout, int kh, int kw,
                           int strideH, int strideW, int padH, int padW, int dilH, int dilW, int groups) {

    public ConvGeometry {
        if (n <= 0 || cin <= 0 || h <= 0 || w <= 0 || cout <= 0 || kh <= 0 || kw <= 0)
            throw new IllegalArgumentException("conv sizes must be > 0: " + describe(n, cin, h, w, cout, kh, kw));
        if (strideH <= 0 || strideW <= 0 || dilH <= 0 || dilW <= 0 || padH < 0 || padW < 0)
            throw new IllegalArgumentException("conv stride/dilation must be > 0 and padding >= 0");
        if (groups <= 0 || cin % groups != 0 || cout % groups != 0)
            throw new IllegalArgumentException("groups (" + groups + ") must divide cin (" + cin + ") and cout (" + cout + ")");
        if ((h + 2 * padH - dilH * (kh - 1) - 1) < 0 || (w + 2 * padW - dilW * (kw - 1) - 1) < 0)
            throw new IllegalArgumentException("conv kernel " + kh + "x" + kw + " larger than padded input " + h + "x" + w);
    }

    /** Spec's "same" padding: (k-1)/2 each side (times dilation), output ceil(size/stride) for odd k. */
    public static ConvGeometry same(int n, int cin, int h, int w, int cout, int kh, int kw, int stride, int dilation, int groups) {
        return new ConvGeometry(n, cin, h, w, cout, kh, kw, stride, stride,
                dilation * (kh - 1) / 2, dilation * (kw - 1) / 2, dilation, dilation, groups);
    }

    public int outH() { return (h + 2 * padH - dilH * (kh - 1) - 1) / strideH + 1; }
    public int outW() { return (w + 2 * padW - dilW * (kw - 1) - 1) / strideW + 1; }
    public long inputLength() { return (long) n * cin * h * w; }
    public long weightLength() { return (long) cout * (cin / groups) * kh * kw; }
    public long outputLength() { return (long) n * cout * outH() * outW(); }

    /** Multiply-adds times two of the forward pass. */
    public double forwardFlops() {
        return 2.0 * n * cout * outH() * outW() * (cin / groups) * kh * kw;
    }

    private static String describe(int n, int cin, int h, int w, int cout, int kh, int kw) {
        return "n=" + n + " cin=" + cin + " h=" + h + " w=" + w + " cout=" + cout + " k=" + kh + "x" + kw;
    }
}
