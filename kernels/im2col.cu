// im2col/col2im around the GEMM for general convolutions (org.nasengine.backend.ConvGeometry);
// depthwise convolutions have their own direct kernels in depthwise.cu.
//
// Column layout, "wide": col (cin*kh*kw, nb*P) for a chunk of nb images, P = outH*outW, row
// (ci, ky, kx), column (b, oy, ox). Group g's rows are one contiguous block, and the whole chunk
// is one matrix, so the weight gradient is a single GEMM over nb*P (see Im2colConv.java).
#include "conv.cuh"

// x (nb, cin, h, w), the chunk's first image -> col (cin*kh*kw, nb*P); padding reads as zero.
KERNEL void im2col(ConvArgs g, int nb, const float* __restrict__ x, float* __restrict__ col) {
  const long long P = (long long)g.outH * g.outW, wide = nb * P;
  GRID_LOOP(i, (long long)g.cin * g.kh * g.kw * wide) {
    const long long q = i % wide;
    const int row = (int)(i / wide);
    const int b = (int)(q / P), p = (int)(q % P);
    const int oy = p / g.outW, ox = p % g.outW;
    const int kx = row % g.kw, ky = (row / g.kw) % g.kh, ci = row / (g.kw * g.kh);
    const int iy = oy * g.strideH - g.padH + ky * g.dilH;
    const int ix = ox * g.strideW - g.padW + kx * g.dilW;
    col[i] = (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w)
                 ? x[(((long long)b * g.cin + ci) * g.h + iy) * g.w + ix]
                 : 0.f;
  }
}

// dx (nb, cin, h, w) += the column entries that read each input element. Gathered per input
// element (the output rows with oy*strideH - padH + ky*dilH == iy), so no atomics.
KERNEL void col2im(ConvArgs g, int nb, const float* __restrict__ col, float* __restrict__ dx) {
  const long long P = (long long)g.outH * g.outW, wide = nb * P;
  GRID_LOOP(i, (long long)nb * g.cin * g.h * g.w) {
    const int ix = (int)(i % g.w), iy = (int)((i / g.w) % g.h);
    const int ci = (int)((i / ((long long)g.w * g.h)) % g.cin);
    const int b = (int)(i / ((long long)g.w * g.h * g.cin));
    float s = 0.f;
    for (int ky = 0; ky < g.kh; ky++) {
      const int ty = iy + g.padH - ky * g.dilH;
      if (ty < 0 || ty % g.strideH != 0 || ty / g.strideH >= g.outH) continue;
      const int oy = ty / g.strideH;
      for (int kx = 0; kx < g.kw; kx++) {
        const int tx = ix + g.padW - kx * g.dilW;
        if (tx < 0 || tx % g.strideW != 0 || tx / g.strideW >= g.outW) continue;
        const int ox = tx / g.strideW;
        const long long row = ((long long)ci * g.kh + ky) * g.kw + kx;
        s += col[row * wide + b * P + (long long)oy * g.outW + ox];
      }
    }
    dx[i] += s;
  }
}

// src (nb, c, p) -> dst (c, nb*p): brings a chunk of NCHW maps into the wide layout of col.
KERNEL void nchw_to_cnhw(int nb, int c, long long p, const float* __restrict__ src, float* __restrict__ dst) {
  GRID_LOOP(i, (long long)nb * c * p) {
    const long long q = i % p;
    const int b = (int)((i / p) % nb), ch = (int)(i / (p * nb));
    dst[i] = src[((long long)b * c + ch) * p + q];
  }
}
