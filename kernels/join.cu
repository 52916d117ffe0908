// The zero-pad join (org.nasengine.backend.JoinGeometry): inputs (n, c_i, h_i, w_i), each centred
// in (outH, outW) with the odd row/column at the bottom/right, concatenated along channels into
// out (n, sum c_i, outH, outW). A plain channel concat is the case h_i = outH, w_i = outW.
// One launch covers up to JOIN_MAX inputs (a contiguous run of output channels); the host
// launches again for longer joins.
#include "common.cuh"

#define JOIN_MAX 16

// Passed by value, 552 bytes; CudaStructs.join writes the same layout.
struct JoinArgs {
  unsigned long long data[JOIN_MAX];  // input (forward) or input-gradient (backward) device pointers
  long long start[JOIN_MAX + 1];      // backward: prefix sums of the input lengths
  int channels[JOIN_MAX];
  int heights[JOIN_MAX];
  int widths[JOIN_MAX];
  int chanOffset[JOIN_MAX];           // first output channel of each input
  int count;                          // inputs in this launch
  int n, outC, outH, outW;
  int cBase, cCount;                  // forward: the output channels this launch writes
};
static_assert(sizeof(JoinArgs) == 552, "JoinArgs must match CudaStructs.join");

// Forward: every output element of channels [cBase, cBase+cCount) is written once, either from
// its input's window or as padding zero. One kernel for all inputs of the launch.
KERNEL void pad_concat_fwd(JoinArgs j, float* __restrict__ out) {
  const long long plane = (long long)j.outH * j.outW;
  GRID_LOOP(i, (long long)j.n * j.cCount * plane) {
    const int x = (int)(i % j.outW);
    const int y = (int)((i / j.outW) % j.outH);
    const int c = j.cBase + (int)((i / plane) % j.cCount);
    const long long b = i / (plane * j.cCount);
    int k = 0;
    while (k + 1 < j.count && c >= j.chanOffset[k + 1]) k++;
    const int h = j.heights[k], w = j.widths[k];
    const int iy = y - (j.outH - h) / 2, ix = x - (j.outW - w) / 2;
    float v = 0.f;
    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
      const float* in = (const float*)j.data[k];
      v = in[((b * j.channels[k] + (c - j.chanOffset[k])) * h + iy) * w + ix];
    }
    out[((b * j.outC + c) * j.outH + y) * j.outW + x] = v;
  }
}

// Backward: dInput_k += the window of dOut it was copied into. Elements are numbered across the
// launch's inputs by the prefix sums in start; inputs whose gradient is not wanted are left out
// by the host. The += is a plain read-modify-write, not atomic: the host never puts two inputs
// that share memory (the same tensor joined twice) in one launch (CudaJoin.launches).
KERNEL void pad_concat_bwd(JoinArgs j, const float* __restrict__ dOut) {
  GRID_LOOP(i, j.start[j.count]) {
    int k = 0;
    while (k + 1 < j.count && i >= j.start[k + 1]) k++;
    const long long e = i - j.start[k];
    const int h = j.heights[k], w = j.widths[k];
    const int ix = (int)(e % w), iy = (int)((e / w) % h);
    const int ci = (int)((e / ((long long)w * h)) % j.channels[k]);
    const long long b = e / ((long long)w * h * j.channels[k]);
    const int y = iy + (j.outH - h) / 2, x = ix + (j.outW - w) / 2;
    float* din = (float*)j.data[k];
    din[e] += dOut[((b * j.outC + j.chanOffset[k] + ci) * j.outH + y) * j.outW + x];
  }
}
