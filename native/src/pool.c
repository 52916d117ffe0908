/* Max and average pooling per (image, channel) plane. Max ignores padded positions and its
 * backward recomputes the window's first maximum (row-major) from x rather than storing indices;
 * average divides by the in-image positions only. */
#include <math.h>
#include <stdlib.h>
#include "internal.h"

typedef struct { int h, w, kh, kw, stride, ph, pw, oh, ow; } pool_geom;

/* The in-image part [*i0, *i1) x [*j0, *j1) of the window of output (r, o). */
static inline void window(const pool_geom *g, int r, int o, int *i0, int *i1, int *j0, int *j1) {
    int a = r * g->stride - g->ph, b = o * g->stride - g->pw;
    *i0 = a < 0 ? 0 : a;
    *i1 = a + g->kh < g->h ? a + g->kh : g->h;
    *j0 = b < 0 ? 0 : b;
    *j1 = b + g->kw < g->w ? b + g->kw : g->w;
}

static int make(pool_geom *g, int n, int c, int h, int w, int kh, int kw, int stride, int ph, int pw) {
    if (n <= 0 || c <= 0 || h <= 0 || w <= 0 || kh <= 0 || kw <= 0 || stride <= 0 || ph < 0 || pw < 0 ||
        h + 2 * ph < kh || w + 2 * pw < kw)
        return NAS_ERR_ARG;
    *g = (pool_geom){h, w, kh, kw, stride, ph, pw, (h + 2 * ph - kh) / stride + 1, (w + 2 * pw - kw) / stride + 1};
    return NAS_OK;
}

/* Average pooling 3x3, stride 1, padding 1 (NAS-Bench-201's and NASNet's avg_pool_3x3) as a
 * separable box sum: three adds along rows into a scratch plane, three along columns, times
 * 1 / (in-image rows x in-image columns) of each window. The general loop below gives the same
 * sums in another order. Its backward is the same box over dy / count (the box is symmetric). */
static int avg3_plane_count(int i, int n) { return (i > 0) + 1 + (i < n - 1); }

static void box3(const float *src, float *rows, int h, int w, const float *scale, int scaled, float *dst, int accumulate) {
    for (int i = 0; i < h; i++) {
        const float *s = src + (int64_t)i * w;
        float *r = rows + (int64_t)i * w;
        for (int j = 0; j < w; j++) {
            float v = s[j];
            if (j > 0) v += s[j - 1];
            if (j < w - 1) v += s[j + 1];
            r[j] = v;
        }
    }
    for (int i = 0; i < h; i++) {
        const float *r0 = rows + (int64_t)(i > 0 ? i - 1 : i) * w, *r1 = rows + (int64_t)i * w,
                    *r2 = rows + (int64_t)(i < h - 1 ? i + 1 : i) * w;
        float *d = dst + (int64_t)i * w;
        const int up = i > 0, down = i < h - 1;
        for (int j = 0; j < w; j++) {
            float v = r1[j] + (up ? r0[j] : 0.0f) + (down ? r2[j] : 0.0f);
            if (scaled) v *= scale[(int64_t)i * w + j];
            d[j] = accumulate ? d[j] + v : v;
        }
    }
}

/* 1 / count of every window of an h x w plane. */
static void avg3_inverse_counts(int h, int w, float *inv) {
    for (int i = 0; i < h; i++)
        for (int j = 0; j < w; j++) inv[(int64_t)i * w + j] = 1.0f / (float)(avg3_plane_count(i, h) * avg3_plane_count(j, w));
}

static int is_avg3_same(int kind, const pool_geom *g) {
    return kind == NAS_POOL_AVG && g->kh == 3 && g->kw == 3 && g->stride == 1 && g->ph == 1 && g->pw == 1;
}

static int avg3_forward(int64_t planes, int h, int w, const float *x, float *y) {
    const int64_t hw = (int64_t)h * w;
    float *inv = malloc(sizeof(float) * hw);
    if (!inv) return NAS_ERR_ALLOC;
    avg3_inverse_counts(h, w, inv);
    int failed = 0;
    #pragma omp parallel num_threads(nas_threads_for(planes * hw)) reduction(| : failed)
    {
        float *rows = malloc(sizeof(float) * hw);
        if (!rows) failed = 1;
        // every thread must reach the worksharing loop (a thread that skipped it would leave the others at its
        // barrier); one without its buffer does none of its planes, and the call reports the failure
        #pragma omp for schedule(guided)
        for (int64_t pl = 0; pl < planes; pl++)
            if (rows) box3(x + pl * hw, rows, h, w, inv, 1, y + pl * hw, 0);
        free(rows);
    }
    free(inv);
    return failed ? NAS_ERR_ALLOC : NAS_OK;
}

static int avg3_backward(int64_t planes, int h, int w, const float *dy, float *dx) {
    const int64_t hw = (int64_t)h * w;
    float *inv = malloc(sizeof(float) * hw);
    if (!inv) return NAS_ERR_ALLOC;
    avg3_inverse_counts(h, w, inv);
    int failed = 0;
    #pragma omp parallel num_threads(nas_threads_for(planes * hw)) reduction(| : failed)
    {
        float *scratch = malloc(sizeof(float) * 2 * hw);
        if (!scratch) failed = 1;
        float *g = scratch, *rows = scratch ? scratch + hw : NULL;
        #pragma omp for schedule(guided) /* reached by every thread, as in avg3_forward */
        for (int64_t pl = 0; pl < planes; pl++) {
            if (!scratch) continue;
            const float *d = dy + pl * hw;
            for (int64_t t = 0; t < hw; t++) g[t] = d[t] * inv[t];
            box3(g, rows, h, w, inv, 0, dx + pl * hw, 1);
        }
        free(scratch);
    }
    free(inv);
    return failed ? NAS_ERR_ALLOC : NAS_OK;
}

int nas_pool2d(int kind, int n, int c, int h, int w, int kh, int kw, int stride, int ph, int pw,
               const float *x, float *y) {
    pool_geom g;
    int rc = make(&g, n, c, h, w, kh, kw, stride, ph, pw);
    if (rc) return rc;
    if (kind != NAS_POOL_MAX && kind != NAS_POOL_AVG) return NAS_ERR_ARG;
    const int64_t planes = (int64_t)n * c, hw = (int64_t)h * w, p = (int64_t)g.oh * g.ow;
    if (is_avg3_same(kind, &g)) return avg3_forward(planes, h, w, x, y);
    #pragma omp parallel for num_threads(nas_threads_for(planes * hw)) schedule(guided)
    for (int64_t pl = 0; pl < planes; pl++) {
        const float *xp = x + pl * hw;
        float *yp = y + pl * p;
        for (int r = 0; r < g.oh; r++) {
            for (int o = 0; o < g.ow; o++) {
                int i0, i1, j0, j1;
                window(&g, r, o, &i0, &i1, &j0, &j1);
                float v;
                if (kind == NAS_POOL_MAX) {
                    v = -INFINITY;
                    for (int i = i0; i < i1; i++)
                        for (int j = j0; j < j1; j++) v = xp[i * w + j] > v ? xp[i * w + j] : v;
                    if (i0 >= i1 || j0 >= j1) v = 0.0f; /* a window wholly in the padding */
                } else {
                    float s = 0.0f;
                    for (int i = i0; i < i1; i++)
                        for (int j = j0; j < j1; j++) s += xp[i * w + j];
                    int count = (i1 - i0) * (j1 - j0);
                    v = count > 0 ? s / (float)count : 0.0f;
                }
                yp[(int64_t)r * g.ow + o] = v;
            }
        }
    }
    return NAS_OK;
}

/* Windows overlap when stride < k, so two outputs of one plane may add into one dx element: the
 * plane is the unit of parallel work. */
int nas_pool2d_backward(int kind, int n, int c, int h, int w, int kh, int kw, int stride, int ph, int pw,
                        const float *x, const float *y, const float *dy, float *dx) {
    (void)y;
    pool_geom g;
    int rc = make(&g, n, c, h, w, kh, kw, stride, ph, pw);
    if (rc) return rc;
    if (kind != NAS_POOL_MAX && kind != NAS_POOL_AVG) return NAS_ERR_ARG;
    const int64_t planes = (int64_t)n * c, hw = (int64_t)h * w, p = (int64_t)g.oh * g.ow;
    if (is_avg3_same(kind, &g)) return avg3_backward(planes, h, w, dy, dx);
    #pragma omp parallel for num_threads(nas_threads_for(planes * hw)) schedule(guided)
    for (int64_t pl = 0; pl < planes; pl++) {
        const float *xp = x + pl * hw, *dyp = dy + pl * p;
        float *dxp = dx + pl * hw;
        for (int r = 0; r < g.oh; r++) {
            for (int o = 0; o < g.ow; o++) {
                int i0, i1, j0, j1;
                window(&g, r, o, &i0, &i1, &j0, &j1);
                if (i0 >= i1 || j0 >= j1) continue;
                const float d = dyp[(int64_t)r * g.ow + o];
                if (kind == NAS_POOL_MAX) {
                    int best = i0 * w + j0;
                    for (int i = i0; i < i1; i++)
                        for (int j = j0; j < j1; j++)
                            if (xp[i * w + j] > xp[best]) best = i * w + j;
                    dxp[best] += d;
                } else {
                    const float share = d / (float)((i1 - i0) * (j1 - j0));
                    for (int i = i0; i < i1; i++)
                        for (int j = j0; j < j1; j++) dxp[i * w + j] += share;
                }
            }
        }
    }
    return NAS_OK;
}
