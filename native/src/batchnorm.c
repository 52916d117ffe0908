/* Batch normalization over (n, c, spatial), statistics per channel. Sums run in double: a channel
 * of a 128x28x28 batch has 100k values and float sums would drift from the reference. */
#include <math.h>
#include "internal.h"

int nas_batchnorm(int n, int c, int spatial, float eps, float momentum, int training, const float *x,
                  const float *gamma, const float *beta, float *runningMean, float *runningVar, float *savedMean,
                  float *savedInvStd, float *y) {
    if (n <= 0 || c <= 0 || spatial <= 0) return NAS_ERR_ARG;
    const int64_t count = (int64_t)n * spatial;
    if (training && count < 2) return NAS_ERR_ARG;
    #pragma omp parallel for num_threads(nas_threads_for((int64_t)c * count)) schedule(guided)
    for (int ch = 0; ch < c; ch++) {
        float mean, invStd;
        if (training) {
            double s = 0.0;
            for (int i = 0; i < n; i++) {
                const float *xp = x + ((int64_t)i * c + ch) * spatial;
                #pragma omp simd reduction(+ : s)
                for (int j = 0; j < spatial; j++) s += xp[j];
            }
            const double m = s / (double)count;
            double ss = 0.0; /* second pass around the mean: no cancellation */
            for (int i = 0; i < n; i++) {
                const float *xp = x + ((int64_t)i * c + ch) * spatial;
                #pragma omp simd reduction(+ : ss)
                for (int j = 0; j < spatial; j++) ss += ((double)xp[j] - m) * ((double)xp[j] - m);
            }
            const double var = ss / (double)count;
            mean = (float)m;
            invStd = (float)(1.0 / sqrt(var + eps));
            savedMean[ch] = mean;
            savedInvStd[ch] = invStd;
            runningMean[ch] = (float)((1.0 - momentum) * runningMean[ch] + momentum * m);
            runningVar[ch] = (float)((1.0 - momentum) * runningVar[ch] + momentum * var * count / (count - 1));
        } else {
            mean = runningMean[ch];
            invStd = (float)(1.0 / sqrt((double)runningVar[ch] + eps));
        }
        const float scale = gamma[ch] * invStd, shift = beta[ch] - mean * scale;
        for (int i = 0; i < n; i++) {
            const int64_t base = ((int64_t)i * c + ch) * spatial;
            #pragma omp simd
            for (int j = 0; j < spatial; j++) y[base + j] = x[base + j] * scale + shift;
        }
    }
    return NAS_OK;
}

/* dx = gamma*invStd * (dy - mean(dy) - xhat*mean(dy*xhat)), dGamma += sum(dy*xhat),
 * dBeta += sum(dy), every output optional. */
int nas_batchnorm_backward(int n, int c, int spatial, const float *x, const float *gamma, const float *savedMean,
                           const float *savedInvStd, const float *dy, float *dx, float *dGamma, float *dBeta) {
    if (n <= 0 || c <= 0 || spatial <= 0) return NAS_ERR_ARG;
    const int64_t count = (int64_t)n * spatial;
    #pragma omp parallel for num_threads(nas_threads_for((int64_t)c * count)) schedule(guided)
    for (int ch = 0; ch < c; ch++) {
        const float mean = savedMean[ch], invStd = savedInvStd[ch];
        double sdy = 0.0, sdyx = 0.0;
        for (int i = 0; i < n; i++) {
            const int64_t base = ((int64_t)i * c + ch) * spatial;
            #pragma omp simd reduction(+ : sdy, sdyx)
            for (int j = 0; j < spatial; j++) {
                sdy += dy[base + j];
                sdyx += (double)dy[base + j] * ((x[base + j] - mean) * invStd);
            }
        }
        if (dGamma) dGamma[ch] += (float)sdyx;
        if (dBeta) dBeta[ch] += (float)sdy;
        if (dx) {
            const float k = gamma[ch] * invStd;
            const float mdy = (float)(sdy / count), mdyx = (float)(sdyx / count);
            for (int i = 0; i < n; i++) {
                const int64_t base = ((int64_t)i * c + ch) * spatial;
                #pragma omp simd
                for (int j = 0; j < spatial; j++) {
                    const float xhat = (x[base + j] - mean) * invStd;
                    dx[base + j] += k * (dy[base + j] - mdy - xhat * mdyx);
                }
            }
        }
    }
    return NAS_OK;
}
