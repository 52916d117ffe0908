package org.nasengine.backend;

/**
 * 2-D pooling per channel: x (n, c, h, w) -> y (n, c, outH, outW). Max pooling ignores padded
 * positions; average pooling divides by the number of in-image positions (padding not counted).
 * Max backward sends the gradient to the first position (row-major in the window) that holds the max.
 * Global average pooling is kh=h, kw=w, stride 1, no padding.
 */
public record PoolGeometry(Kind kind, int n, int c, int h, int w, int kh, int kw, int stride, int padH, int padW) {
    public enum Kind { MAX, AVG }

    public PoolGeometry {
        if (n <= 0 || c <= 0 || h <= 0 || w <= 0 || kh <= 0 || kw <= 0 || stride <= 0 || padH < 0 || padW < 0)
            throw new IllegalArgumentException("pool sizes must be > 0: n=" + n + " c=" + c + " h=" + h + " w=" + w
                    + " k=" + kh + "x" + kw + " stride=" + stride);
        if (h + 2 * padH < kh || w + 2 * padW < kw)
            throw new IllegalArgumentException("pool window " + kh + "x" + kw + " larger than padded input " + h + "x" + w);
    }

    public static PoolGeometry same(Kind kind, int n, int c, int h, int w, int k, int stride) {
        return new PoolGeometry(kind, n, c, h, w, k, k, stride, (k - 1) / 2, (k - 1) / 2);
    }

    public static PoolGeometry global(int n, int c, int h, int w) {
        return new PoolGeometry(Kind.AVG, n, c, h, w, h, w, 1, 0, 0);
    }

    public int outH() { return (h + 2 * padH - kh) / stride + 1; }
    public int outW() { return (w + 2 * padW - kw) / stride + 1; }
    public long inputLength() { return (long) n * c * h * w; }
    public long outputLength() { return (long) n * c * outH() * outW(); }
}
