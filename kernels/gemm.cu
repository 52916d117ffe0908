// Our own SGEMM, used when libcublas.so.12 does not load (KernelGemm.java). Row-major, either
// operand transposed, leading dimensions, batched through blockIdx.z with element strides
// (stride 0 shares an operand across the batch):
//   C_z (m x n, ldc) = alpha * op(A_z) * op(B_z) + beta * C_z,  C not read when beta == 0.
// Classic shared-memory tiling: a block computes a BM x BN tile of C, walking k in slices of BK
// staged in shared memory; each thread keeps a TM x TN register tile. A thread owns groups of 4
// adjacent rows and columns, the groups BM/(TM/4) and BN/(TN/4) apart, so each group is one
// 16-byte shared load and the 8 threads of a quarter-warp read 32 consecutive floats (no bank
// conflicts); scalar loads here would cost as many shared-memory cycles as the FMAs they feed.
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
  constexpr int ROW_GROUPS = TM / 4, COL_GROUPS = TN / 4;
  constexpr int ROW_STRIDE = BM / ROW_GROUPS, COL_STRIDE = BN / COL_GROUPS;  // TY*4 and TX*4
  static_assert(TM % 4 == 0 && TN % 4 == 0 && ROW_STRIDE == TY * 4 && COL_STRIDE == TX * 4, "tile shape");
  // k-major tiles; the +4 keeps the transposing stores of a non-transposed A free of bank
  // conflicts and the rows 16-byte aligned for the float4 reads
  __shared__ __align__(16) float As[BK][BM + 4];  // op(A) slice (BM x BK), stored transposed
  __shared__ __align__(16) float Bs[BK][BN + 4];  // op(B) slice (BK x BN)

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
      for (int g4 = 0; g4 < ROW_GROUPS; g4++) {
        const float4 v = *reinterpret_cast<const float4*>(&As[kk][g4 * ROW_STRIDE + ty * 4]);
        a[4 * g4] = v.x, a[4 * g4 + 1] = v.y, a[4 * g4 + 2] = v.z, a[4 * g4 + 3] = v.w;
      }
#pragma unroll
      for (int g4 = 0; g4 < COL_GROUPS; g4++) {
        const float4 v = *reinterpret_cast<const float4*>(&Bs[kk][g4 * COL_STRIDE + tx * 4]);
        b[4 * g4] = v.x, b[4 * g4 + 1] = v.y, b[4 * g4 + 2] = v.z, b[4 * g4 + 3] = v.w;
      }
#pragma unroll
      for (int i = 0; i < TM; i++)
#pragma unroll
        for (int j = 0; j < TN; j++) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
    }
    __syncthreads();
  }

#pragma unroll
  for (int i = 0; i < TM; i++) {
    const int r = row0 + (i / 4) * ROW_STRIDE + ty * 4 + i % 4;
    if (r >= g.m) continue;
#pragma unroll
    for (int j = 0; j < TN; j++) {
      const int c = col0 + (j / 4) * COL_STRIDE + tx * 4 + j % 4;
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
