/* im2col and col2im for one image and a band of output rows. Rows are copied with the valid
 * column range worked out once per kernel column, so the inner loops are branch-free copies that
 * vectorise (stride 1) and the padding is written as zeros around them. */
#include <string.h>
#include "conv.h"

void nas_im2col(const conv_geom *g, int cg, const float *x, int r0, int r1, float *col) {
    const int ow = g->ow, sw = g->sw;
    const int64_t band = (int64_t)(r1 - r0) * ow, plane = (int64_t)g->h * g->w;
    for (int c = 0; c < cg; c++) {
        const float *xc = x + c * plane;
        for (int ki = 0; ki < g->kh; ki++) {
            for (int kj = 0; kj < g->kw; kj++) {
                float *restrict dst = col + ((int64_t)(c * g->kh + ki) * g->kw + kj) * band;
                const int off = kj * g->dw - g->pw; /* input column of output column o: o*sw + off */
                int lo, hi;
                conv_valid(off, sw, g->w, ow, &lo, &hi);
                for (int r = r0; r < r1; r++, dst += ow) {
                    const int ih = r * g->sh - g->ph + ki * g->dh;
                    if (ih < 0 || ih >= g->h) {
                        memset(dst, 0, (size_t)ow * sizeof(float));
                        continue;
                    }
                    const float *restrict src = xc + (int64_t)ih * g->w;
                    for (int o = 0; o < lo; o++) dst[o] = 0.0f;
                    if (sw == 1) {
                        for (int o = lo; o < hi; o++) dst[o] = src[o + off];
                    } else if (sw == 2) { /* a constant stride lets GCC vectorise with permutes */
                        for (int o = lo; o < hi; o++) dst[o] = src[2 * o + off];
                    } else {
                        for (int o = lo; o < hi; o++) dst[o] = src[(int64_t)o * sw + off];
                    }
                    for (int o = hi; o < ow; o++) dst[o] = 0.0f;
                }
            }
        }
    }
}

void nas_col2im(const conv_geom *g, int cg, const float *col, int r0, int r1, float *dx) {
    const int ow = g->ow, sw = g->sw;
    const int64_t band = (int64_t)(r1 - r0) * ow, plane = (int64_t)g->h * g->w;
    for (int c = 0; c < cg; c++) {
        float *dc = dx + c * plane;
        for (int ki = 0; ki < g->kh; ki++) {
            for (int kj = 0; kj < g->kw; kj++) {
                const float *restrict src = col + ((int64_t)(c * g->kh + ki) * g->kw + kj) * band;
                const int off = kj * g->dw - g->pw;
                int lo, hi;
                conv_valid(off, sw, g->w, ow, &lo, &hi);
                for (int r = r0; r < r1; r++, src += ow) {
                    const int ih = r * g->sh - g->ph + ki * g->dh;
                    if (ih < 0 || ih >= g->h) continue;
                    float *restrict dst = dc + (int64_t)ih * g->w;
                    if (sw == 1) {
                        for (int o = lo; o < hi; o++) dst[o + off] += src[o];
                    } else if (sw == 2) {
                        for (int o = lo; o < hi; o++) dst[2 * o + off] += src[o];
                    } else {
                        for (int o = lo; o < hi; o++) dst[(int64_t)o * sw + off] += src[o];
                    }
                }
            }
        }
    }
}
