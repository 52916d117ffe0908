// Elementwise kernels: unary functions and their backward, broadcasting binary functions,
// sumInto (the reduction behind broadcast gradients), scale, fill, sumOfSquares.
// Twins of org.nasengine.backend.ref.JavaBackend's methods of the same names.
#include "common.cuh"

// Ordinals of org.nasengine.backend.Unary.
enum UnaryOp { U_IDENTITY, U_RELU, U_TANH, U_SIGMOID, U_EXP, U_LOG, U_NEG, U_SQUARE, U_LOG_SIGMOID };
// Ordinals of org.nasengine.backend.Binary.
enum BinaryOp { B_ADD, B_SUB, B_MUL, B_DIV };

// org.nasengine.backend.Broadcast, rank 4: the output is contiguous over shape, operand a is read
// at sum(i[d]*a[d]) and b at sum(i[d]*b[d]). Passed by value: 48 bytes, twelve int32 in this order.
struct Bcast {
  int shape[4];
  int a[4];
  int b[4];
};
static_assert(sizeof(Bcast) == 48, "Bcast must match CudaStructs.broadcast");

__device__ __forceinline__ float unary_apply(int op, float x) {
  switch (op) {
    case U_RELU: return x > 0.f ? x : 0.f;
    case U_TANH: return tanhf(x);
    case U_SIGMOID: return sigmoid_f(x);
    case U_EXP: return expf(x);
    case U_LOG: return logf(x);
    case U_NEG: return -x;
    case U_SQUARE: return x * x;
    // log(1/(1+e^-x)) = min(x,0) - log1p(e^-|x|): no overflow on either side
    case U_LOG_SIGMOID: return fminf(x, 0.f) - log1pf(expf(-fabsf(x)));
    default: return x;
  }
}

// Uses x or y, whichever the derivative is cheaper from (see Unary's javadoc).
__device__ __forceinline__ float unary_grad(int op, float x, float y, float dy) {
  switch (op) {
    case U_RELU: return x > 0.f ? dy : 0.f;
    case U_TANH: return dy * (1.f - y * y);
    case U_SIGMOID: return dy * y * (1.f - y);
    case U_EXP: return dy * y;
    case U_LOG: return dy / x;
    case U_NEG: return -dy;
    case U_SQUARE: return 2.f * x * dy;
    case U_LOG_SIGMOID: return dy * (1.f - sigmoid_f(x));
    default: return dy;
  }
}

KERNEL void unary_fwd(int op, long long n, const float* __restrict__ x, float* __restrict__ y) {
  GRID_LOOP(i, n) y[i] = unary_apply(op, x[i]);
}

// dx += f'(x) * dy. x or y may be null when the op's derivative does not read it.
KERNEL void unary_bwd(int op, long long n, const float* __restrict__ x, const float* __restrict__ y,
                      const float* __restrict__ dy, float* __restrict__ dx) {
  GRID_LOOP(i, n) {
    float xi = x != nullptr ? x[i] : 0.f;
    float yi = y != nullptr ? y[i] : 0.f;
    dx[i] += unary_grad(op, xi, yi, dy[i]);
  }
}

// Offsets of element i of the contiguous shape in the two strided operands.
__device__ __forceinline__ void bcast_offsets(const Bcast& g, long long i, long long& oa, long long& ob) {
  int i3 = (int)(i % g.shape[3]);
  long long t = i / g.shape[3];
  int i2 = (int)(t % g.shape[2]);
  t /= g.shape[2];
  int i1 = (int)(t % g.shape[1]);
  int i0 = (int)(t / g.shape[1]);
  oa = (long long)i0 * g.a[0] + (long long)i1 * g.a[1] + (long long)i2 * g.a[2] + (long long)i3 * g.a[3];
  ob = (long long)i0 * g.b[0] + (long long)i1 * g.b[1] + (long long)i2 * g.b[2] + (long long)i3 * g.b[3];
}

KERNEL void binary_bcast(int op, Bcast g, long long n, const float* __restrict__ a,
                         const float* __restrict__ b, float* __restrict__ out) {
  GRID_LOOP(i, n) {
    long long oa, ob;
    bcast_offsets(g, i, oa, ob);
    float x = a[oa], y = b[ob], r;
    switch (op) {
      case B_ADD: r = x + y; break;
      case B_SUB: r = x - y; break;
      case B_MUL: r = x * y; break;
      default: r = x / y; break;
    }
    out[i] = r;
  }
}

// dst[offset_a(i)] += src[i]. When no dimension of size > 1 has a zero stride (unique != 0),
// every i has its own destination and a plain add suffices; otherwise several i meet on one
// destination and the adds are atomic.
KERNEL void sum_into(Bcast g, long long n, int unique, const float* __restrict__ src, float* __restrict__ dst) {
  GRID_LOOP(i, n) {
    long long oa, ob;
    bcast_offsets(g, i, oa, ob);
    if (unique) dst[oa] += src[i];
    else atomicAdd(dst + oa, src[i]);
  }
}

KERNEL void scale(long long n, float factor, float* __restrict__ x) {
  GRID_LOOP(i, n) x[i] *= factor;
}

KERNEL void fill(long long n, float value, float* __restrict__ x) {
  GRID_LOOP(i, n) x[i] = value;
}

// *out += sum of x[i]^2 in double (the host zeroes *out first). One atomic per block.
KERNEL void sum_of_squares(long long n, const float* __restrict__ x, double* __restrict__ out) {
  double s = 0.0;
  GRID_LOOP(i, n) {
    double v = x[i];
    s += v * v;
  }
  s = block_sum(s);
  if (threadIdx.x == 0) atomicAdd(out, s);
}
