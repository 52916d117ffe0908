// Helpers shared by every kernel file. The kernels are extern "C" so that the Java side
// (org.nasengine.backend.cuda) finds them by their plain names with cuModuleGetFunction.
#pragma once

#include <math.h>
#include <stdint.h>

#define KERNEL extern "C" __global__

// Elementwise kernels walk a grid-stride loop, so the host may cap the grid at a few waves
// of blocks whatever the length (and lengths above 2^31 still work).
#define GRID_LOOP(i, n)                                                              \
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (long long)(n); \
       i += (long long)blockDim.x * gridDim.x)

// Two branches so that expf never overflows (the same split as the Java reference).
__device__ __forceinline__ float sigmoid_f(float x) {
  if (x >= 0.f) return 1.f / (1.f + expf(-x));
  float e = expf(x);
  return e / (1.f + e);
}

template <typename T>
__device__ __forceinline__ T warp_sum(T v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
  return v;
}

__device__ __forceinline__ float warp_max(float v) {
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_down_sync(0xffffffffu, v, o));
  return v;
}

// Block-wide sum, the result handed to every thread. blockDim.x must be a multiple of 32.
// The leading barrier lets a kernel call it several times in a row on the same scratch.
template <typename T>
__device__ T block_sum(T v) {
  __shared__ T partial[32];
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  v = warp_sum(v);
  __syncthreads();
  if (lane == 0) partial[warp] = v;
  __syncthreads();
  if (warp == 0) {
    T w = lane < warps ? partial[lane] : T(0);
    w = warp_sum(w);
    if (lane == 0) partial[0] = w;
  }
  __syncthreads();
  return partial[0];
}

// Block-wide max, same conventions as block_sum.
__device__ inline float block_max(float v) {
  __shared__ float partial[32];
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  v = warp_max(v);
  __syncthreads();
  if (lane == 0) partial[warp] = v;
  __syncthreads();
  if (warp == 0) {
    float w = lane < warps ? partial[lane] : -INFINITY;
    w = warp_max(w);
    if (lane == 0) partial[0] = w;
  }
  __syncthreads();
  return partial[0];
}
