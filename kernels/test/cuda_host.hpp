// Just enough of CUDA's device-side vocabulary for the kernels to compile as host C++, so that
// emulator.cpp can run them without a GPU. Each CUDA thread is a fiber on one OS thread; the
// scheduler in emulator.cpp switches fibers at __syncthreads and at warp shuffles, so the
// barrier and shuffle logic runs exactly as written. What this cannot show: races between truly
// concurrent threads, timing, and the GPU's float rounding of fused operations.
#pragma once

#include <math.h>
#include <stdint.h>

#define __global__
#define __device__
#define __forceinline__ inline
#define __restrict__ __restrict
#define __launch_bounds__(threads)
// One block runs at a time, so a function-local static is exactly one block's shared memory.
#define __shared__ static
#define __align__(n) __attribute__((aligned(n)))

struct alignas(16) float4 {
  float x, y, z, w;
};

struct EmuDim {
  unsigned x, y, z;
};

// Set by the scheduler before it resumes a fiber.
extern EmuDim threadIdx, blockIdx, blockDim, gridDim;

namespace emu {
void sync_block();
double shfl_down(double v, int delta);
}  // namespace emu

inline void __syncthreads() { emu::sync_block(); }

// Float and double both pass through double exactly.
template <typename T>
inline T __shfl_down_sync(unsigned, T v, int delta) {
  return static_cast<T>(emu::shfl_down(static_cast<double>(v), delta));
}

// Fibers never run at the same time, so plain read-modify-write is atomic here.
inline float atomicAdd(float* p, float v) {
  float old = *p;
  *p = old + v;
  return old;
}
inline double atomicAdd(double* p, double v) {
  double old = *p;
  *p = old + v;
  return old;
}
inline int atomicMin(int* p, int v) {
  int old = *p;
  if (v < old) *p = v;
  return old;
}

// CUDA's integer min/max overloads.
inline int max(int a, int b) { return a > b ? a : b; }
inline int min(int a, int b) { return a < b ? a : b; }
