package org.nasengine.backend.ref;

import org.nasengine.backend.Buffer;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.backend.PoolGeometry;

/**
 * Reference convolution and pooling: direct nested loops over every output position and every
 * kernel tap, positions outside the image skipped (they read as zero). No im2col, no tiling.
 */
final class ConvOps {
    private ConvOps() {}

    static void conv2d(ConvGeometry g, Buffer xBuf, Buffer wBuf, Buffer yBuf) {
        double[] x = Args.need("conv2d", "x", xBuf, g.inputLength());    // (n, cin, h, w)
        double[] w = Args.need("conv2d", "w", wBuf, g.weightLength());   // (cout, cin/groups, kh, kw)
        double[] y = Args.need("conv2d", "y", yBuf, g.outputLength());   // (n, cout, outH, outW)
        int outH = g.outH(), outW = g.outW();
        int cinG = g.cin() / g.groups(), coutG = g.cout() / g.groups();
        for (int b = 0; b < g.n(); b++)
            for (int co = 0; co < g.cout(); co++) {
                int group = co / coutG;
                for (int oh = 0; oh < outH; oh++)
                    for (int ow = 0; ow < outW; ow++) {
                        double sum = 0;
                        for (int ic = 0; ic < cinG; ic++) {
                            int ci = group * cinG + ic;
                            for (int ky = 0; ky < g.kh(); ky++) {
                                int ih = oh * g.strideH() - g.padH() + ky * g.dilH();
                                if (ih < 0 || ih >= g.h()) continue;
                                for (int kx = 0; kx < g.kw(); kx++) {
                                    int iw = ow * g.strideW() - g.padW() + kx * g.dilW();
                                    if (iw < 0 || iw >= g.w()) continue;
                                    sum += x[xIndex(g, b, ci, ih, iw)] * w[wIndex(g, co, ic, ky, kx)];
                                }
                            }
                        }
                        y[((b * g.cout() + co) * outH + oh) * outW + ow] = sum;
                    }
            }
    }

    /** dx += dy (*) w transposed, dw += x (*) dy; the same loops as the forward, each tap's product split. */
    static void conv2dBackward(ConvGeometry g, Buffer xBuf, Buffer wBuf, Buffer dyBuf, Buffer dxBuf, Buffer dwBuf) {
        double[] dx = Args.optional("conv2dBackward", "dx", dxBuf, g.inputLength());    // (n, cin, h, w)
        double[] dw = Args.optional("conv2dBackward", "dw", dwBuf, g.weightLength());   // (cout, cin/groups, kh, kw)
        // x is read only for dw and w only for dx
        double[] x = dw != null ? Args.need("conv2dBackward", "x", xBuf, g.inputLength())
                : Args.optional("conv2dBackward", "x", xBuf, g.inputLength());
        double[] w = dx != null ? Args.need("conv2dBackward", "w", wBuf, g.weightLength())
                : Args.optional("conv2dBackward", "w", wBuf, g.weightLength());
        double[] dy = Args.need("conv2dBackward", "dy", dyBuf, g.outputLength());      // (n, cout, outH, outW)
        if (dx == null && dw == null) return;
        int outH = g.outH(), outW = g.outW();
        int cinG = g.cin() / g.groups(), coutG = g.cout() / g.groups();
        for (int b = 0; b < g.n(); b++)
            for (int co = 0; co < g.cout(); co++) {
                int group = co / coutG;
                for (int oh = 0; oh < outH; oh++)
                    for (int ow = 0; ow < outW; ow++) {
                        double grad = dy[((b * g.cout() + co) * outH + oh) * outW + ow];
                        for (int ic = 0; ic < cinG; ic++) {
                            int ci = group * cinG + ic;
                            for (int ky = 0; ky < g.kh(); ky++) {
                                int ih = oh * g.strideH() - g.padH() + ky * g.dilH();
                                if (ih < 0 || ih >= g.h()) continue;
                                for (int kx = 0; kx < g.kw(); kx++) {
                                    int iw = ow * g.strideW() - g.padW() + kx * g.dilW();
                                    if (iw < 0 || iw >= g.w()) continue;
                                    int xi = xIndex(g, b, ci, ih, iw), wi = wIndex(g, co, ic, ky, kx);
                                    if (dx != null) dx[xi] += grad * w[wi];
                                    if (dw != null) dw[wi] += grad * x[xi];
                                }
                            }
                        }
                    }
            }
    }

    private static int xIndex(ConvGeometry g, int b, int c, int ih, int iw) {
        return ((b * g.cin() + c) * g.h() + ih) * g.w() + iw;
    }

    private static int wIndex(ConvGeometry g, int co, int ic, int ky, int kx) {
        return ((co * (g.cin() / g.groups()) + ic) * g.kh() + ky) * g.kw() + kx;
    }

    /**
     * Max or average over each window's in-image positions. A window lying wholly in the padding
     * (possible only when padding reaches the kernel size) has no positions and yields 0.
     */
    static void pool2d(PoolGeometry g, Buffer xBuf, Buffer yBuf) {
        double[] x = Args.need("pool2d", "x", xBuf, g.inputLength());    // (n, c, h, w)
        double[] y = Args.need("pool2d", "y", yBuf, g.outputLength());   // (n, c, outH, outW)
        int outH = g.outH(), outW = g.outW();
        for (int plane = 0; plane < g.n() * g.c(); plane++) {
            int xBase = plane * g.h() * g.w();
            for (int oh = 0; oh < outH; oh++)
                for (int ow = 0; ow < outW; ow++) {
                    double result;
                    if (g.kind() == PoolGeometry.Kind.MAX) {
                        int arg = argMax(g, x, xBase, oh, ow);
                        result = arg < 0 ? 0 : x[xBase + arg];
                    } else {
                        double sum = 0;
                        for (int ky = 0; ky < g.kh(); ky++) {
                            int ih = oh * g.stride() - g.padH() + ky;
                            if (ih < 0 || ih >= g.h()) continue;
                            for (int kx = 0; kx < g.kw(); kx++) {
                                int iw = ow * g.stride() - g.padW() + kx;
                                if (iw < 0 || iw >= g.w()) continue;
                                sum += x[xBase + ih * g.w() + iw];
                            }
                        }
                        int count = windowCount(g, oh, ow);
                        result = count == 0 ? 0 : sum / count;
                    }
                    y[(plane * outH + oh) * outW + ow] = result;
                }
        }
    }

    /**
     * dx += the window gradients: max sends dy to the first in-image position (row-major) holding
     * the maximum, recomputed from x (so y is only length-checked); avg spreads dy / count.
     */
    static void pool2dBackward(PoolGeometry g, Buffer xBuf, Buffer yBuf, Buffer dyBuf, Buffer dxBuf) {
        double[] x = g.kind() == PoolGeometry.Kind.MAX ? Args.need("pool2dBackward", "x", xBuf, g.inputLength())
                : Args.optional("pool2dBackward", "x", xBuf, g.inputLength());
        Args.optional("pool2dBackward", "y", yBuf, g.outputLength());
        double[] dy = Args.need("pool2dBackward", "dy", dyBuf, g.outputLength());   // (n, c, outH, outW)
        double[] dx = Args.optional("pool2dBackward", "dx", dxBuf, g.inputLength()); // (n, c, h, w)
        if (dx == null) return;
        int outH = g.outH(), outW = g.outW();
        for (int plane = 0; plane < g.n() * g.c(); plane++) {
            int xBase = plane * g.h() * g.w();
            for (int oh = 0; oh < outH; oh++)
                for (int ow = 0; ow < outW; ow++) {
                    double grad = dy[(plane * outH + oh) * outW + ow];
                    if (g.kind() == PoolGeometry.Kind.MAX) {
                        int arg = argMax(g, x, xBase, oh, ow);
                        if (arg >= 0) dx[xBase + arg] += grad;
                        continue;
                    }
                    int count = windowCount(g, oh, ow);
                    for (int ky = 0; ky < g.kh(); ky++) {
                        int ih = oh * g.stride() - g.padH() + ky;
                        if (ih < 0 || ih >= g.h()) continue;
                        for (int kx = 0; kx < g.kw(); kx++) {
                            int iw = ow * g.stride() - g.padW() + kx;
                            if (iw < 0 || iw >= g.w()) continue;
                            dx[xBase + ih * g.w() + iw] += grad / count;
                        }
                    }
                }
        }
    }

    /** Number of in-image positions of the window at (oh, ow): the divisor of average pooling. */
    private static int windowCount(PoolGeometry g, int oh, int ow) {
        int rows = 0, cols = 0;
        for (int ky = 0; ky < g.kh(); ky++) {
            int ih = oh * g.stride() - g.padH() + ky;
            if (ih >= 0 && ih < g.h()) rows++;
        }
        for (int kx = 0; kx < g.kw(); kx++) {
            int iw = ow * g.stride() - g.padW() + kx;
            if (iw >= 0 && iw < g.w()) cols++;
        }
        return rows * cols;
    }

    /** Offset within the plane of the first in-image maximum of the window, or -1 if it has none. */
    private static int argMax(PoolGeometry g, double[] x, int xBase, int oh, int ow) {
        int best = -1;
        for (int ky = 0; ky < g.kh(); ky++) {
            int ih = oh * g.stride() - g.padH() + ky;
            if (ih < 0 || ih >= g.h()) continue;
            for (int kx = 0; kx < g.kw(); kx++) {
                int iw = ow * g.stride() - g.padW() + kx;
                if (iw < 0 || iw >= g.w()) continue;
                int at = ih * g.w() + iw;
                // strict >: ties keep the earlier position
                if (best < 0 || x[xBase + at] > x[xBase + best]) best = at;
            }
        }
        return best;
    }
}
