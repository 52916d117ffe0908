/* Self-check of the convolution kernels against a naive double-precision loop, over odd
 * geometries (strides not dividing the size, dilation, groups, depthwise, 1x1, batch 1).
 * Exits non-zero on the first case that disagrees. Build with -DNAS_NATIVE_TESTS=ON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "nasengine.h"

typedef struct { int n, cin, h, w, cout, kh, kw, sh, sw, ph, pw, dh, dw, g; } geo;

static int out_h(const geo *c) { return (c->h + 2 * c->ph - c->dh * (c->kh - 1) - 1) / c->sh + 1; }
static int out_w(const geo *c) { return (c->w + 2 * c->pw - c->dw * (c->kw - 1) - 1) / c->sw + 1; }

/* y, dx, dw of the naive definition, with dy given */
static void naive(const geo *c, const float *x, const float *w, const float *dy, double *y, double *dx, double *dw) {
    int oh = out_h(c), ow = out_w(c), cg = c->cin / c->g, cog = c->cout / c->g;
    for (int i = 0; i < c->n; i++)
        for (int co = 0; co < c->cout; co++)
            for (int r = 0; r < oh; r++)
                for (int o = 0; o < ow; o++) {
                    long yi = (((long)i * c->cout + co) * oh + r) * ow + o;
                    double s = 0;
                    int gi = co / cog;
                    for (int cc = 0; cc < cg; cc++)
                        for (int ki = 0; ki < c->kh; ki++)
                            for (int kj = 0; kj < c->kw; kj++) {
                                int ih = r * c->sh - c->ph + ki * c->dh, iw = o * c->sw - c->pw + kj * c->dw;
                                if (ih < 0 || ih >= c->h || iw < 0 || iw >= c->w) continue;
                                long xi = (((long)i * c->cin + gi * cg + cc) * c->h + ih) * c->w + iw;
                                long wi = (((long)co * cg + cc) * c->kh + ki) * c->kw + kj;
                                s += (double)x[xi] * w[wi];
                                dx[xi] += (double)dy[yi] * w[wi];
                                dw[wi] += (double)dy[yi] * x[xi];
                            }
                    y[yi] = s;
                }
}

static float rnd(void) { return (float)rand() / RAND_MAX * 2.0f - 1.0f; }

static int compare(const char *what, const geo *c, const float *got, const double *want, long len) {
    for (long i = 0; i < len; i++) {
        double tol = 1e-4 + 1e-4 * fabs(want[i]);
        if (!(fabs(got[i] - want[i]) <= tol)) {
            fprintf(stderr, "%s mismatch at %ld: got %g want %g (n=%d cin=%d %dx%d cout=%d k=%dx%d s=%d,%d p=%d,%d d=%d,%d g=%d)\n",
                    what, i, got[i], want[i], c->n, c->cin, c->h, c->w, c->cout, c->kh, c->kw, c->sh, c->sw, c->ph,
                    c->pw, c->dh, c->dw, c->g);
            return 1;
        }
    }
    return 0;
}

static int check(nas_workspace *ws, geo c) {
    long xl = (long)c.n * c.cin * c.h * c.w, wl = (long)c.cout * (c.cin / c.g) * c.kh * c.kw;
    long yl = (long)c.n * c.cout * out_h(&c) * out_w(&c);
    float *x = malloc(xl * 4), *w = malloc(wl * 4), *y = malloc(yl * 4), *dy = malloc(yl * 4);
    float *dx = malloc(xl * 4), *dw = malloc(wl * 4);
    double *ry = calloc(yl, 8), *rdx = calloc(xl, 8), *rdw = calloc(wl, 8);
    for (long i = 0; i < xl; i++) { x[i] = rnd(); dx[i] = 0.5f; rdx[i] = 0.5; }
    for (long i = 0; i < wl; i++) { w[i] = rnd(); dw[i] = -0.25f; rdw[i] = -0.25; }
    for (long i = 0; i < yl; i++) { dy[i] = rnd(); y[i] = NAN; }
    naive(&c, x, w, dy, ry, rdx, rdw);
    int bad = nas_conv2d(ws, c.n, c.cin, c.h, c.w, c.cout, c.kh, c.kw, c.sh, c.sw, c.ph, c.pw, c.dh, c.dw, c.g, x, w, y)
              || nas_conv2d_backward(ws, c.n, c.cin, c.h, c.w, c.cout, c.kh, c.kw, c.sh, c.sw, c.ph, c.pw, c.dh, c.dw,
                                     c.g, x, w, dy, dx, dw);
    if (bad) fprintf(stderr, "conv returned an error\n");
    bad = bad || compare("y", &c, y, ry, yl) || compare("dx", &c, dx, rdx, xl) || compare("dw", &c, dw, rdw, wl);
    free(x); free(w); free(y); free(dy); free(dx); free(dw); free(ry); free(rdx); free(rdw);
    return bad;
}

int main(void) {
    nas_workspace *ws;
    if (nas_workspace_create(&ws)) return 2;
    geo cases[] = {
        {2, 3, 7, 9, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1},   /* plain 3x3 same */
        {1, 1, 5, 5, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1},   /* 1x1 single channel, batch 1 */
        {3, 4, 6, 5, 6, 1, 1, 1, 1, 0, 0, 1, 1, 2},   /* pointwise grouped */
        {2, 2, 11, 10, 3, 7, 1, 3, 3, 3, 0, 1, 1, 1}, /* 7x1, stride 3 on 11x10 */
        {2, 3, 9, 9, 5, 3, 3, 1, 1, 2, 2, 2, 2, 1},   /* dilation 2 */
        {3, 6, 8, 7, 6, 3, 3, 2, 2, 1, 1, 1, 1, 6},   /* depthwise stride 2 */
        {2, 4, 9, 9, 4, 5, 5, 1, 1, 4, 4, 2, 2, 4},   /* depthwise dilated */
        {2, 4, 6, 6, 8, 3, 3, 1, 1, 1, 1, 1, 1, 4},   /* channel multiplier 2 */
        {1, 5, 13, 13, 7, 3, 5, 2, 3, 1, 2, 1, 1, 1}, /* batch 1: bands split across threads */
        {2, 72, 28, 28, 48, 5, 5, 1, 1, 2, 2, 1, 1, 1}, /* ref-cnn-a layer 2 */
        {2, 3, 5, 5, 2, 3, 3, 2, 2, 0, 0, 1, 1, 1},   /* valid padding, stride 2 */
    };
    int failures = 0;
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) failures += check(ws, cases[i]);
    nas_workspace_destroy(ws);
    printf("%d of %d conv cases wrong\n", failures, (int)(sizeof(cases) / sizeof(cases[0])));
    return failures ? 1 : 0;
}
