package org.nasengine.backend.cuda;

/** The GEMM contract on our own tiled kernel (kernels/gemm.cu), forced even where cuBLAS loads. */
class CudaOwnGemmTest extends CudaGemmPathContract {
    @Override
    GemmPath path() {
        return GemmPath.KERNEL;
    }
}
