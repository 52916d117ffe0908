// Our own SGEMM, used when libcublas.so.12 does not load (KernelGemm.java). Row-major, either
// operand transposed, leading dimensions, batched through blockIdx.z with element strides
// (stride 0 shares an operand across the batch):
//   C_z (m x n, ldc) = alpha * op(A_z) * op(B_z) + beta * C_z,  C not read when beta == 0.
// Classic shared-memory tiling: a block computes a BM x BN tile of C, walking k in slices of BK
// staged in shared memory; each thread keeps a TM x TN register tile. A thread's rows and
// columns are interleaved (stride BM/TM, BN/TN) so that shared reads are conflict-free and the
// stores of a warp are coalesced.
#include "common.cuh"

// 64 bytes: eight int32, two float32, three int64 (offset 40, naturally aligned).
struct GemmArgs {
  int m, n, k, lda, ldb, ldc, transA, transB;
  float alpha, beta;
  long long strideA, strideB, strideC;
};
static_assert(sizeof(GemmArgs) == 64, "GemmArgs must match CudaStructs.gemm");

template <int BM, int BN, int BK, int TM, int TN>
__device__ __forceinline__ void sgemm_tile(const GemmArgs& g, const float* __restrict__ A,
                                           const float* __restrict__ B, float* __restrict__ C) {
  constexpr int TY = BM / TM, TX = BN / TN, THREADS = TX * TY;
  // k-major tiles; the +4 keeps the transposing stores of a non-transposed A free of bank conflicts
  __shared__ float As[BK][BM + 4];  // op(A) slice (BM x BK), stored transposed
  __shared__ float Bs[BK][BN + 4];  // op(B) slice (BK x BN)

  const long long z = blockIdx.z;
  A += z * g.strideA;
  B += z * g.strideB;
  C += z * g.strideC;
  const int row0 = blockIdx.y * BM, col0 = blockIdx.x * BN;
  const int tid = threadIdx.x, tx = tid % TX, ty = tid / TX;

  float acc[TM][TN];
#pragma unroll
  for (int i = 0; i < TM; i++)
#pragma unroll
    for (int j = 0; j < TN; j++) acc[i][j] = 0.f;

  for (int k0 = 0; k0 < g.k; k0 += BK) {
    // Global reads run along the operand's contiguous dimension in both layouts.
    for (int e = tid; e < BM * BK; e += THREADS) {
      const int r = g.transA ? e % BM : e / BK;
      const int kk = g.transA ? e / BM : e % BK;
      const int gr = row0 + r, gk = k0 + kk;
      float v = 0.f;
      if (gr < g.m && gk < g.k) v = g.transA ? A[(long long)gk * g.lda + gr] : A[(long long)gr * g.lda + gk];
      As[kk][r] = v;
    }
    for (int e = tid; e < BK * BN; e += THREADS) {
      const int c = g.transB ? e / BK : e % BN;
      const int kk = g.transB ? e % BK : e / BN;
      const int gc = col0 + c, gk = k0 + kk;
      float v = 0.f;
      if (gc < g.n && gk < g.k) v = g.transB ? B[(long long)gc * g.ldb + gk] : B[(long long)gk * g.ldb + gc];
      Bs[kk][c] = v;
    }
    __syncthreads();
#pragma unroll
    for (int kk = 0; kk < BK; kk++) {
      float a[TM], b[TN];
#pragma unroll
      for (int i = 0; i < TM; i++) a[i] = As[kk][ty + i * TY];
#pragma unroll
      for (int j = 0; j < TN; j++) b[j] = Bs[kk][tx + j * TX];
#pragma unroll
      for (int i = 0; i < TM; i++)
#pragma unroll
        for (int j = 0; j < TN; j++) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
    }
    __syncthreads();
  }

#pragma unroll
  for (int i = 0; i < TM; i++) {
    const int r = row0 + ty + i * TY;
    if (r >= g.m) continue;
#pragma unroll
    for (int j = 0; j < TN; j++) {
      const int c = col0 + tx + j * TX;
      if (c >= g.n) continue;
      float* out = C + (long long)r * g.ldc + c;
      // beta == 0 must not read C: it may hold garbage, NaN included
      *out = g.beta == 0.f ? g.alpha * acc[i][j] : g.alpha * acc[i][j] + g.beta * *out;
    }
  }
}

// Large problems: 128x128 tiles, 8x8 per thread. grid (ceil(n/128), ceil(m/128), batch), block 256.
KERNEL void __launch_bounds__(256) sgemm_128x128(GemmArgs g, const float* __restrict__ A,
                                                 const float* __restrict__ B, float* __restrict__ C) {
  sgemm_tile<128, 128, 8, 8, 8>(g, A, B, C);
}

// Small problems, where 128x128 tiles would leave most of the GPU idle: 64x64 tiles, 4x4 per
// thread. grid (ceil(n/64), ceil(m/64), batch), block 256.
KERNEL void __launch_bounds__(256) sgemm_64x64(GemmArgs g, const float* __restrict__ A,
                                               const float* __restrict__ B, float* __restrict__ C) {
  sgemm_tile<64, 64, 8, 4, 4>(g, A, B, C);
}
