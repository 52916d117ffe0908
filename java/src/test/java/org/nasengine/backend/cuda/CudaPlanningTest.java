package org.nasengine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.Broadcast;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.backend.Gemm;

/** The host-side decisions of the CUDA backend, which need no GPU: chunking, tiles, atomics, launch arguments. */
class CudaPlanningTest {
    @Test
    void convChunksStayWithinTheColumnBudget() {
        ConvGeometry g = ConvGeometry.same(128, 64, 32, 32, 64, 5, 5, 1, 1, 1);
        long perImage = 64L * 25 * 32 * 32;
        int nb = Im2colConv.chunkImages(g, 1L << 24);
        assertTrue(nb * perImage <= 1L << 24, "chunk of " + nb + " images exceeds the budget");
        assertTrue((nb + 1) * perImage > 1L << 24, "chunk of " + nb + " images could be larger");
        assertEquals(128, Im2colConv.chunkImages(g, Long.MAX_VALUE), "everything fits: one chunk");
        assertEquals(1, Im2colConv.chunkImages(g, 1), "at least one image per chunk");
    }

    @Test
    void onlyUnpaddedStrideOneOneByOneSkipsIm2col() {
        assertTrue(Im2colConv.pointwise(ConvGeometry.same(2, 8, 5, 5, 4, 1, 1, 1, 1, 1)));
        assertFalse(Im2colConv.pointwise(ConvGeometry.same(2, 8, 5, 5, 4, 1, 1, 2, 1, 1)), "stride 2 subsamples");
        assertFalse(Im2colConv.pointwise(ConvGeometry.same(2, 8, 5, 5, 4, 3, 3, 1, 1, 1)));
        assertFalse(Im2colConv.pointwise(new ConvGeometry(2, 8, 5, 5, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1)), "padded");
    }

    @Test
    void depthwiseEngineTakesOneInputChannelPerGroup() {
        DepthwiseConv dw = new DepthwiseConv(null);
        assertTrue(dw.supports(ConvGeometry.same(2, 8, 5, 5, 8, 3, 3, 1, 1, 8)), "depthwise");
        assertTrue(dw.supports(ConvGeometry.same(2, 4, 5, 5, 8, 3, 3, 1, 1, 4)), "channel multiplier 2");
        assertTrue(dw.supports(ConvGeometry.same(2, 1, 5, 5, 8, 3, 3, 1, 1, 1)), "single-channel image");
        assertFalse(dw.supports(ConvGeometry.same(2, 8, 5, 5, 8, 3, 3, 1, 1, 4)), "two channels per group");
    }

    @Test
    void bigTilesOnlyWhenTheyFillTheGpu() {
        assertEquals(128, KernelGemm.tileFor(4096, 4096, 1, 132));
        assertEquals(64, KernelGemm.tileFor(256, 256, 1, 132));
        assertEquals(128, KernelGemm.tileFor(256, 256, 66, 132), "a large batch fills it too");
    }

    @Test
    void gemmLeadingDimensionsAreTheStoredRowLengths() {
        DevicePtr p = new DevicePtr();
        GemmCall nn = GemmCall.of(Gemm.of(false, false, 3, 4, 5, 0f), p, p, p);
        assertEquals(5, nn.lda());
        assertEquals(4, nn.ldb());
        assertEquals(4, nn.ldc());
        GemmCall tt = GemmCall.of(Gemm.of(true, true, 3, 4, 5, 0f), p, p, p);
        assertEquals(3, tt.lda(), "A stored k x m");
        assertEquals(5, tt.ldb(), "B stored n x k");
    }

    @Test
    void sumIntoUsesAtomicsExactlyWhenOffsetsRepeat() {
        assertTrue(CudaChecks.distinctOffsets(new int[] {1, 2, 3, 4}, new int[] {0, 12, 4, 1}), "dense");
        assertTrue(CudaChecks.distinctOffsets(new int[] {1, 1, 3, 4}, new int[] {0, 0, 8, 1}), "row slices, gaps");
        assertFalse(CudaChecks.distinctOffsets(new int[] {1, 2, 3, 4}, new int[] {0, 0, 4, 1}), "broadcast over dim 1");
        assertFalse(CudaChecks.distinctOffsets(new int[] {1, 1, 2, 2}, new int[] {0, 0, 1, 1}), "overlapping strides");
        assertEquals(1 + 1 * 12 + 2 * 4 + 3, new Broadcast(new int[] {1, 2, 3, 4}, new int[] {0, 12, 4, 1}, new int[4]).aExtent());
    }

    @Test
    void joinBackwardNeverLaunchesTheSameGradientTwice() {
        // byte ranges: g, h, g again, h again, then k overlapping g's tail (a view, should one ever exist)
        long[] first = {1000, 2000, 1000, 2000, 1040}, end = {1080, 2080, 1080, 2080, 1100};
        assertEquals("[[0, 1], [2, 3], [4]]", describe(CudaJoin.launches(first, end)));
        assertEquals("[[0], [1]]", describe(CudaJoin.launches(new long[] {64, 64}, new long[] {128, 128})), "{g, g}");
        assertEquals("[[0, 1]]", describe(CudaJoin.launches(new long[] {0, 64}, new long[] {64, 128})), "adjacent");
    }

    @Test
    void joinBackwardLaunchesHoldAtMostJoinMaxInputs() {
        int k = CudaStructs.JOIN_MAX + 4;
        long[] first = new long[k], end = new long[k];
        for (int i = 0; i < k; i++) {
            first[i] = 100L * i;
            end[i] = 100L * i + 40;
        }
        List<int[]> launches = CudaJoin.launches(first, end);
        assertEquals(2, launches.size());
        assertEquals(CudaStructs.JOIN_MAX, launches.get(0).length);
        assertEquals(4, launches.get(1).length);
        assertEquals(CudaStructs.JOIN_MAX, launches.get(1)[0], "the second launch starts where the first stopped");
    }

    private static String describe(List<int[]> launches) {
        return launches.stream().map(Arrays::toString).toList().toString();
    }

    @Test
    void rowBlocksAreWarpMultiplesNoLargerThanNeeded() {
        assertEquals(32, CudaRows.rowBlock(1));
        assertEquals(64, CudaRows.rowBlock(33));
        assertEquals(256, CudaRows.rowBlock(10_000));
    }

    @Test
    void launchArgumentsMustMatchTheKernelSignature() {
        assertEquals(4, CudaDevice.kernelParams(Kernel.UNARY_FWD, 1, 10L, null, null).length);
        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                () -> CudaDevice.kernelParams(Kernel.UNARY_FWD, 1, 10, null, null));
        assertTrue(wrongType.getMessage().contains("unary_fwd argument 1 must be 'l'"), wrongType.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CudaDevice.kernelParams(Kernel.SCALE, 10L, 2f));
    }

    @Test
    void devicePointersOffsetByWholeElements() {
        DevicePtr p = new DevicePtr();
        assertEquals(p.address() + 40, p.plus(10).address());
        assertEquals(p.address() + 44, p.plus(10).plus(1).address());
    }
}
