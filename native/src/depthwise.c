/* Depthwise convolution (one filter per channel): a direct kernel. im2col would build a column
 * matrix kh*kw times the input only to multiply it by a single row, so instead every kernel tap
 * is an axpy over an output row, with the valid column range computed once per tap. */
#include <string.h>
#include "conv.h"
#include "internal.h"


void nas_depthwise_forward(const conv_geom *g, const float *x, const float *wt, float *y) {
    const int c = g->cin, kh = g->kh, kw = g->kw, ow = g->ow, sw = g->sw;
    const int64_t planes = (int64_t)g->n * c, hw = (int64_t)g->h * g->w, p = (int64_t)g->oh * ow;
    #pragma omp parallel for num_threads(nas_threads_for(planes * p * kh * kw)) schedule(guided)
    for (int64_t pl = 0; pl < planes; pl++) {
        const float *xp = x + pl * hw, *wc = wt + (pl % c) * kh * kw;
        float *yp = y + pl * p;
        for (int r = 0; r < g->oh; r++) {
            float *yr = yp + (int64_t)r * ow;
            memset(yr, 0, (size_t)ow * sizeof(float));
            for (int ki = 0; ki < kh; ki++) {
                const int ih = r * g->sh - g->ph + ki * g->dh;
                if (ih < 0 || ih >= g->h) continue;
                const float *xr = xp + (int64_t)ih * g->w;
                for (int kj = 0; kj < kw; kj++) {
                    const float wv = wc[ki * kw + kj];
                    const int off = kj * g->dw - g->pw;
                    int lo, hi;
                    conv_valid(off, sw, g->w, ow, &lo, &hi);
                    if (sw == 1) {
                        for (int o = lo; o < hi; o++) yr[o] += wv * xr[o + off];
                    } else if (sw == 2) { /* constant stride: vectorised with permutes */
                        for (int o = lo; o < hi; o++) yr[o] += wv * xr[2 * o + off];
                    } else {
                        for (int o = lo; o < hi; o++) yr[o] += wv * xr[(int64_t)o * sw + off];
                    }
                }
            }
        }
    }
}

/* Parallel over channels: a channel's filter gradient is then summed by one thread only. */
void nas_depthwise_backward(const conv_geom *g, const float *x, const float *wt, const float *dy,
                            float *dx, float *dw) {
    const int c = g->cin, kh = g->kh, kw = g->kw, ow = g->ow, sw = g->sw;
    const int64_t hw = (int64_t)g->h * g->w, p = (int64_t)g->oh * ow;
    #pragma omp parallel for num_threads(nas_threads_for((int64_t)g->n * c * p * kh * kw)) schedule(dynamic, 1)
    for (int ch = 0; ch < c; ch++) {
        const float *wc = wt ? wt + (int64_t)ch * kh * kw : NULL; /* read only for dx */
        float acc[kh * kw]; /* this channel's filter gradient */
        memset(acc, 0, sizeof(acc));
        for (int i = 0; i < g->n; i++) {
            const int64_t pl = (int64_t)i * c + ch;
            const float *xp = x ? x + pl * hw : NULL, *dyp = dy + pl * p; /* x read only for dw */
            float *dxp = dx ? dx + pl * hw : NULL;
            for (int r = 0; r < g->oh; r++) {
                const float *dyr = dyp + (int64_t)r * ow;
                for (int ki = 0; ki < kh; ki++) {
                    const int ih = r * g->sh - g->ph + ki * g->dh;
                    if (ih < 0 || ih >= g->h) continue;
                    const float *xr = xp ? xp + (int64_t)ih * g->w : NULL;
                    float *dxr = dxp ? dxp + (int64_t)ih * g->w : NULL;
                    for (int kj = 0; kj < kw; kj++) {
                        const float wv = wc ? wc[ki * kw + kj] : 0.0f;
                        const int off = kj * g->dw - g->pw;
                        int lo, hi;
                        conv_valid(off, sw, g->w, ow, &lo, &hi);
                        float s = 0.0f;
                        if (sw == 1) {
                            if (dxr) for (int o = lo; o < hi; o++) dxr[o + off] += wv * dyr[o];
                            if (dw) {
                                #pragma omp simd reduction(+ : s)
                                for (int o = lo; o < hi; o++) s += dyr[o] * xr[o + off];
                            }
                        } else {
                            if (dxr) for (int o = lo; o < hi; o++) dxr[(int64_t)o * sw + off] += wv * dyr[o];
                            if (dw) {
                                #pragma omp simd reduction(+ : s)
                                for (int o = lo; o < hi; o++) s += dyr[o] * xr[(int64_t)o * sw + off];
                            }
                        }
                        acc[ki * kw + kj] += s;
                    }
                }
            }
        }
        if (dw)
            for (int j = 0; j < kh * kw; j++) dw[(int64_t)ch * kh * kw + j] += acc[j];
    }
}
