package org.nasengine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.Backend;
import org.nasengine.backend.ConformanceHarness;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.backend.Gemm;

/**
 * GEMM and the convolutions built on it, through one forced GEMM path, against the reference:
 * transposes, odd sizes that leave partial tiles, alpha/beta, batches with a shared operand, both
 * tile sizes of our kernel, and im2col convolutions (groups, stride, dilation, 1x1, 1x7) whose
 * GEMMs use leading dimensions and sub-matrix offsets. Subclasses pick the path.
 */
abstract class CudaGemmPathContract extends ConformanceHarness {
    abstract GemmPath path();

    @Override
    protected Backend candidate() {
        Assumptions.assumeTrue(CudaBackend.isAvailable(), () -> "no CUDA GPU: " + CudaBackend.unavailableReason());
        if (path() == GemmPath.CUBLAS)
            Assumptions.assumeTrue(CudaBackend.cublasUnavailableReason() == null,
                    () -> "no cuBLAS: " + CudaBackend.cublasUnavailableReason());
        return new CudaBackend(0, path());
    }

    @Test
    void usesTheForcedPath() {
        assertEquals(path(), ((CudaBackend) cand).gemmPath());
    }

    @Test
    void everyTransposeWithPartialTiles() {
        int[][] sizes = {{1, 1, 1}, {17, 33, 9}, {129, 65, 130}, {64, 64, 64}, {3, 200, 257}};
        for (int[] s : sizes)
            for (boolean ta : new boolean[] {false, true})
                for (boolean tb : new boolean[] {false, true})
                    for (float beta : new float[] {0f, 1f}) {
                        Gemm g = new Gemm(ta, tb, s[0], s[1], s[2], 0.5f, beta, 1, 0, 0, 0);
                        check(g, "gemm " + (ta ? "T" : "N") + (tb ? "T" : "N") + " beta=" + beta);
                    }
    }

    @Test
    void batchedWithASharedWeight() {
        int m = 24, n = 50, k = 36, batch = 5;
        check(new Gemm(false, false, m, n, k, 1f, 0f, batch, 0, (long) k * n, (long) m * n), "shared A");
        check(new Gemm(true, true, m, n, k, 1f, 1f, batch, (long) m * k, 0, (long) m * n), "shared B");
    }

    @Test
    void largeEnoughForTheBigTiles() {
        // 3x3 tiles of 128 per product times 30 exceeds two blocks per SM on any GPU we build for
        check(Gemm.batched(false, true, 384, 384, 32, 0f, 30), "batched 384x384");
    }

    private void check(Gemm g, String what) {
        long aLen = (g.batch() - 1) * g.strideA() + (long) g.m() * g.k();
        long bLen = (g.batch() - 1) * g.strideB() + (long) g.k() * g.n();
        long cLen = (g.batch() - 1) * g.strideC() + (long) g.m() * g.n();
        Twin a = random(aLen), b = random(bLen);
        // beta 0 must not read C: start it as NaN
        Twin c = g.beta() == 0 ? poisoned(cLen) : random(cLen);
        ref.gemm(g, r(a), r(b), r(c));
        cand.gemm(g, c(a), c(b), c(c));
        assertClose(what, g.m() + "x" + g.n() + "x" + g.k() + " batch " + g.batch(), c, cLen, SUM_ATOL, SUM_RTOL);
    }

    @Test
    void im2colConvolutionsForwardAndBackward() {
        ConvGeometry[] cases = {
            ConvGeometry.same(3, 5, 9, 7, 6, 3, 3, 1, 1, 1),      // plain 3x3
            ConvGeometry.same(2, 4, 11, 10, 6, 5, 5, 2, 1, 2),    // stride 2, two groups
            ConvGeometry.same(2, 3, 9, 9, 4, 3, 3, 1, 2, 1),      // dilation 2
            ConvGeometry.same(2, 8, 6, 5, 12, 1, 1, 1, 1, 1),     // 1x1: no im2col
            ConvGeometry.same(2, 8, 6, 5, 12, 1, 1, 2, 1, 4),     // 1x1 stride 2, groups: im2col
            ConvGeometry.same(2, 3, 8, 9, 4, 1, 7, 1, 1, 1),      // 1x7
            ConvGeometry.same(1, 2, 7, 7, 3, 7, 1, 3, 1, 1),      // 7x1 stride 3
        };
        for (ConvGeometry g : cases) {
            Twin x = random(g.inputLength()), w = random(g.weightLength());
            Twin y = poisoned(g.outputLength());
            ref.conv2d(g, r(x), r(w), r(y));
            cand.conv2d(g, c(x), c(w), c(y));
            assertClose("conv2d", g.toString(), y, g.outputLength(), SUM_ATOL, SUM_RTOL);

            Twin dy = random(g.outputLength());
            Twin dx = random(g.inputLength()), dw = random(g.weightLength());   // backward adds
            ref.conv2dBackward(g, r(x), r(w), r(dy), r(dx), r(dw));
            cand.conv2dBackward(g, c(x), c(w), c(dy), c(dx), c(dw));
            assertClose("conv2d dx", g.toString(), dx, g.inputLength(), SUM_ATOL, SUM_RTOL);
            assertClose("conv2d dw", g.toString(), dw, g.weightLength(), SUM_ATOL, SUM_RTOL);
        }
    }
}
