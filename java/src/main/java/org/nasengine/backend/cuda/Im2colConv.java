package org.nasengine.backend.cuda;

import org.nasengine.backend.ConvGeometry;

/**
 * General convolution as GEMM over im2col columns (kernels/im2col.cu), per group, in chunks of
 * images so that the column buffer stays within {@link #COL_BUDGET}.
 *
 * <p>The columns of a chunk of nb images are one "wide" matrix col (cin*kh*kw, nb*P), P = outH*outW,
 * group g's rows a contiguous block. Then, with K = (cin/groups)*kh*kw and W_g (cout/groups, K):
 * <ul>
 * <li>forward: y_b,g (cout/groups, P) = W_g col_b,g, one GEMM batched over the images (W shared,
 *     stride 0; col_b is the column slice b*P.. of the wide matrix, leading dimension nb*P);</li>
 * <li>weight gradient: dW_g += dyT_g colT_g, ONE GEMM over all nb*P positions, with dy brought
 *     into the same wide layout (nchw_to_cnhw);</li>
 * <li>input gradient: dcol_b,g = W_g^T dy_b,g batched over images, then col2im adds it into dx.</li>
 * </ul>
 * A 1x1 convolution with stride 1 and no padding skips im2col: each image already is its column matrix.
 */
final class Im2colConv implements ConvEngine {
    /** Floats a column buffer may hold (256 MB); the backward holds up to three of this size. */
    static final long COL_BUDGET = 1L << 26;

    private final DeviceApi device;
    private final CudaMemory memory;
    private final GemmEngine gemm;

    Im2colConv(DeviceApi device, CudaMemory memory, GemmEngine gemm) {
        this.device = device;
        this.memory = memory;
        this.gemm = gemm;
    }

    @Override
    public boolean supports(ConvGeometry g) {
        return true;
    }

    /** Images per chunk: as many as fit the budget, at least one. */
    static int chunkImages(ConvGeometry g, long budget) {
        long perImage = (long) g.cin() * g.kh() * g.kw() * g.outH() * g.outW();
        return (int) Math.max(1, Math.min(g.n(), budget / perImage));
    }

    /** A 1x1, stride-1, unpadded convolution: the input is its own column matrix. */
    static boolean pointwise(ConvGeometry g) {
        return g.kh() == 1 && g.kw() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 0 && g.padW() == 0;
    }

    @Override
    public void forward(ConvGeometry g, CudaBuffer x, CudaBuffer w, CudaBuffer y) {
        Shape s = new Shape(g);
        boolean direct = pointwise(g);
        int nb = chunkImages(g, COL_BUDGET);
        CudaBuffer col = direct ? null : memory.scratch((long) s.kAll * nb * s.p);   // (cin*kh*kw, nb*P)
        byte[] args = CudaStructs.conv(g);
        try {
            for (int n0 = 0; n0 < g.n(); n0 += nb) {
                int cnt = Math.min(nb, g.n() - n0);
                DevicePtr xc = x.at((long) n0 * g.cin() * g.h() * g.w());   // (cnt, cin, h, w)
                DevicePtr yc = y.at((long) n0 * g.cout() * s.p);            // (cnt, cout, P)
                int wide = Math.toIntExact((long) cnt * s.p);
                if (!direct) device.launch1d(Kernel.IM2COL, (long) s.kAll * wide, args, cnt, xc, col);
                for (int grp = 0; grp < g.groups(); grp++) {
                    DevicePtr b = direct ? xc.plus((long) grp * s.k * s.p) : col.at((long) grp * s.k * wide);
                    gemm.run(new GemmCall(false, false, s.coutG, s.p, s.k, 1f, 0f, cnt,
                            w.at((long) grp * s.coutG * s.k), s.k, 0,
                            b, direct ? s.p : wide, direct ? (long) g.cin() * s.p : s.p,
                            yc.plus((long) grp * s.coutG * s.p), s.p, (long) g.cout() * s.p));
                }
            }
        } finally {
            if (col != null) memory.release(col);
        }
    }

    @Override
    public void backward(ConvGeometry g, CudaBuffer x, CudaBuffer w, CudaBuffer dy, CudaBuffer dx, CudaBuffer dw) {
        if (dx == null && dw == null) return;
        Shape s = new Shape(g);
        boolean direct = pointwise(g);
        int nb = chunkImages(g, COL_BUDGET);
        long wideMax = (long) nb * s.p;
        // the input in wide layout (im2col, or a plain transpose for 1x1), dy likewise, and the
        // column gradient; each only when its gradient is wanted
        CudaBuffer col = dw != null ? memory.scratch((long) s.kAll * wideMax) : null;    // (cin*kh*kw, nb*P)
        CudaBuffer dyT = dw != null ? memory.scratch((long) g.cout() * wideMax) : null;  // (cout, nb*P)
        CudaBuffer dcol = dx != null && !direct ? memory.scratch((long) s.kAll * wideMax) : null;
        byte[] args = CudaStructs.conv(g);
        try {
            for (int n0 = 0; n0 < g.n(); n0 += nb) {
                int cnt = Math.min(nb, g.n() - n0);
                int wide = Math.toIntExact((long) cnt * s.p);
                DevicePtr xc = x == null ? null : x.at((long) n0 * g.cin() * g.h() * g.w());
                DevicePtr dyc = dy.at((long) n0 * g.cout() * s.p);
                if (dw != null) weightGradient(g, s, args, cnt, wide, direct, xc, dyc, col, dyT, dw);
                if (dx != null) inputGradient(g, s, args, cnt, wide, direct, w,
                        dyc, dx.at((long) n0 * g.cin() * g.h() * g.w()), dcol);
            }
        } finally {
            for (CudaBuffer b : new CudaBuffer[] {col, dyT, dcol}) if (b != null) memory.release(b);
        }
    }

    /** dW_g (cout/groups, K) += dyT_g (cout/groups, wide) colT_g (wide, K). */
    private void weightGradient(ConvGeometry g, Shape s, byte[] args, int cnt, int wide, boolean direct,
                                DevicePtr xc, DevicePtr dyc, CudaBuffer col, CudaBuffer dyT, CudaBuffer dw) {
        if (direct) device.launch1d(Kernel.NCHW_TO_CNHW, (long) g.cin() * wide, cnt, g.cin(), (long) s.p, xc, col);
        else device.launch1d(Kernel.IM2COL, (long) s.kAll * wide, args, cnt, xc, col);
        device.launch1d(Kernel.NCHW_TO_CNHW, (long) g.cout() * wide, cnt, g.cout(), (long) s.p, dyc, dyT);
        for (int grp = 0; grp < g.groups(); grp++)
            gemm.run(new GemmCall(false, true, s.coutG, s.k, wide, 1f, 1f, 1,
                    dyT.at((long) grp * s.coutG * wide), wide, 0,
                    col.at((long) grp * s.k * wide), wide, 0,
                    dw.at((long) grp * s.coutG * s.k), s.k, 0));
    }

    /**
     * dx += W^T dy per image and group: straight into dx (beta 1) for 1x1 convolutions, else into
     * the column gradient (cin*kh*kw, wide) and through col2im.
     */
    private void inputGradient(ConvGeometry g, Shape s, byte[] args, int cnt, int wide, boolean direct,
                               CudaBuffer w, DevicePtr dyc, DevicePtr dxc, CudaBuffer dcol) {
        for (int grp = 0; grp < g.groups(); grp++) {
            DevicePtr c = direct ? dxc.plus((long) grp * s.k * s.p) : dcol.at((long) grp * s.k * wide);
            gemm.run(new GemmCall(true, false, s.k, s.p, s.coutG, 1f, direct ? 1f : 0f, cnt,
                    w.at((long) grp * s.coutG * s.k), s.k, 0,
                    dyc.plus((long) grp * s.coutG * s.p), s.p, (long) g.cout() * s.p,
                    c, direct ? s.p : wide, direct ? (long) g.cin() * s.p : s.p));
        }
        if (!direct) device.launch1d(Kernel.COL2IM, (long) cnt * g.cin() * g.h() * g.w(), args, cnt, dcol, dxc);
    }

    /** Sizes derived once per call: K per group, all groups' rows, output positions, cout per group. */
    private static final class Shape {
        final int k, kAll, p, coutG;

        Shape(ConvGeometry g) {
            k = g.cin() / g.groups() * g.kh() * g.kw();
            kAll = g.cin() * g.kh() * g.kw();
            p = Math.toIntExact((long) g.outH() * g.outW());
            coutG = g.cout() / g.groups();
        }
    }
}
