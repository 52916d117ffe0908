package org.nasengine.backend.cuda;

/**
 * GEMM through our own tiled kernels (kernels/gemm.cu): 128x128 tiles when the product has
 * enough of them to fill the GPU, else 64x64 tiles. The batch runs on blockIdx.z, in slices of
 * at most 65535 (the grid's z limit).
 */
final class KernelGemm implements GemmEngine {
    static final int MAX_GRID_Z = 65535;
    private final DeviceApi device;

    KernelGemm(DeviceApi device) {
        this.device = device;
    }

    @Override
    public GemmPath path() {
        return GemmPath.KERNEL;
    }

    @Override
    public void run(GemmCall c) {
        for (int from = 0; from < c.batch(); from += MAX_GRID_Z) {
            GemmCall part = c.batch() <= MAX_GRID_Z ? c : c.slice(from, Math.min(MAX_GRID_Z, c.batch() - from));
            int tile = tileFor(part.m(), part.n(), part.batch(), device.smCount());
            // rows run on blockIdx.y, limited to 65535 tiles too
            int rowsPerLaunch = MAX_GRID_Z * tile;
            for (int row = 0; row < part.m(); row += rowsPerLaunch)
                launch(part.m() <= rowsPerLaunch ? part : part.rows(row, Math.min(rowsPerLaunch, part.m() - row)), tile);
        }
    }

    private void launch(GemmCall c, int tile) {
        Kernel k = tile == 128 ? Kernel.SGEMM_128X128 : Kernel.SGEMM_64X64;
        device.launch(k, ceilDiv(c.n(), tile), ceilDiv(c.m(), tile), c.batch(), 256,
                CudaStructs.gemm(c), c.a(), c.b(), c.c());
    }

    /** 128 when 128x128 tiles give at least two blocks per SM, else 64. */
    static int tileFor(int m, int n, int batch, int smCount) {
        long big = (long) ceilDiv(m, 128) * ceilDiv(n, 128) * batch;
        return big >= 2L * smCount ? 128 : 64;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    @Override
    public void close() {}
}
