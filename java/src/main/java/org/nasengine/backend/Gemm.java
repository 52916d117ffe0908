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

    /**
     * The checks every backend makes before it runs this product: no stride negative, and C's
     * batches far enough apart not to overwrite each other. Not in the constructor, so that the
     * op that is handed a bad geometry is the one that fails.
     */
    public void checkStrides() {
        if (strideA < 0 || strideB < 0 || strideC < 0)
            throw new IllegalArgumentException("gemm: strides must be >= 0: " + this);
        if (batch > 1 && strideC < (long) m * n)
            throw new IllegalArgumentException("gemm: strideC (" + strideC + ") below m*n (" + (long) m * n
                    + ") would make batches overwrite each other");
    }

    /** Elements A must hold: (batch, m, k), or (batch, k, m) when transposed, at strideA. */
    public long aExtent() {
        return (batch - 1) * strideA + (long) m * k;
    }

    /** Elements B must hold: (batch, k, n), or (batch, n, k) when transposed, at strideB. */
    public long bExtent() {
        return (batch - 1) * strideB + (long) k * n;
    }

    /** Elements C must hold: (batch, m, n) at strideC. */
    public long cExtent() {
        return (batch - 1) * strideC + (long) m * n;
    }

    public double flops() {
        return 2.0 * m * n * k * batch;
    }
}
