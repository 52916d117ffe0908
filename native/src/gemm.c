/* Batched GEMM over OpenBLAS: the OpenMP threads share the batch, or the columns (rows) of one
 * product when the batch is too small to keep every thread busy; each slice is one single-threaded
 * cblas_sgemm. */
#include <cblas.h>
#include "internal.h"

/* Below this many flops one thread does the whole batch: a fork costs about what a 1 MFLOP
 * product takes on one core. */
#define GEMM_PAR_FLOPS 2.0e6

static void slice(int transA, int transB, int m, int n, int k, float alpha, const float *a,
                  const float *b, float beta, float *c, int part, int parts) {
    int lda = transA ? m : k, ldb = transB ? k : n;
    if (parts == 1) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    m, n, k, alpha, a, lda, b, ldb, beta, c, n);
        return;
    }
    if (n >= m) { /* columns j0..j1 of C read columns j0..j1 of op(B) */
        int step = ((n + parts - 1) / parts + 15) & ~15;
        int j0 = part * step, j1 = j0 + step < n ? j0 + step : n;
        if (j0 >= j1) return;
        const float *bs = transB ? b + (int64_t)j0 * ldb : b + j0;
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    m, j1 - j0, k, alpha, a, lda, bs, ldb, beta, c + j0, n);
    } else {      /* rows i0..i1 of C read rows i0..i1 of op(A) */
        int step = ((m + parts - 1) / parts + 15) & ~15;
        int i0 = part * step, i1 = i0 + step < m ? i0 + step : m;
        if (i0 >= i1) return;
        const float *as = transA ? a + i0 : a + (int64_t)i0 * lda;
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    i1 - i0, n, k, alpha, as, lda, b, ldb, beta, c + (int64_t)i0 * n, n);
    }
}

int nas_gemm(int transA, int transB, int m, int n, int k, float alpha, const float *a, const float *b,
             float beta, float *c, int batch, int64_t strideA, int64_t strideB, int64_t strideC) {
    if (m <= 0 || n <= 0 || k <= 0 || batch <= 0 || strideA < 0 || strideB < 0 || strideC < 0) return NAS_ERR_ARG;
    double flops = 2.0 * m * n * (double)k * batch;
    int nt = flops < GEMM_PAR_FLOPS ? 1 : nas_threads();
    /* a batch that divides evenly (or is long enough not to care) is split by item; otherwise
     * every item is cut into nt slices so no thread idles at the end */
    int parts = (nt == 1 || batch % nt == 0 || batch >= 4 * nt) ? 1 : nt;
    if ((n >= m ? n : m) < 32 * parts) parts = 1;
    int64_t tasks = (int64_t)batch * parts;
    if (tasks < nt) nt = (int)tasks;
    #pragma omp parallel for num_threads(nt) schedule(dynamic, 1)
    for (int64_t t = 0; t < tasks; t++) {
        int64_t i = t / parts;
        slice(transA, transB, m, n, k, alpha, a + i * strideA, b + i * strideB, beta, c + i * strideC,
              (int)(t % parts), parts);
    }
    return NAS_OK;
}
