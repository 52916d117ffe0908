package org.nasengine.backend.cuda;

/** Which GEMM a {@link CudaBackend} uses. */
public enum GemmPath {
    /** cuBLAS when libcublas.so.12 loads, else our own tiled kernel. */
    AUTO,
    /** cuBLAS (cublasSgemmStridedBatched); opening the backend fails if libcublas.so.12 does not load. */
    CUBLAS,
    /** Our own tiled SGEMM kernel (kernels/gemm.cu), whatever is installed. */
    KERNEL
}
