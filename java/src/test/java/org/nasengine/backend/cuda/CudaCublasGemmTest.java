package org.nasengine.backend.cuda;

/** The GEMM contract on cuBLAS; skipped where libcublas.so.12 does not load. */
class CudaCublasGemmTest extends CudaGemmPathContract {
    @Override
    GemmPath path() {
        return GemmPath.CUBLAS;
    }
}
