package org.nasengine.backend.cuda;

import static jcuda.jcublas.JCublas2.cublasCreate;
import static jcuda.jcublas.JCublas2.cublasDestroy;
import static jcuda.jcublas.JCublas2.cublasSetMathMode;
import static jcuda.jcublas.JCublas2.cublasSetStream;
import static jcuda.jcublas.JCublas2.cublasSgemmStridedBatched;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcublas.cublasOperation;
import jcuda.runtime.cudaStream_t;

/**
 * GEMM through cuBLAS 12 (JCublas2 needs libcublas.so.12). cuBLAS is column-major; a row-major
 * C = op(A) op(B) is the column-major C^T = op(B)^T op(A)^T, so the operands are swapped and
 * each keeps its own transpose flag, with m and n exchanged. Plain FP32 math (no TF32), so
 * results match the reference within float tolerance.
 */
final class CublasGemm implements GemmEngine {
    private final cublasHandle handle = new cublasHandle();

    /** Throws (UnsatisfiedLinkError and kin) when libcublas.so.12 cannot be loaded. */
    CublasGemm(CudaDevice device) {
        JCublas2.setExceptionsEnabled(true);
        cublasCreate(handle);
        try {
            cublasSetStream(handle, new cudaStream_t(device.stream));
            cublasSetMathMode(handle, cublasMath.CUBLAS_DEFAULT_MATH);
        } catch (RuntimeException e) {
            cublasDestroy(handle);
            throw e;
        }
    }

    @Override
    public GemmPath path() {
        return GemmPath.CUBLAS;
    }

    @Override
    public void run(GemmCall c) {
        int opA = c.transA() ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int opB = c.transB() ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        cublasSgemmStridedBatched(handle, opB, opA, c.n(), c.m(), c.k(),
                Pointer.to(new float[] {c.alpha()}),
                c.b(), c.ldb(), c.strideB(),
                c.a(), c.lda(), c.strideA(),
                Pointer.to(new float[] {c.beta()}),
                c.c(), c.ldc(), c.strideC(),
                c.batch());
    }

    @Override
    public void close() {
        cublasDestroy(handle);
    }
}
