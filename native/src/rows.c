/* Row operations: log-softmax, softmax cross-entropy, embedding gather, dropout masks. Rows are
 * the unit of parallel work; sums of exponentials run in double (vocabulary rows are 10k wide). */
#include "vecmath.h"
#include <string.h>
#include "internal.h"

/* log(sum_j exp(x_j)) computed around the row max. */
static float log_sum_exp(int cols, const float *x) {
    float mx = -INFINITY;
    for (int j = 0; j < cols; j++) mx = x[j] > mx ? x[j] : mx;
    double s = 0.0;
    #pragma omp simd reduction(+ : s)
    for (int j = 0; j < cols; j++) s += expf(x[j] - mx);
    return mx + (float)log(s);
}

int nas_log_softmax(int rows, int cols, const float *x, float *y) {
    if (rows <= 0 || cols <= 0) return NAS_ERR_ARG;
    #pragma omp parallel for num_threads(nas_threads_for((int64_t)rows * cols)) schedule(guided)
    for (int r = 0; r < rows; r++) {
        const float *xr = x + (int64_t)r * cols;
        float *yr = y + (int64_t)r * cols;
        const float lse = log_sum_exp(cols, xr);
        #pragma omp simd
        for (int j = 0; j < cols; j++) yr[j] = xr[j] - lse;
    }
    return NAS_OK;
}

int nas_log_softmax_backward(int rows, int cols, const float *y, const float *dy, float *dx) {
    if (rows <= 0 || cols <= 0) return NAS_ERR_ARG;
    #pragma omp parallel for num_threads(nas_threads_for((int64_t)rows * cols)) schedule(guided)
    for (int r = 0; r < rows; r++) {
        const float *yr = y + (int64_t)r * cols, *dyr = dy + (int64_t)r * cols;
        float *dxr = dx + (int64_t)r * cols;
        double s = 0.0;
        #pragma omp simd reduction(+ : s)
        for (int j = 0; j < cols; j++) s += dyr[j];
        const float sum = (float)s;
        #pragma omp simd
        for (int j = 0; j < cols; j++) dxr[j] += dyr[j] - expf(yr[j]) * sum;
    }
    return NAS_OK;
}

int nas_softmax_xent(int rows, int cols, const float *logits, const int32_t *labels, float *probs, float *loss) {
    if (rows <= 0 || cols <= 0) return NAS_ERR_ARG;
    for (int r = 0; r < rows; r++)
        if (labels[r] < 0 || labels[r] >= cols) return NAS_ERR_INDEX;
    #pragma omp parallel for num_threads(nas_threads_for((int64_t)rows * cols)) schedule(guided)
    for (int r = 0; r < rows; r++) {
        const float *xr = logits + (int64_t)r * cols;
        float *pr = probs + (int64_t)r * cols;
        const float lse = log_sum_exp(cols, xr);
        const float target = xr[labels[r]]; /* read before probs is written: they may alias */
        #pragma omp simd
        for (int j = 0; j < cols; j++) pr[j] = expf(xr[j] - lse);
        loss[r] = lse - target;
    }
    return NAS_OK;
}

int nas_softmax_xent_backward(int rows, int cols, const float *probs, const int32_t *labels, const float *dLoss,
                              float *dLogits) {
    if (rows <= 0 || cols <= 0) return NAS_ERR_ARG;
    for (int r = 0; r < rows; r++)
        if (labels[r] < 0 || labels[r] >= cols) return NAS_ERR_INDEX;
    #pragma omp parallel for num_threads(nas_threads_for((int64_t)rows * cols)) schedule(guided)
    for (int r = 0; r < rows; r++) {
        const float *pr = probs + (int64_t)r * cols;
        float *dr = dLogits + (int64_t)r * cols;
        const float d = dLoss[r];
        #pragma omp simd
        for (int j = 0; j < cols; j++) dr[j] += pr[j] * d;
        dr[labels[r]] -= d;
    }
    return NAS_OK;
}

int nas_gather_rows(int count, int width, int64_t tableRows, const float *table, const int32_t *ids, float *out) {
    if (count <= 0 || width <= 0) return NAS_ERR_ARG;
    for (int i = 0; i < count; i++)
        if (ids[i] < 0 || ids[i] >= tableRows) return NAS_ERR_INDEX;
    #pragma omp parallel for num_threads(nas_threads_for((int64_t)count * width)) schedule(guided)
    for (int i = 0; i < count; i++)
        memcpy(out + (int64_t)i * width, table + (int64_t)ids[i] * width, (size_t)width * sizeof(float));
    return NAS_OK;
}

/* Serial: repeated ids add into the same table row. */
int nas_gather_rows_backward(int count, int width, int64_t tableRows, const float *dOut, const int32_t *ids,
                             float *dTable) {
    if (count <= 0 || width <= 0) return NAS_ERR_ARG;
    for (int i = 0; i < count; i++)
        if (ids[i] < 0 || ids[i] >= tableRows) return NAS_ERR_INDEX;
    for (int i = 0; i < count; i++) {
        float *dst = dTable + (int64_t)ids[i] * width;
        const float *src = dOut + (int64_t)i * width;
        #pragma omp simd
        for (int j = 0; j < width; j++) dst[j] += src[j];
    }
    return NAS_OK;
}

/* The counter-based draw of org.nasengine.backend.DropoutHash: every backend makes the same mask. */
static inline uint64_t splitmix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void nas_dropout_mask(int64_t n, float keep, int64_t seed, float *mask) {
    const float scale = 1.0f / keep;
    #pragma omp parallel for simd num_threads(nas_threads_for(n)) schedule(guided, 4096)
    for (int64_t i = 0; i < n; i++) {
        const uint64_t z = splitmix64((uint64_t)seed + (uint64_t)i * 0x9E3779B97F4A7C15ULL);
        const float u = (float)(z >> 40) / 16777216.0f;
        mask[i] = u < keep ? scale : 0.0f;
    }
}
