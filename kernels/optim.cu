// Fused optimizer steps over one parameter (org.nasengine.backend.SgdConfig, AdamConfig).
#include "common.cuh"

// g' = grad + wd*param; v = momentum*v + g'; param -= lr * (nesterov ? g' + momentum*v : v).
// With momentum 0 the velocity is neither read nor written (it may be null).
KERNEL void sgd_step(long long n, float momentum, float weightDecay, int nesterov, float lr,
                     float* __restrict__ param, const float* __restrict__ grad, float* __restrict__ velocity) {
  GRID_LOOP(i, n) {
    const float g = grad[i] + weightDecay * param[i];
    if (momentum == 0.f) {
      param[i] -= lr * g;
    } else {
      const float v = momentum * velocity[i] + g;
      velocity[i] = v;
      param[i] -= lr * (nesterov ? g + momentum * v : v);
    }
  }
}

// Adam; bias1 = 1 - beta1^t and bias2 = 1 - beta2^t come from the host (computed in double).
KERNEL void adam_step(long long n, float beta1, float beta2, float eps, float weightDecay, float lr, float bias1,
                      float bias2, float* __restrict__ param, const float* __restrict__ grad, float* __restrict__ m,
                      float* __restrict__ v) {
  GRID_LOOP(i, n) {
    const float g = grad[i] + weightDecay * param[i];
    const float mi = beta1 * m[i] + (1.f - beta1) * g;
    const float vi = beta2 * v[i] + (1.f - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    param[i] -= lr * (mi / bias1) / (sqrtf(vi / bias2) + eps);
  }
}
