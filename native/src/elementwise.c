/* Elementwise functions and their derivatives, broadcasting binary ops, reductions. The loops are
 * plain C that GCC vectorises (-O3 -mavx2 -mfma -fno-math-errno: expf/logf/tanhf go to libmvec). */
#include "vecmath.h"
#include "internal.h"

static inline float sigmoidf(float x) { return 1.0f / (1.0f + expf(-x)); }

int nas_unary(int op, int64_t n, const float *x, float *y) {
    int nt = nas_threads_for(n);
    switch (op) {
    case NAS_IDENTITY:
        #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
        for (int64_t i = 0; i < n; i++) y[i] = x[i];
        break;
    case NAS_RELU:
        #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
        for (int64_t i = 0; i < n; i++) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        break;
    case NAS_TANH:
        #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
        for (int64_t i = 0; i < n; i++) y[i] = tanhf(x[i]);
        break;
    case NAS_SIGMOID:
        #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
        for (int64_t i = 0; i < n; i++) y[i] = sigmoidf(x[i]);
        break;
    case NAS_EXP:
        #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
        for (int64_t i = 0; i < n; i++) y[i] = expf(x[i]);
        break;
    case NAS_LOG:
        #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
        for (int64_t i = 0; i < n; i++) y[i] = logf(x[i]);
        break;
    case NAS_NEG:
        #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
        for (int64_t i = 0; i < n; i++) y[i] = -x[i];
        break;
    case NAS_SQUARE:
        #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
        for (int64_t i = 0; i < n; i++) y[i] = x[i] * x[i];
        break;
    case NAS_LOG_SIGMOID: /* log(1/(1+e^-x)) = min(x,0) - log1p(e^-|x|): no overflow either side */
        #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
        for (int64_t i = 0; i < n; i++) y[i] = fminf(x[i], 0.0f) - log1pf(expf(-fabsf(x[i])));
        break;
    default:
        return NAS_ERR_ARG;
    }
    return NAS_OK;
}

int nas_unary_backward(int op, int64_t n, const float *x, const float *y, const float *dy, float *dx) {
    int nt = nas_threads_for(n);
    switch (op) {
    case NAS_IDENTITY:
        #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
        for (int64_t i = 0; i < n; i++) dx[i] += dy[i];
        break;
    case NAS_RELU:
        #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
        for (int64_t i = 0; i < n; i++) dx[i] += x[i] > 0.0f ? dy[i] : 0.0f;
        break;
    case NAS_TANH:
        #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
        for (int64_t i = 0; i < n; i++) dx[i] += dy[i] * (1.0f - y[i] * y[i]);
        break;
    case NAS_SIGMOID:
        #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
        for (int64_t i = 0; i < n; i++) dx[i] += dy[i] * y[i] * (1.0f - y[i]);
        break;
    case NAS_EXP:
        #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
        for (int64_t i = 0; i < n; i++) dx[i] += dy[i] * y[i];
        break;
    case NAS_LOG:
        #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
        for (int64_t i = 0; i < n; i++) dx[i] += dy[i] / x[i];
        break;
    case NAS_NEG:
        #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
        for (int64_t i = 0; i < n; i++) dx[i] -= dy[i];
        break;
    case NAS_SQUARE:
        #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
        for (int64_t i = 0; i < n; i++) dx[i] += 2.0f * x[i] * dy[i];
        break;
    case NAS_LOG_SIGMOID: /* d/dx log sigmoid(x) = 1 - sigmoid(x) = sigmoid(-x) */
        #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
        for (int64_t i = 0; i < n; i++) dx[i] += dy[i] * sigmoidf(-x[i]);
        break;
    default:
        return NAS_ERR_ARG;
    }
    return NAS_OK;
}

/* One row of the innermost dimension; the common stride patterns get their own loops so that
 * they vectorise (contiguous/contiguous, contiguous/broadcast scalar, scalar/contiguous). */
#define ROW_LOOP(EXPR)                                                                  \
    if (sa == 1 && sb == 1) { for (int i = 0; i < len; i++) { float u = pa[i], v = pb[i]; o[i] = (EXPR); } } \
    else if (sa == 1 && sb == 0) { float v = pb[0]; for (int i = 0; i < len; i++) { float u = pa[i]; o[i] = (EXPR); } } \
    else if (sa == 0 && sb == 1) { float u = pa[0]; for (int i = 0; i < len; i++) { float v = pb[i]; o[i] = (EXPR); } } \
    else { for (int i = 0; i < len; i++) { float u = pa[(int64_t)i * sa], v = pb[(int64_t)i * sb]; o[i] = (EXPR); } }

static void binary_row(int op, int len, const float *pa, int sa, const float *pb, int sb, float *o) {
    switch (op) {
    case NAS_ADD: ROW_LOOP(u + v) break;
    case NAS_SUB: ROW_LOOP(u - v) break;
    case NAS_MUL: ROW_LOOP(u * v) break;
    default:      ROW_LOOP(u / v) break;
    }
}

int nas_binary(int op, int s0, int s1, int s2, int s3, int as0, int as1, int as2, int as3,
               int bs0, int bs1, int bs2, int bs3, const float *a, const float *b, float *out) {
    if (op < NAS_ADD || op > NAS_DIV || s0 <= 0 || s1 <= 0 || s2 <= 0 || s3 <= 0) return NAS_ERR_ARG;
    int64_t rows = (int64_t)s0 * s1 * s2;
    #pragma omp parallel for num_threads(nas_threads_for(rows * s3)) schedule(guided)
    for (int64_t r = 0; r < rows; r++) {
        int64_t i2 = r % s2, i1 = (r / s2) % s1, i0 = r / ((int64_t)s1 * s2);
        const float *pa = a + i0 * as0 + i1 * as1 + i2 * as2;
        const float *pb = b + i0 * bs0 + i1 * bs1 + i2 * bs2;
        binary_row(op, s3, pa, as3, pb, bs3, out + r * s3);
    }
    return NAS_OK;
}

/* Serial on purpose: with arbitrary strides two source rows may land on the same destination,
 * and the usual callers (bias gradients) reduce into small vectors anyway. */
void nas_sum_into(int s0, int s1, int s2, int s3, int ds0, int ds1, int ds2, int ds3, const float *src, float *dst) {
    int64_t rows = (int64_t)s0 * s1 * s2;
    for (int64_t r = 0; r < rows; r++) {
        int64_t i2 = r % s2, i1 = (r / s2) % s1, i0 = r / ((int64_t)s1 * s2);
        float *d = dst + i0 * ds0 + i1 * ds1 + i2 * ds2;
        const float *s = src + r * s3;
        if (ds3 == 1) {
            for (int i = 0; i < s3; i++) d[i] += s[i];
        } else if (ds3 == 0) {
            float acc = 0.0f;
            for (int i = 0; i < s3; i++) acc += s[i];
            d[0] += acc;
        } else {
            for (int i = 0; i < s3; i++) d[(int64_t)i * ds3] += s[i];
        }
    }
}

void nas_scale(int64_t n, float factor, float *x) {
    #pragma omp parallel for simd num_threads(nas_threads_for(n)) schedule(guided, 4096)
    for (int64_t i = 0; i < n; i++) x[i] *= factor;
}

/* Each thread sums a fixed slice and the partials are added in thread order, so the result
 * depends on the thread count only (a reduction clause adds them in the order threads finish). */
void nas_sum_of_squares(int64_t n, const float *x, double *out) {
    double part[NAS_MAX_THREADS];
    const int nt = nas_threads_for(n);
    #pragma omp parallel num_threads(nt)
    {
        const int id = omp_get_thread_num(), k = omp_get_num_threads();
        const int64_t lo = n * id / k, hi = n * (id + 1) / k;
        double s = 0.0;
        #pragma omp simd reduction(+ : s)
        for (int64_t i = lo; i < hi; i++) s += (double)x[i] * x[i];
        part[id] = s;
        #pragma omp barrier
        #pragma omp single
        {
            double total = 0.0;
            for (int t = 0; t < k; t++) total += part[t];
            *out = total;
        }
    }
}
