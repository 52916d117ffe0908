// The LSTM cell's pointwise part, fused: the gate GEMMs run before it, through gemm.
// gates (n, 4*hidden) pre-activations laid out [i | f | g | o] per row; cPrev, c, h (n, hidden).
#include "common.cuh"

// c = sigmoid(f)*cPrev + sigmoid(i)*tanh(g); h = sigmoid(o)*tanh(c)
KERNEL void lstm_cell_fwd(int n, int hidden, const float* __restrict__ gates, const float* __restrict__ cPrev,
                          float* __restrict__ c, float* __restrict__ h) {
  GRID_LOOP(e, (long long)n * hidden) {
    const int r = (int)(e / hidden), j = (int)(e % hidden);
    const float* g = gates + (long long)r * 4 * hidden;
    const float ig = sigmoid_f(g[j]);
    const float fg = sigmoid_f(g[hidden + j]);
    const float gg = tanhf(g[2 * hidden + j]);
    const float og = sigmoid_f(g[3 * hidden + j]);
    const float ce = fg * cPrev[e] + ig * gg;
    c[e] = ce;
    h[e] = og * tanhf(ce);
  }
}

// Adds into dGates (n, 4*hidden) and dcPrev (n, hidden). dh or dc null reads as zero; dGates or
// dcPrev null means that gradient is not wanted.
KERNEL void lstm_cell_bwd(int n, int hidden, const float* __restrict__ gates, const float* __restrict__ cPrev,
                          const float* __restrict__ c, const float* __restrict__ dh, const float* __restrict__ dc,
                          float* __restrict__ dGates, float* __restrict__ dcPrev) {
  GRID_LOOP(e, (long long)n * hidden) {
    const int r = (int)(e / hidden), j = (int)(e % hidden);
    const long long row = (long long)r * 4 * hidden;
    const float* g = gates + row;
    const float ig = sigmoid_f(g[j]);
    const float fg = sigmoid_f(g[hidden + j]);
    const float gg = tanhf(g[2 * hidden + j]);
    const float og = sigmoid_f(g[3 * hidden + j]);
    const float tc = tanhf(c[e]);
    const float dhe = dh != nullptr ? dh[e] : 0.f;
    // the cell state's total gradient: through h and directly from the next step
    const float dct = (dc != nullptr ? dc[e] : 0.f) + dhe * og * (1.f - tc * tc);
    if (dGates != nullptr) {
      float* d = dGates + row;
      d[j] += dct * gg * ig * (1.f - ig);
      d[hidden + j] += dct * cPrev[e] * fg * (1.f - fg);
      d[2 * hidden + j] += dct * ig * (1.f - gg * gg);
      d[3 * hidden + j] += dhe * tc * og * (1.f - og);
    }
    if (dcPrev != nullptr) dcPrev[e] += dct * fg;
  }
}
