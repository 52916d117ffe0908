/* Where a conv's time goes, per image on one thread: im2col and col2im against the three sgemm
 * calls (forward, dw, column gradient) at the ref-cnn-a layer shapes. Links im2col.c directly
 * (its functions are internal to the library). Usage: nas_conv_phases [reps]. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "conv.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    int reps = argc > 1 ? atoi(argv[1]) : 200;
    openblas_set_num_threads(1);
    int cin[] = {1, 36, 72, 48, 48, 100}, cout[] = {36, 36, 48, 48, 64, 64}, kh[] = {3, 3, 5, 3, 3, 3},
        kw[] = {3, 3, 5, 3, 5, 3}, st[] = {1, 1, 1, 2, 1, 1}, hw[] = {28, 28, 28, 28, 14, 28};
    printf("per image, one thread, ms (best of 3 runs of %d)\n", reps);
    for (int l = 0; l < 6; l++) {
        conv_geom g = {1, cin[l], hw[l], hw[l], cout[l], kh[l], kw[l], st[l], st[l], (kh[l] - 1) / 2, (kw[l] - 1) / 2,
                       1, 1, 1, 0, 0};
        g.oh = (g.h + 2 * g.ph - g.kh) / g.sh + 1;
        g.ow = (g.w + 2 * g.pw - g.kw) / g.sw + 1;
        int k = cin[l] * kh[l] * kw[l], p = g.oh * g.ow, m = cout[l];
        float *x = calloc((size_t)cin[l] * g.h * g.w, 4), *col = calloc((size_t)k * p, 4), *w = calloc((size_t)m * k, 4);
        float *y = calloc((size_t)m * p, 4), *dw = calloc((size_t)m * k, 4);
        double best[5] = {1e9, 1e9, 1e9, 1e9, 1e9};
        for (int run = 0; run < 3; run++) {
            double t[6];
            t[0] = now();
            for (int r = 0; r < reps; r++) nas_im2col(&g, cin[l], x, 0, g.oh, col);
            t[1] = now();
            for (int r = 0; r < reps; r++) nas_col2im(&g, cin[l], col, 0, g.oh, x);
            t[2] = now();
            for (int r = 0; r < reps; r++)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, p, k, 1, w, k, col, p, 0, y, p);
            t[3] = now();
            for (int r = 0; r < reps; r++)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, k, p, 1, y, p, col, p, 1, dw, k);
            t[4] = now();
            for (int r = 0; r < reps; r++)
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, p, m, 1, w, k, y, p, 0, col, p);
            t[5] = now();
            for (int i = 0; i < 5; i++)
                if ((t[i + 1] - t[i]) / reps * 1e3 < best[i]) best[i] = (t[i + 1] - t[i]) / reps * 1e3;
        }
        double copies = 2 * best[0] + best[1], gemms = best[2] + best[3] + best[4];
        printf("L%d cin=%3d k=%4d p=%3d: im2col %.4f col2im %.4f | sgemm fwd %.4f dw %.4f dcol %.4f (%.0f GFLOP/s) "
               "| im2col x2 + col2im = %.0f%% of fwd+bwd\n",
               l, cin[l], k, p, best[0], best[1], best[2], best[3], best[4], 6.0 * m * k * p / gemms / 1e6,
               100 * copies / (copies + gemms));
        free(x); free(col); free(w); free(y); free(dw);
    }
    return 0;
}
