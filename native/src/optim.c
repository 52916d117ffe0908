/* Fused optimizer steps over one parameter tensor (see SgdConfig and AdamConfig). */
#include <math.h>
#include "internal.h"

void nas_sgd_step(int64_t n, float momentum, float weightDecay, int nesterov, float lr, float *param,
                  const float *grad, float *velocity) {
    const int nt = nas_threads_for(n);
    if (momentum == 0.0f) {
        #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
        for (int64_t i = 0; i < n; i++) param[i] -= lr * (grad[i] + weightDecay * param[i]);
        return;
    }
    #pragma omp parallel for simd num_threads(nt) schedule(guided, 4096)
    for (int64_t i = 0; i < n; i++) {
        const float g = grad[i] + weightDecay * param[i];
        const float v = momentum * velocity[i] + g;
        velocity[i] = v;
        param[i] -= lr * (nesterov ? g + momentum * v : v);
    }
}

void nas_adam_step(int64_t n, float beta1, float beta2, float eps, float weightDecay, float lr, int step,
                   float *param, const float *grad, float *m, float *v) {
    const float bc1 = (float)(1.0 - pow(beta1, step)), bc2 = (float)(1.0 - pow(beta2, step));
    #pragma omp parallel for simd num_threads(nas_threads_for(n)) schedule(guided, 4096)
    for (int64_t i = 0; i < n; i++) {
        const float g = grad[i] + weightDecay * param[i];
        const float mi = beta1 * m[i] + (1.0f - beta1) * g;
        const float vi = beta2 * v[i] + (1.0f - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        param[i] -= lr * (mi / bc1) / (sqrtf(vi / bc2) + eps);
    }
}
