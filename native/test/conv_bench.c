/* Raw native timings, no JVM: conv2d forward+backward at the ref-cnn-a layer shapes (batch 128,
 * 28x28x1 input) against sgemm, both through nas_gemm (our OpenMP split) and straight OpenBLAS
 * with its own threads. Usage: nas_conv_bench [batch] [reps]. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "nasengine.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static float *buf(long n) {
    void *p;
    if (nas_alloc(n * 4, &p)) exit(2);
    float *f = p;
    for (long i = 0; i < n; i++) f[i] = (float)((i * 2654435761u) % 1000) * 1e-3f - 0.5f;
    return f;
}

static double sgemm_gflops(int n, int raw, int reps) {
    float *a = buf((long)n * n), *b = buf((long)n * n), *c = buf((long)n * n);
    double best = 1e30;
    for (int r = 0; r < reps + 1; r++) {
        double t0 = now();
        if (raw) cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, b, n, 0, c, n);
        else nas_gemm(0, 0, n, n, n, 1, a, b, 0, c, 1, 0, 0, 0);
        double t = now() - t0;
        if (r > 0 && t < best) best = t;
    }
    nas_free(a); nas_free(b); nas_free(c);
    return 2.0 * n * n * (double)n / best / 1e9;
}

int main(int argc, char **argv) {
    int batch = argc > 1 ? atoi(argv[1]) : 128, reps = argc > 2 ? atoi(argv[2]) : 5;
    char info[512];
    nas_blas_info(info, sizeof info);
    printf("%s\n", info);
    int sizes[] = {256, 512, 1024, 2048};
    for (int i = 0; i < 4; i++) {
        double ours = sgemm_gflops(sizes[i], 0, reps);
        openblas_set_num_threads(nas_get_threads());
        double raw = sgemm_gflops(sizes[i], 1, reps);
        openblas_set_num_threads(1);
        printf("sgemm %4d: nas_gemm %6.1f GFLOP/s, OpenBLAS threaded %6.1f GFLOP/s\n", sizes[i], ours, raw);
    }
    /* ref-cnn-a: cin from the joins (layer 2 reads [0,1]: 72; layer 5 reads [1,4]: 36+64 at 28x28) */
    int cin[] = {1, 36, 72, 48, 48, 100}, cout[] = {36, 36, 48, 48, 64, 64}, kh[] = {3, 3, 5, 3, 3, 3},
        kw[] = {3, 3, 5, 3, 5, 3}, st[] = {1, 1, 1, 2, 1, 1}, hw[] = {28, 28, 28, 28, 14, 28};
    nas_workspace *ws;
    nas_workspace_create(&ws);
    double totalFlops = 0, totalTime = 0;
    for (int l = 0; l < 6; l++) {
        int h = hw[l], oh = (h + 2 * ((kh[l] - 1) / 2) - kh[l]) / st[l] + 1, ow = (h + 2 * ((kw[l] - 1) / 2) - kw[l]) / st[l] + 1;
        long xl = (long)batch * cin[l] * h * h, wl = (long)cout[l] * cin[l] * kh[l] * kw[l], yl = (long)batch * cout[l] * oh * ow;
        float *x = buf(xl), *w = buf(wl), *y = buf(yl), *dy = buf(yl), *dx = buf(xl), *dw = buf(wl);
        double fwd = 1e30, bwd = 1e30;
        for (int r = 0; r < reps + 1; r++) {
            double t0 = now();
            nas_conv2d(ws, batch, cin[l], h, h, cout[l], kh[l], kw[l], st[l], st[l], (kh[l] - 1) / 2, (kw[l] - 1) / 2, 1, 1, 1, x, w, y);
            double t1 = now();
            nas_conv2d_backward(ws, batch, cin[l], h, h, cout[l], kh[l], kw[l], st[l], st[l], (kh[l] - 1) / 2, (kw[l] - 1) / 2, 1, 1, 1, x, w, dy, dx, dw);
            double t2 = now();
            if (r > 0) {
                if (t1 - t0 < fwd) fwd = t1 - t0;
                if (t2 - t1 < bwd) bwd = t2 - t1;
            }
        }
        double flops = 2.0 * batch * cout[l] * oh * ow * (double)cin[l] * kh[l] * kw[l];
        printf("layer %d cin=%3d cout=%2d %dx%d s%d %2dx%2d: fwd %7.2f ms %6.1f GFLOP/s, bwd %7.2f ms %6.1f GFLOP/s, "
               "fwd+bwd %6.1f GFLOP/s\n", l, cin[l], cout[l], kh[l], kw[l], st[l], h, h, fwd * 1e3, flops / fwd / 1e9,
               bwd * 1e3, 2 * flops / bwd / 1e9, 3 * flops / (fwd + bwd) / 1e9);
        totalFlops += 3 * flops;
        totalTime += fwd + bwd;
        nas_free(x); nas_free(w); nas_free(y); nas_free(dy); nas_free(dx); nas_free(dw);
    }
    printf("all layers: %.2f ms, %.1f GFLOP/s\n", totalTime * 1e3, totalFlops / totalTime / 1e9);
    nas_workspace_destroy(ws);
    return 0;
}
