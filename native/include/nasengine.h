/*
 * nasengine: the native CPU primitives behind org.nasengine.backend.cpu.NativeBackend.
 *
 * Conventions (they mirror org.nasengine.backend.Backend):
 *  - images are NCHW, matrices row-major, every buffer contiguous float32 (int32 for ids/labels);
 *  - functions named *_backward ADD into their outputs (+=) and take NULL for "not wanted";
 *    every other function overwrites its output;
 *  - functions return void or an int error code (NAS_OK on success); sizes are int / int64_t.
 *
 * Threads: all parallelism is OpenMP with nas_get_threads() threads. OpenBLAS is pinned to one
 * thread and called from inside the OpenMP regions (each thread a slice of the work), so the
 * two thread pools never compete for the cores.
 */
#ifndef NASENGINE_H
#define NASENGINE_H

#include <stdint.h>

#if defined(__GNUC__)
#define NAS_API __attribute__((visibility("default")))
#else
#define NAS_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* error codes */
#define NAS_OK 0
#define NAS_ERR_ALLOC 1 /* out of memory (scratch or buffer) */
#define NAS_ERR_ARG 2   /* a size or geometry value out of range */
#define NAS_ERR_INDEX 3 /* an id or label outside its table */

/* unary op codes, in the order of org.nasengine.backend.Unary */
enum { NAS_IDENTITY = 0, NAS_RELU, NAS_TANH, NAS_SIGMOID, NAS_EXP, NAS_LOG, NAS_NEG, NAS_SQUARE, NAS_LOG_SIGMOID };
/* binary op codes, in the order of org.nasengine.backend.Binary */
enum { NAS_ADD = 0, NAS_SUB, NAS_MUL, NAS_DIV };
/* pooling kinds, in the order of PoolGeometry.Kind */
enum { NAS_POOL_MAX = 0, NAS_POOL_AVG };

/* ---- memory.c: library state, buffers, scratch ---- */

/* Writes "OpenBLAS <config>; core <name>; blas threads <t>; openmp threads <n>" into buf (NUL
 * terminated, truncated to cap). Returns the full length. */
NAS_API int nas_blas_info(char *buf, int cap);
/* Threads used by every parallel region (>= 1; values above the core count are allowed). */
NAS_API void nas_set_threads(int threads);
NAS_API int nas_get_threads(void);
/* Deterministic mode (off by default): every sum is taken in an order fixed by the thread count
 * alone, so two runs with the same inputs and thread count give the same bits. Off, the weight
 * gradient of a convolution sums per-thread partials whose images a dynamic schedule hands out,
 * which keeps a preempted thread from holding the others up but varies the last bits run to run. */
NAS_API void nas_set_deterministic(int on);
NAS_API int nas_get_deterministic(void);

/* 64-byte aligned block of `bytes` (contents undefined; the Java pool zero-fills). */
NAS_API int nas_alloc(int64_t bytes, void **out);
NAS_API void nas_free(void *p);
NAS_API void nas_fill(int64_t n, float value, float *x);

/* Per-backend scratch (column buffers, per-thread accumulators), grown on demand and reused.
 * One workspace must not be used by two calls at the same time. */
typedef struct nas_workspace nas_workspace;
NAS_API int nas_workspace_create(nas_workspace **out);
NAS_API void nas_workspace_destroy(nas_workspace *ws);
/* Bytes of scratch currently held. */
NAS_API void nas_workspace_bytes(const nas_workspace *ws, int64_t *out);

/* ---- gemm.c ---- */

/* For i < batch: C_i (m x n) = alpha * op(A_i) op(B_i) + beta * C_i (row-major; A_i = A + i*strideA
 * etc., a stride of 0 shares the operand). beta == 0 overwrites C even if it holds NaN. */
NAS_API int nas_gemm(int transA, int transB, int m, int n, int k, float alpha, const float *a,
                     const float *b, float beta, float *c, int batch, int64_t strideA, int64_t strideB,
                     int64_t strideC);

/* ---- elementwise.c ---- */

NAS_API int nas_unary(int op, int64_t n, const float *x, float *y);
/* dx += f'(x) * dy, using x or y as org.nasengine.backend.Unary documents. */
NAS_API int nas_unary_backward(int op, int64_t n, const float *x, const float *y, const float *dy, float *dx);
/* out[i] = a[sum i_d*as_d] (op) b[sum i_d*bs_d] over the rank-4 shape s0..s3; out contiguous. */
NAS_API int nas_binary(int op, int s0, int s1, int s2, int s3, int as0, int as1, int as2, int as3,
                       int bs0, int bs1, int bs2, int bs3, const float *a, const float *b, float *out);
/* dst[sum i_d*ds_d] += src[i] over the rank-4 shape; src contiguous. */
NAS_API void nas_sum_into(int s0, int s1, int s2, int s3, int ds0, int ds1, int ds2, int ds3,
                          const float *src, float *dst);
NAS_API void nas_scale(int64_t n, float factor, float *x);
NAS_API void nas_sum_of_squares(int64_t n, const float *x, double *out);

/* ---- conv.c (im2col + sgemm, 1x1 and depthwise special cases) ---- */

/* x (n, cin, h, w) * w (cout, cin/groups, kh, kw) -> y (n, cout, outH, outW); no bias. */
NAS_API int nas_conv2d(nas_workspace *ws, int n, int cin, int h, int w, int cout, int kh, int kw,
                       int strideH, int strideW, int padH, int padW, int dilH, int dilW, int groups,
                       const float *x, const float *wt, float *y);
/* dx += d/dx, dw += d/dw (either may be NULL). */
NAS_API int nas_conv2d_backward(nas_workspace *ws, int n, int cin, int h, int w, int cout, int kh, int kw,
                                int strideH, int strideW, int padH, int padW, int dilH, int dilW, int groups,
                                const float *x, const float *wt, const float *dy, float *dx, float *dw);

/* ---- pool.c ---- */

NAS_API int nas_pool2d(int kind, int n, int c, int h, int w, int kh, int kw, int stride, int padH, int padW,
                       const float *x, float *y);
NAS_API int nas_pool2d_backward(int kind, int n, int c, int h, int w, int kh, int kw, int stride, int padH,
                                int padW, const float *x, const float *y, const float *dy, float *dx);

/* ---- batchnorm.c ---- */

/* training != 0: batch statistics into savedMean/savedInvStd, running stats updated;
 * training == 0: running statistics, saved buffers untouched (may be NULL). */
NAS_API int nas_batchnorm(int n, int c, int spatial, float eps, float momentum, int training,
                          const float *x, const float *gamma, const float *beta, float *runningMean,
                          float *runningVar, float *savedMean, float *savedInvStd, float *y);
NAS_API int nas_batchnorm_backward(int n, int c, int spatial, const float *x, const float *gamma,
                                   const float *savedMean, const float *savedInvStd, const float *dy,
                                   float *dx, float *dGamma, float *dBeta);

/* ---- join.c: one input of the zero-pad join at a time ---- */

/* Writes input (n, c, h, w) into channels [chanOffset, chanOffset+c) of out (n, outC, outH, outW)
 * at (top, left), zeroing the rest of those channels. */
NAS_API int nas_pad_into(int n, int c, int h, int w, int outC, int outH, int outW, int chanOffset, int top,
                         int left, const float *in, float *out);
/* dIn (n, c, h, w) += the window of dOut that nas_pad_into wrote. */
NAS_API int nas_pad_into_backward(int n, int c, int h, int w, int outC, int outH, int outW, int chanOffset,
                                  int top, int left, const float *dOut, float *dIn);

/* ---- rows.c: softmax, cross-entropy, embeddings, dropout ---- */

NAS_API int nas_log_softmax(int rows, int cols, const float *x, float *y);
NAS_API int nas_log_softmax_backward(int rows, int cols, const float *y, const float *dy, float *dx);
/* Returns NAS_ERR_INDEX when a label is outside [0, cols). */
NAS_API int nas_softmax_xent(int rows, int cols, const float *logits, const int32_t *labels, float *probs,
                             float *loss);
NAS_API int nas_softmax_xent_backward(int rows, int cols, const float *probs, const int32_t *labels,
                                      const float *dLoss, float *dLogits);
/* Returns NAS_ERR_INDEX when an id is outside [0, tableRows). */
NAS_API int nas_gather_rows(int count, int width, int64_t tableRows, const float *table, const int32_t *ids,
                            float *out);
NAS_API int nas_gather_rows_backward(int count, int width, int64_t tableRows, const float *dOut,
                                     const int32_t *ids, float *dTable);
NAS_API void nas_dropout_mask(int64_t n, float keep, int64_t seed, float *mask);

/* ---- lstm.c ---- */

NAS_API int nas_lstm_cell(int n, int hidden, const float *gates, const float *cPrev, float *c, float *h);
/* dh or dc may be NULL (zero); dGates (n, 4*hidden) and dcPrev (n, hidden) accumulate, either may be NULL. */
NAS_API int nas_lstm_cell_backward(int n, int hidden, const float *gates, const float *cPrev, const float *c,
                                   const float *dh, const float *dc, float *dGates, float *dcPrev);

/* ---- optim.c ---- */

/* velocity may be NULL when momentum == 0. */
NAS_API void nas_sgd_step(int64_t n, float momentum, float weightDecay, int nesterov, float lr, float *param,
                          const float *grad, float *velocity);
NAS_API void nas_adam_step(int64_t n, float beta1, float beta2, float eps, float weightDecay, float lr, int step,
                           float *param, const float *grad, float *m, float *v);

#ifdef __cplusplus
}
#endif
#endif
