// Direct depthwise convolution (cin/groups == 1): a GEMM would have a single-row operand here,
// so each output (and each input gradient) is computed from its taps directly.
#include "conv.cuh"

// Depthwise: cin/groups == 1, each output channel co reads input channel co / mult,
// mult = cout/cin; weights (cout, 1, kh, kw). y (n, cout, outH, outW) is overwritten.
KERNEL void depthwise_fwd(ConvArgs g, const float* __restrict__ x, const float* __restrict__ w,
                          float* __restrict__ y) {
  const int mult = g.cout / g.cin;
  GRID_LOOP(i, (long long)g.n * g.cout * g.outH * g.outW) {
    const int ox = (int)(i % g.outW), oy = (int)((i / g.outW) % g.outH);
    const int co = (int)((i / ((long long)g.outW * g.outH)) % g.cout);
    const long long b = i / ((long long)g.outW * g.outH * g.cout);
    const float* xp = x + (b * g.cin + co / mult) * g.h * g.w;
    const float* wp = w + (long long)co * g.kh * g.kw;
    float s = 0.f;
    for (int ky = 0; ky < g.kh; ky++) {
      const int iy = oy * g.strideH - g.padH + ky * g.dilH;
      if (iy < 0 || iy >= g.h) continue;
      for (int kx = 0; kx < g.kw; kx++) {
        const int ix = ox * g.strideW - g.padW + kx * g.dilW;
        if (ix >= 0 && ix < g.w) s += xp[iy * g.w + ix] * wp[ky * g.kw + kx];
      }
    }
    y[i] = s;
  }
}

// dx (n, cin, h, w) += sum over the mult output channels of channel ci and the taps that read
// (iy, ix). Gathered per input element: no atomics.
KERNEL void depthwise_bwd_data(ConvArgs g, const float* __restrict__ w, const float* __restrict__ dy,
                               float* __restrict__ dx) {
  const int mult = g.cout / g.cin;
  GRID_LOOP(i, (long long)g.n * g.cin * g.h * g.w) {
    const int ix = (int)(i % g.w), iy = (int)((i / g.w) % g.h);
    const int ci = (int)((i / ((long long)g.w * g.h)) % g.cin);
    const long long b = i / ((long long)g.w * g.h * g.cin);
    float s = 0.f;
    for (int j = 0; j < mult; j++) {
      const int co = ci * mult + j;
      const float* wp = w + (long long)co * g.kh * g.kw;
      const float* dyp = dy + (b * g.cout + co) * g.outH * g.outW;
      for (int ky = 0; ky < g.kh; ky++) {
        const int ty = iy + g.padH - ky * g.dilH;
        if (ty < 0 || ty % g.strideH != 0 || ty / g.strideH >= g.outH) continue;
        const int oy = ty / g.strideH;
        for (int kx = 0; kx < g.kw; kx++) {
          const int tx = ix + g.padW - kx * g.dilW;
          if (tx < 0 || tx % g.strideW != 0 || tx / g.strideW >= g.outW) continue;
          s += wp[ky * g.kw + kx] * dyp[oy * g.outW + tx / g.strideW];
        }
      }
    }
    dx[i] += s;
  }
}

// dw[co, 0, ky, kx] += sum over images and output positions of dy * the input it multiplied.
// grid: cout*kh*kw blocks, one weight each.
KERNEL void depthwise_bwd_filter(ConvArgs g, const float* __restrict__ x, const float* __restrict__ dy,
                                 float* __restrict__ dw) {
  const int mult = g.cout / g.cin;
  const int widx = blockIdx.x;
  const int kx = widx % g.kw, ky = (widx / g.kw) % g.kh, co = widx / (g.kw * g.kh), ci = co / mult;
  const long long P = (long long)g.outH * g.outW;
  float s = 0.f;
  for (long long e = threadIdx.x; e < g.n * P; e += blockDim.x) {
    const long long b = e / P;
    const int p = (int)(e % P), oy = p / g.outW, ox = p % g.outW;
    const int iy = oy * g.strideH - g.padH + ky * g.dilH;
    const int ix = ox * g.strideW - g.padW + kx * g.dilW;
    if (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w)
      s += dy[(b * g.cout + co) * P + p] * x[((b * g.cin + ci) * g.h + iy) * g.w + ix];
  }
  s = block_sum(s);
  if (threadIdx.x == 0) dw[widx] += s;
}
