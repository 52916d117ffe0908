// Batch normalization over (n, c, spatial), statistics per channel (org.nasengine.backend.BatchNormSpec).
// The per-channel reductions run one block per channel and accumulate in double, so a channel of
// a few hundred thousand values keeps float accuracy; the normalization is elementwise.
#include "common.cuh"

// BatchNormSpec's sizes and constants: three int32 then two float32, 20 bytes.
struct BnArgs {
  int n, c, spatial;
  float eps, momentum;
};
static_assert(sizeof(BnArgs) == 20, "BnArgs must match CudaStructs.batchNorm");

// Element k of channel ch, k over n*spatial values: (k / spatial, ch, k % spatial).
__device__ __forceinline__ long long bn_index(const BnArgs& g, int ch, long long k) {
  const long long b = k / g.spatial, s = k % g.spatial;
  return (b * g.c + ch) * g.spatial + s;
}

// Training statistics. grid: c. Writes savedMean, savedInvStd (c) and updates the running
// statistics: running = (1-momentum)*running + momentum*batch, the variance unbiased.
KERNEL void bn_stats(BnArgs g, const float* __restrict__ x, float* __restrict__ savedMean,
                     float* __restrict__ savedInvStd, float* __restrict__ runningMean,
                     float* __restrict__ runningVar) {
  const int ch = blockIdx.x;
  const long long count = (long long)g.n * g.spatial;
  double s = 0.0;
  for (long long k = threadIdx.x; k < count; k += blockDim.x) s += x[bn_index(g, ch, k)];
  const double mean = block_sum(s) / (double)count;
  // second pass over the centred values: no cancellation, unlike E[x^2] - E[x]^2
  double q = 0.0;
  for (long long k = threadIdx.x; k < count; k += blockDim.x) {
    const double d = x[bn_index(g, ch, k)] - mean;
    q += d * d;
  }
  const double var = block_sum(q) / (double)count;
  if (threadIdx.x == 0) {
    savedMean[ch] = (float)mean;
    savedInvStd[ch] = (float)(1.0 / sqrt(var + (double)g.eps));
    const float m = g.momentum;
    runningMean[ch] = (1.f - m) * runningMean[ch] + m * (float)mean;
    runningVar[ch] = (1.f - m) * runningVar[ch] + m * (float)(var * count / (count - 1));
  }
}

// y = gamma*(x - mean)*invStd + beta with the batch's saved statistics (training).
// gamma or beta null reads as 1 or 0.
KERNEL void bn_apply_train(BnArgs g, const float* __restrict__ x, const float* __restrict__ mean,
                           const float* __restrict__ invStd, const float* __restrict__ gamma,
                           const float* __restrict__ beta, float* __restrict__ y) {
  GRID_LOOP(i, (long long)g.n * g.c * g.spatial) {
    const int ch = (int)((i / g.spatial) % g.c);
    const float scale = (gamma != nullptr ? gamma[ch] : 1.f) * invStd[ch];
    y[i] = (x[i] - mean[ch]) * scale + (beta != nullptr ? beta[ch] : 0.f);
  }
}

// Evaluation: the running statistics, invStd = 1/sqrt(runningVar + eps).
KERNEL void bn_apply_eval(BnArgs g, const float* __restrict__ x, const float* __restrict__ runningMean,
                          const float* __restrict__ runningVar, const float* __restrict__ gamma,
                          const float* __restrict__ beta, float* __restrict__ y) {
  GRID_LOOP(i, (long long)g.n * g.c * g.spatial) {
    const int ch = (int)((i / g.spatial) % g.c);
    const float invStd = (float)(1.0 / sqrt((double)runningVar[ch] + (double)g.eps));
    const float scale = (gamma != nullptr ? gamma[ch] : 1.f) * invStd;
    y[i] = (x[i] - runningMean[ch]) * scale + (beta != nullptr ? beta[ch] : 0.f);
  }
}

// Training backward, one block per channel: with xhat = (x-mean)*invStd,
// dBeta += sum dy; dGamma += sum dy*xhat; dx += gamma*invStd*(dy - sum(dy)/m - xhat*sum(dy*xhat)/m).
// Any of dx, dGamma, dBeta may be null (not wanted).
KERNEL void bn_bwd(BnArgs g, const float* __restrict__ x, const float* __restrict__ gamma,
                   const float* __restrict__ savedMean, const float* __restrict__ savedInvStd,
                   const float* __restrict__ dy, float* __restrict__ dx, float* __restrict__ dGamma,
                   float* __restrict__ dBeta) {
  const int ch = blockIdx.x;
  const long long count = (long long)g.n * g.spatial;
  const float mean = savedMean[ch], invStd = savedInvStd[ch];
  double sdy = 0.0, sdyx = 0.0;
  for (long long k = threadIdx.x; k < count; k += blockDim.x) {
    const long long idx = bn_index(g, ch, k);
    const double d = dy[idx];
    sdy += d;
    sdyx += d * ((x[idx] - mean) * invStd);
  }
  sdy = block_sum(sdy);
  sdyx = block_sum(sdyx);
  if (threadIdx.x == 0) {
    if (dBeta != nullptr) dBeta[ch] += (float)sdy;
    if (dGamma != nullptr) dGamma[ch] += (float)sdyx;
  }
  if (dx == nullptr) return;
  const float k1 = (float)(sdy / count), k2 = (float)(sdyx / count);
  const float scale = (gamma != nullptr ? gamma[ch] : 1.f) * invStd;
  for (long long k = threadIdx.x; k < count; k += blockDim.x) {
    const long long idx = bn_index(g, ch, k);
    const float xhat = (x[idx] - mean) * invStd;
    dx[idx] += scale * (dy[idx] - k1 - xhat * k2);
  }
}
