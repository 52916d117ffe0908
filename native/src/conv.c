/* 2-D convolution: im2col + single-threaded sgemm per (image, band of output rows), the OpenMP
 * threads sharing the batch image by image (dynamic schedule: a thread the OS preempts does not
 * hold the others up at the barrier with a fixed half of the batch). 1x1 stride-1 unpadded convolutions skip im2col (the image already is
 * the column matrix); depthwise convolutions go to a direct kernel (depthwise.c). */
#include <cblas.h>
#include "conv.h"
#include "internal.h"

/* Cap of one thread's column buffer: 4 Mi floats (16 MiB), so two threads stay far below 64 MiB
 * whatever the image size; at 28x28 a whole image's columns fit in one band. */
#define COL_CAP_FLOATS ((int64_t)4 << 20)

static int geom(conv_geom *g, int n, int cin, int h, int w, int cout, int kh, int kw, int sh, int sw,
                int ph, int pw, int dh, int dw, int groups) {
    if (n <= 0 || cin <= 0 || h <= 0 || w <= 0 || cout <= 0 || kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 ||
        dh <= 0 || dw <= 0 || ph < 0 || pw < 0 || groups <= 0 || cin % groups || cout % groups)
        return NAS_ERR_ARG;
    *g = (conv_geom){n, cin, h, w, cout, kh, kw, sh, sw, ph, pw, dh, dw, groups, 0, 0};
    int eh = h + 2 * ph - dh * (kh - 1) - 1, ew = w + 2 * pw - dw * (kw - 1) - 1;
    if (eh < 0 || ew < 0) return NAS_ERR_ARG;
    g->oh = eh / sh + 1;
    g->ow = ew / sw + 1;
    return NAS_OK;
}

static int is_pointwise(const conv_geom *g) {
    return g->kh == 1 && g->kw == 1 && g->sh == 1 && g->sw == 1 && g->ph == 0 && g->pw == 0;
}

static int is_depthwise(const conv_geom *g) {
    return g->groups == g->cin && g->groups == g->cout && g->groups > 1;
}

/* Output rows per band so that one band's columns fit under the cap. */
static int band_rows(const conv_geom *g, int64_t kg) {
    int64_t rows = COL_CAP_FLOATS / (kg * g->ow);
    if (rows < 1) rows = 1;
    return rows < g->oh ? (int)rows : g->oh;
}

/* Output rows [r0, r1) of image i, every group. */
static void forward_task(const conv_geom *g, int64_t i, int r0, int r1, float *col, const float *x, const float *wt,
                         float *y) {
    const int groups = g->groups, cg = g->cin / groups, cog = g->cout / groups;
    const int64_t kg = (int64_t)cg * g->kh * g->kw, p = (int64_t)g->oh * g->ow, hw = (int64_t)g->h * g->w;
    for (int gi = 0; gi < groups; gi++) {
        const float *xg = x + (i * g->cin + (int64_t)gi * cg) * hw;
        const float *wg = wt + (int64_t)gi * cog * kg;
        float *yg = y + (i * g->cout + (int64_t)gi * cog) * p;
        if (is_pointwise(g)) {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, cog, (int)p, cg, 1.0f, wg, cg, xg, (int)p, 0.0f,
                        yg, (int)p);
        } else {
            const int nb = (r1 - r0) * g->ow;
            nas_im2col(g, cg, xg, r0, r1, col);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, cog, nb, (int)kg, 1.0f, wg, (int)kg, col, nb, 0.0f,
                        yg + (int64_t)r0 * g->ow, (int)p);
        }
    }
}

int nas_conv2d(nas_workspace *ws, int n, int cin, int h, int w, int cout, int kh, int kw, int sh, int sw,
               int ph, int pw, int dh, int dw, int groups, const float *x, const float *wt, float *y) {
    conv_geom g;
    int rc = geom(&g, n, cin, h, w, cout, kh, kw, sh, sw, ph, pw, dh, dw, groups);
    if (rc) return rc;
    if (is_depthwise(&g)) {
        nas_depthwise_forward(&g, x, wt, y);
        return NAS_OK;
    }
    const int64_t kg = (int64_t)(cin / groups) * kh * kw;
    const int pointwise = is_pointwise(&g);
    int rows = band_rows(&g, kg);
    int nt = nas_threads();
    /* fewer images than threads (inference on one example): cut each image into bands instead */
    if (n < nt && !pointwise) {
        int split = (g.oh + nt - 1) / nt;
        if (split < rows) rows = split;
    }
    const int bands = (g.oh + rows - 1) / rows;
    const int64_t tasks = pointwise ? n : (int64_t)n * bands;
    const int64_t colFloats = pointwise ? 0 : kg * rows * g.ow;
    int failed = 0;
    #pragma omp parallel num_threads(tasks < nt ? (int)tasks : nt)
    {
        /* every thread sizes its scratch before taking work, so the scratch held after a call
         * does not depend on which thread happened to get which image */
        float *col = pointwise ? NULL : nas_ws_slot(ws, omp_get_thread_num(), 0, (size_t)colFloats);
        if (!pointwise && !col) __atomic_store_n(&failed, 1, __ATOMIC_RELAXED);
        #pragma omp barrier
        if (!__atomic_load_n(&failed, __ATOMIC_RELAXED)) {
            #pragma omp for schedule(dynamic, 1)
            for (int64_t t = 0; t < tasks; t++) {
                const int64_t i = pointwise ? t : t / bands;
                const int r0 = pointwise ? 0 : (int)(t % bands) * rows;
                const int r1 = r0 + rows < g.oh ? r0 + rows : g.oh;
                forward_task(&g, i, r0, r1, col, x, wt, y);
            }
        }
    }
    return failed ? NAS_ERR_ALLOC : NAS_OK;
}

/* One image's share of the backward pass: dwAcc += dY colᵀ, dx_i += col2im(Wᵀ dY). */
static void backward_image(const conv_geom *g, int64_t i, int rows, float *col, const float *x, const float *wt,
                           const float *dy, float *dx, float *dwAcc) {
    const int groups = g->groups, cg = g->cin / groups, cog = g->cout / groups;
    const int64_t kg = (int64_t)cg * g->kh * g->kw, p = (int64_t)g->oh * g->ow, hw = (int64_t)g->h * g->w;
    const int pointwise = is_pointwise(g);
    for (int gi = 0; gi < groups; gi++) {
        /* x is read only for dw and w only for dx: the caller may pass NULL for the other */
        const float *xg = x ? x + (i * g->cin + (int64_t)gi * cg) * hw : NULL;
        const float *wg = wt ? wt + (int64_t)gi * cog * kg : NULL;
        const float *dyg = dy + (i * g->cout + (int64_t)gi * cog) * p;
        float *dxg = dx ? dx + (i * g->cin + (int64_t)gi * cg) * hw : NULL;
        float *dwg = dwAcc ? dwAcc + (int64_t)gi * cog * kg : NULL;
        if (pointwise) {
            if (dwg)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, cog, cg, (int)p, 1.0f, dyg, (int)p, xg, (int)p,
                            1.0f, dwg, cg);
            if (dxg)
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, cg, (int)p, cog, 1.0f, wg, cg, dyg, (int)p,
                            1.0f, dxg, (int)p);
            continue;
        }
        for (int r0 = 0; r0 < g->oh; r0 += rows) {
            const int r1 = r0 + rows < g->oh ? r0 + rows : g->oh;
            const int nb = (r1 - r0) * g->ow;
            const float *dyb = dyg + (int64_t)r0 * g->ow;
            if (dwg) {
                nas_im2col(g, cg, xg, r0, r1, col);
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, cog, (int)kg, nb, 1.0f, dyb, (int)p, col, nb,
                            1.0f, dwg, (int)kg);
            }
            if (dxg) { /* the same buffer now holds the column gradient */
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)kg, nb, cog, 1.0f, wg, (int)kg, dyb, (int)p,
                            0.0f, col, nb);
                nas_col2im(g, cg, col, r0, r1, dxg);
            }
        }
    }
}

int nas_conv2d_backward(nas_workspace *ws, int n, int cin, int h, int w, int cout, int kh, int kw, int sh, int sw,
                        int ph, int pw, int dh, int dw, int groups, const float *x, const float *wt, const float *dy,
                        float *dx, float *dwt) {
    conv_geom g;
    int rc = geom(&g, n, cin, h, w, cout, kh, kw, sh, sw, ph, pw, dh, dw, groups);
    if (rc) return rc;
    if (!dx && !dwt) return NAS_OK;
    if (is_depthwise(&g)) {
        nas_depthwise_backward(&g, x, wt, dy, dx, dwt);
        return NAS_OK;
    }
    const int64_t kg = (int64_t)(cin / groups) * kh * kw, wlen = (int64_t)cout * kg;
    const int rows = band_rows(&g, kg);
    int nt = nas_threads();
    if (n < nt) nt = n; /* images are the unit: col2im of two bands of one image would overlap */
    const int deterministic = nas_get_deterministic();
    int failed = 0;
    #pragma omp parallel num_threads(nt)
    {
        const int tid = omp_get_thread_num();
        /* thread 0 adds straight into dw; the others into private sums folded in below */
        float *acc = NULL;
        if (dwt) {
            acc = tid == 0 ? dwt : nas_ws_slot(ws, tid, 1, (size_t)wlen);
            if (acc && tid != 0)
                for (int64_t j = 0; j < wlen; j++) acc[j] = 0.0f;
        }
        float *col = is_pointwise(&g) ? NULL : nas_ws_slot(ws, tid, 0, (size_t)(kg * rows * g.ow));
        if ((dwt && !acc) || (!is_pointwise(&g) && !col)) __atomic_store_n(&failed, 1, __ATOMIC_RELAXED);
        #pragma omp barrier
        if (!__atomic_load_n(&failed, __ATOMIC_RELAXED)) {
            /* each thread sums its images' weight gradients into its own partial: with a static
             * schedule which images those are depends on the thread count alone */
            if (deterministic) {
                #pragma omp for schedule(static)
                for (int64_t i = 0; i < n; i++) backward_image(&g, i, rows, col, x, wt, dy, dx, acc);
            } else {
                #pragma omp for schedule(dynamic, 1)
                for (int64_t i = 0; i < n; i++) backward_image(&g, i, rows, col, x, wt, dy, dx, acc);
            }
            if (dwt && omp_get_num_threads() > 1) {
                const int threads = omp_get_num_threads();
                #pragma omp for schedule(guided, 1024)
                for (int64_t j = 0; j < wlen; j++) {
                    float s = 0.0f;
                    for (int t = 1; t < threads; t++) s += ws->slot[t][1][j];
                    dwt[j] += s;
                }
            }
        }
    }
    return failed ? NAS_ERR_ALLOC : NAS_OK;
}
