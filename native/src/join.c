/* The zero-pad join, one input at a time: each input owns a slab of output channels, so writing
 * its window and zeroing the rest of its slab covers the whole output exactly once. */
#include <string.h>
#include "internal.h"

static int check(int n, int c, int h, int w, int outC, int outH, int outW, int chanOffset, int top, int left) {
    if (n <= 0 || c <= 0 || h <= 0 || w <= 0 || chanOffset < 0 || chanOffset + c > outC || top < 0 || left < 0 ||
        top + h > outH || left + w > outW)
        return NAS_ERR_ARG;
    return NAS_OK;
}

int nas_pad_into(int n, int c, int h, int w, int outC, int outH, int outW, int chanOffset, int top, int left,
                 const float *in, float *out) {
    int rc = check(n, c, h, w, outC, outH, outW, chanOffset, top, left);
    if (rc) return rc;
    const int64_t planes = (int64_t)n * c, ohw = (int64_t)outH * outW, hw = (int64_t)h * w;
    const int same = h == outH && w == outW;
    #pragma omp parallel for num_threads(nas_threads_for(planes * ohw)) schedule(guided)
    for (int64_t pl = 0; pl < planes; pl++) {
        const int64_t i = pl / c, ch = pl % c;
        float *op = out + (i * outC + chanOffset + ch) * ohw;
        const float *ip = in + pl * hw;
        if (same) { /* plain channel concat: one block copy */
            memcpy(op, ip, (size_t)hw * sizeof(float));
            continue;
        }
        memset(op, 0, (size_t)top * outW * sizeof(float));
        for (int r = 0; r < h; r++) {
            float *orow = op + (int64_t)(top + r) * outW;
            memset(orow, 0, (size_t)left * sizeof(float));
            memcpy(orow + left, ip + (int64_t)r * w, (size_t)w * sizeof(float));
            memset(orow + left + w, 0, (size_t)(outW - left - w) * sizeof(float));
        }
        memset(op + (int64_t)(top + h) * outW, 0, (size_t)(outH - top - h) * outW * sizeof(float));
    }
    return NAS_OK;
}

int nas_pad_into_backward(int n, int c, int h, int w, int outC, int outH, int outW, int chanOffset, int top,
                          int left, const float *dOut, float *dIn) {
    int rc = check(n, c, h, w, outC, outH, outW, chanOffset, top, left);
    if (rc) return rc;
    const int64_t planes = (int64_t)n * c, ohw = (int64_t)outH * outW, hw = (int64_t)h * w;
    #pragma omp parallel for num_threads(nas_threads_for(planes * hw)) schedule(guided)
    for (int64_t pl = 0; pl < planes; pl++) {
        const int64_t i = pl / c, ch = pl % c;
        const float *op = dOut + (i * outC + chanOffset + ch) * ohw + (int64_t)top * outW + left;
        float *ip = dIn + pl * hw;
        for (int r = 0; r < h; r++) {
            const float *src = op + (int64_t)r * outW;
            float *dst = ip + (int64_t)r * w;
            #pragma omp simd
            for (int j = 0; j < w; j++) dst[j] += src[j];
        }
    }
    return NAS_OK;
}
