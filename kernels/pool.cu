// 2-D max and average pooling (org.nasengine.backend.PoolGeometry): x (n, c, h, w) -> y (n, c, outH, outW).
// Max ignores padded positions; average divides by the in-image positions of the window.
#include "common.cuh"

// PoolGeometry plus its derived output size: eleven int32, 44 bytes, in this order.
struct PoolArgs {
  int n, c, h, w, kh, kw, stride, padH, padW, outH, outW;
};
static_assert(sizeof(PoolArgs) == 44, "PoolArgs must match CudaStructs.pool");

// The window of output (oy, ox) clipped to the image: rows [y0, y1), columns [x0, x1).
struct Window {
  int y0, y1, x0, x1;
};

__device__ __forceinline__ Window window_of(const PoolArgs& g, int oy, int ox) {
  const int ys = oy * g.stride - g.padH, xs = ox * g.stride - g.padW;
  return Window{max(ys, 0), min(ys + g.kh, g.h), max(xs, 0), min(xs + g.kw, g.w)};
}

// Flat index over (n*c, outH, outW) split into plane and position.
#define POOL_OUTPUT_INDEX(g, i, plane, oy, ox)             \
  const int ox = (int)((i) % (g).outW);                    \
  const int oy = (int)(((i) / (g).outW) % (g).outH);       \
  const long long plane = (i) / ((long long)(g).outW * (g).outH)

KERNEL void max_pool_fwd(PoolArgs g, const float* __restrict__ x, float* __restrict__ y) {
  GRID_LOOP(i, (long long)g.n * g.c * g.outH * g.outW) {
    POOL_OUTPUT_INDEX(g, i, plane, oy, ox);
    const Window win = window_of(g, oy, ox);
    const float* xp = x + plane * g.h * g.w;
    // a window wholly in the padding (padding >= kernel size) has no positions and yields 0
    float best = win.y0 < win.y1 && win.x0 < win.x1 ? -INFINITY : 0.f;
    for (int r = win.y0; r < win.y1; r++)
      for (int s = win.x0; s < win.x1; s++) best = fmaxf(best, xp[r * g.w + s]);
    y[i] = best;
  }
}

// dx[argmax] += dy, the argmax being the first position (row-major in the window) that holds the
// maximum. Windows overlap when stride < k, hence the atomics.
KERNEL void max_pool_bwd(PoolArgs g, const float* __restrict__ x, const float* __restrict__ dy,
                         float* __restrict__ dx) {
  GRID_LOOP(i, (long long)g.n * g.c * g.outH * g.outW) {
    POOL_OUTPUT_INDEX(g, i, plane, oy, ox);
    const Window win = window_of(g, oy, ox);
    const float* xp = x + plane * g.h * g.w;
    float best = -INFINITY;
    int at = -1;
    for (int r = win.y0; r < win.y1; r++)
      for (int s = win.x0; s < win.x1; s++) {
        const float v = xp[r * g.w + s];
        if (at < 0 || v > best) {
          best = v;
          at = r * g.w + s;
        }
      }
    if (at >= 0) atomicAdd(dx + plane * g.h * g.w + at, dy[i]);
  }
}

KERNEL void avg_pool_fwd(PoolArgs g, const float* __restrict__ x, float* __restrict__ y) {
  GRID_LOOP(i, (long long)g.n * g.c * g.outH * g.outW) {
    POOL_OUTPUT_INDEX(g, i, plane, oy, ox);
    const Window win = window_of(g, oy, ox);
    const float* xp = x + plane * g.h * g.w;
    float s = 0.f;
    for (int r = win.y0; r < win.y1; r++)
      for (int c = win.x0; c < win.x1; c++) s += xp[r * g.w + c];
    const int count = (win.y1 - win.y0) * (win.x1 - win.x0);
    y[i] = count > 0 ? s / (float)count : 0.f;
  }
}

// dx[iy,ix] += sum over the windows that cover it of dy/count. Gathered per input element, so
// no atomics: output rows oy with oy*stride - padH <= iy < oy*stride - padH + kh.
KERNEL void avg_pool_bwd(PoolArgs g, const float* __restrict__ dy, float* __restrict__ dx) {
  GRID_LOOP(i, (long long)g.n * g.c * g.h * g.w) {
    const int ix = (int)(i % g.w), iy = (int)((i / g.w) % g.h);
    const long long plane = i / ((long long)g.w * g.h);
    const int oyLo = max(0, (iy + g.padH - g.kh + g.stride) / g.stride);
    const int oyHi = min(g.outH - 1, (iy + g.padH) / g.stride);
    const int oxLo = max(0, (ix + g.padW - g.kw + g.stride) / g.stride);
    const int oxHi = min(g.outW - 1, (ix + g.padW) / g.stride);
    const float* dyp = dy + plane * g.outH * g.outW;
    float s = 0.f;
    for (int oy = oyLo; oy <= oyHi; oy++)
      for (int ox = oxLo; ox <= oxHi; ox++) {
        const Window win = window_of(g, oy, ox);
        s += dyp[oy * g.outW + ox] / (float)((win.y1 - win.y0) * (win.x1 - win.x0));
      }
    dx[i] += s;
  }
}
