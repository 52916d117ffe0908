package org.nasengine.backend;

/**
 * Batched row-major GEMM: for each batch index i,
 * C_i (m x n) = alpha * op(A_i) * op(B_i) + beta * C_i, where op(A) is m x k and op(B) is k x n.
 * A is stored m x k (k x m when transA), B k x n (n x k when transB), both contiguous.
 * A stride of 0 shares that operand across the batch (a weight used by every example).
 */
public record Gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                   int batch, long strideA, long strideB, long strideC) {

    public Gemm {
        if (m <= 0 || n <= 0 || k <= 0 || batch <= 0)
            throw new IllegalArgumentException("gemm dimensions must be > 0: m=" + m + " n=" + n + " k=" + k + " batch=" + batch);
    }

    public static Gemm of(boolean transA, boolean transB, int m, int n, int k, float beta) {
        return new Gemm(transA, transB, m, n, k, 1f, beta, 1, 0, 0, 0);
    }

    public static Gemm batched(boolean transA, boolean transB, int m, int n, int k, float beta, int batch) {
        return new Gemm(transA, transB, m, n, k, 1f, beta, batch, (long) m * k, (long) k * n, (long) m * n);
    }

    public double flops() {
        return 2.0 * m * n * k * batch;
    }
}
