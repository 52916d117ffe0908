/* The LSTM cell's pointwise part: gates (n, 4*hidden) laid out [i | f | g | o] per row. */
#include "vecmath.h"
#include "internal.h"

static inline float sigm(float x) { return 1.0f / (1.0f + expf(-x)); }

int nas_lstm_cell(int n, int hidden, const float *gates, const float *cPrev, float *c, float *h) {
    if (n <= 0 || hidden <= 0) return NAS_ERR_ARG;
    #pragma omp parallel for num_threads(nas_threads_for((int64_t)n * hidden * 4)) schedule(guided)
    for (int r = 0; r < n; r++) {
        const float *gi = gates + (int64_t)r * 4 * hidden, *gf = gi + hidden, *gg = gf + hidden, *go = gg + hidden;
        const int64_t base = (int64_t)r * hidden;
        #pragma omp simd
        for (int j = 0; j < hidden; j++) {
            const float cn = sigm(gf[j]) * cPrev[base + j] + sigm(gi[j]) * tanhf(gg[j]);
            c[base + j] = cn;
            h[base + j] = sigm(go[j]) * tanhf(cn);
        }
    }
    return NAS_OK;
}

int nas_lstm_cell_backward(int n, int hidden, const float *gates, const float *cPrev, const float *c,
                           const float *dh, const float *dc, float *dGates, float *dcPrev) {
    if (n <= 0 || hidden <= 0) return NAS_ERR_ARG;
    #pragma omp parallel for num_threads(nas_threads_for((int64_t)n * hidden * 4)) schedule(guided)
    for (int r = 0; r < n; r++) {
        const float *gi = gates + (int64_t)r * 4 * hidden, *gf = gi + hidden, *gg = gf + hidden, *go = gg + hidden;
        float *di = dGates ? dGates + (int64_t)r * 4 * hidden : NULL;
        const int64_t base = (int64_t)r * hidden;
        for (int j = 0; j < hidden; j++) {
            const float si = sigm(gi[j]), sf = sigm(gf[j]), tg = tanhf(gg[j]), so = sigm(go[j]);
            const float tc = tanhf(c[base + j]);
            const float dhj = dh ? dh[base + j] : 0.0f;
            /* the cell state's total gradient: through h and straight from the next step */
            const float dct = (dc ? dc[base + j] : 0.0f) + dhj * so * (1.0f - tc * tc);
            if (di) {
                di[j] += dct * tg * si * (1.0f - si);
                di[hidden + j] += dct * cPrev[base + j] * sf * (1.0f - sf);
                di[2 * hidden + j] += dct * si * (1.0f - tg * tg);
                di[3 * hidden + j] += dhj * tc * so * (1.0f - so);
            }
            if (dcPrev) dcPrev[base + j] += dct * sf;
        }
    }
    return NAS_OK;
}
