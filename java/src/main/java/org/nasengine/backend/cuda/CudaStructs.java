package org.nasengine.backend.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nasengine.backend.BatchNormSpec;
import org.nasengine.backend.Broadcast;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.backend.JoinGeometry;
import org.nasengine.backend.PoolGeometry;

/**
 * The byte images of the structs the kernels take by value, laid out exactly as the C structs
 * (little-endian, natural alignment); each size is also a static_assert in the .cu file, and
 * KernelSignatureTest checks that the two agree.
 */
final class CudaStructs {
    private CudaStructs() {}

    static final int BCAST_BYTES = 48;
    static final int POOL_BYTES = 44;
    static final int BN_BYTES = 20;
    static final int CONV_BYTES = 64;
    static final int GEMM_BYTES = 64;
    static final int JOIN_BYTES = 552;
    /** Inputs one join launch covers (JOIN_MAX in join.cu). */
    static final int JOIN_MAX = 16;

    private static ByteBuffer struct(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** struct Bcast { int shape[4]; int a[4]; int b[4]; } */
    static byte[] broadcast(Broadcast s) {
        ByteBuffer b = struct(BCAST_BYTES);
        for (int v : s.shape()) b.putInt(v);
        for (int v : s.aStrides()) b.putInt(v);
        for (int v : s.bStrides()) b.putInt(v);
        return b.array();
    }

    /** struct PoolArgs { int n, c, h, w, kh, kw, stride, padH, padW, outH, outW; } */
    static byte[] pool(PoolGeometry g) {
        ByteBuffer b = struct(POOL_BYTES);
        for (int v : new int[] {g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.stride(), g.padH(), g.padW(),
                g.outH(), g.outW()})
            b.putInt(v);
        return b.array();
    }

    /** struct BnArgs { int n, c, spatial; float eps, momentum; } */
    static byte[] batchNorm(BatchNormSpec s) {
        return struct(BN_BYTES).putInt(s.n()).putInt(s.c()).putInt(s.spatial())
                .putFloat(s.eps()).putFloat(s.momentum()).array();
    }

    /** struct ConvArgs { int n, cin, h, w, cout, kh, kw, strideH, strideW, padH, padW, dilH, dilW, groups, outH, outW; } */
    static byte[] conv(ConvGeometry g) {
        ByteBuffer b = struct(CONV_BYTES);
        for (int v : new int[] {g.n(), g.cin(), g.h(), g.w(), g.cout(), g.kh(), g.kw(), g.strideH(), g.strideW(),
                g.padH(), g.padW(), g.dilH(), g.dilW(), g.groups(), g.outH(), g.outW()})
            b.putInt(v);
        return b.array();
    }

    /** struct GemmArgs { int m, n, k, lda, ldb, ldc, transA, transB; float alpha, beta; long long strideA, strideB, strideC; } */
    static byte[] gemm(GemmCall c) {
        return struct(GEMM_BYTES)
                .putInt(c.m()).putInt(c.n()).putInt(c.k()).putInt(c.lda()).putInt(c.ldb()).putInt(c.ldc())
                .putInt(c.transA() ? 1 : 0).putInt(c.transB() ? 1 : 0)
                .putFloat(c.alpha()).putFloat(c.beta())
                .putLong(c.strideA()).putLong(c.strideB()).putLong(c.strideC())
                .array();
    }

    /**
     * struct JoinArgs for the inputs {@code which[0..count)} of {@code j} (at most JOIN_MAX), with
     * device addresses {@code addresses[0..count)}. The forward covers output channels
     * [cBase, cBase + cCount), which must be exactly those inputs' channels; start holds the prefix
     * sums of their lengths for the backward.
     * Layout: u64 data[16] @0, i64 start[17] @128, int channels[16] @264, heights[16] @328,
     * widths[16] @392, chanOffset[16] @456, then count, n, outC, outH, outW, cBase, cCount @520,
     * padded to 552.
     */
    static byte[] join(JoinGeometry j, int[] which, long[] addresses, int count, int cBase, int cCount) {
        if (count <= 0 || count > JOIN_MAX)
            throw new IllegalArgumentException("join launch covers 1.." + JOIN_MAX + " inputs, not " + count);
        ByteBuffer b = struct(JOIN_BYTES);
        for (int k = 0; k < JOIN_MAX; k++) b.putLong(k < count ? addresses[k] : 0L);
        long start = 0;
        for (int k = 0; k <= JOIN_MAX; k++) {
            b.putLong(start);
            if (k < count) start += j.inputLength(which[k]);
        }
        for (int k = 0; k < JOIN_MAX; k++) b.putInt(k < count ? j.channels()[which[k]] : 0);
        for (int k = 0; k < JOIN_MAX; k++) b.putInt(k < count ? j.heights()[which[k]] : 0);
        for (int k = 0; k < JOIN_MAX; k++) b.putInt(k < count ? j.widths()[which[k]] : 0);
        for (int k = 0; k < JOIN_MAX; k++) b.putInt(k < count ? j.channelOffset(which[k]) : 0);
        b.putInt(count).putInt(j.n()).putInt(j.outChannels()).putInt(j.outH()).putInt(j.outW())
                .putInt(cBase).putInt(cCount);
        return b.array();
    }
}
