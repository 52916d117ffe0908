package org.nasengine.backend.cuda;

import org.nasengine.backend.Gemm;

/**
 * One batched row-major GEMM on device pointers, with leading dimensions (the row pitch of each
 * operand as stored) so that the convolution can multiply sub-matrices of its wide column
 * buffers in place: for z in [0, batch), C_z (m x n) = alpha * op(A_z) * op(B_z) + beta * C_z,
 * X_z = x + z * strideX. C is not read when beta == 0.
 */
record GemmCall(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta, int batch,
                DevicePtr a, int lda, long strideA, DevicePtr b, int ldb, long strideB,
                DevicePtr c, int ldc, long strideC) {

    /** Backend.gemm's contiguous operands: lda, ldb, ldc are the stored row lengths. */
    static GemmCall of(Gemm g, DevicePtr a, DevicePtr b, DevicePtr c) {
        return new GemmCall(g.transA(), g.transB(), g.m(), g.n(), g.k(), g.alpha(), g.beta(), g.batch(),
                a, g.transA() ? g.m() : g.k(), g.strideA(),
                b, g.transB() ? g.k() : g.n(), g.strideB(),
                c, g.n(), g.strideC());
    }

    /** The same product restricted to batches [from, from + count). */
    GemmCall slice(int from, int count) {
        return new GemmCall(transA, transB, m, n, k, alpha, beta, count,
                a.plus(from * strideA), lda, strideA, b.plus(from * strideB), ldb, strideB,
                c.plus(from * strideC), ldc, strideC);
    }

    /** The same product restricted to rows [from, from + count) of op(A) and C. */
    GemmCall rows(int from, int count) {
        return new GemmCall(transA, transB, count, n, k, alpha, beta, batch,
                a.plus(transA ? from : (long) from * lda), lda, strideA, b, ldb, strideB,
                c.plus((long) from * ldc), ldc, strideC);
    }

    String describe() {
        return "gemm " + (transA ? "T" : "N") + (transB ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k
                + " batch=" + batch + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc
                + " alpha=" + alpha + " beta=" + beta;
    }
}
