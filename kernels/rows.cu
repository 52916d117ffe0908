// Row kernels: log-softmax, softmax cross-entropy, embedding gather/scatter, dropout masks.
// Semantics in org/nasengine/backend/package-info.java. The row reductions run one block per
// row (blockDim.x a multiple of 32); the rest are grid-stride elementwise loops.
#include "common.cuh"

// y[r,j] = (x[r,j] - max) - log(sum_k exp(x[r,k] - max)); x and y may be the same buffer
// (each element is read and written by one thread), so neither is __restrict__: the promise
// would let the compiler reorder the reads of x past the writes to y.   grid: rows
KERNEL void log_softmax_fwd(int rows, int cols, const float* x, float* y) {
  const long long base = (long long)blockIdx.x * cols;
  float m = -INFINITY;
  for (int j = threadIdx.x; j < cols; j += blockDim.x) m = fmaxf(m, x[base + j]);
  m = block_max(m);
  float s = 0.f;
  for (int j = threadIdx.x; j < cols; j += blockDim.x) s += expf(x[base + j] - m);
  s = block_sum(s);
  // (x - max) - logSum, not x - (max + logSum): exact when x == max, whatever the magnitude
  const float logSum = logf(s);
  for (int j = threadIdx.x; j < cols; j += blockDim.x) y[base + j] = (x[base + j] - m) - logSum;
}

// dx[r,j] += dy[r,j] - exp(y[r,j]) * sum_k dy[r,k]   grid: rows
KERNEL void log_softmax_bwd(int rows, int cols, const float* __restrict__ y, const float* __restrict__ dy,
                            float* __restrict__ dx) {
  const long long base = (long long)blockIdx.x * cols;
  float s = 0.f;
  for (int j = threadIdx.x; j < cols; j += blockDim.x) s += dy[base + j];
  s = block_sum(s);
  for (int j = threadIdx.x; j < cols; j += blockDim.x) dx[base + j] += dy[base + j] - expf(y[base + j]) * s;
}

// probs[r,:] = softmax(logits[r,:]); loss[r] = logSum - (logits[r, label] - max), logSum the
// log-sum-exp less the max. A label outside [0, cols) gives a NaN loss and lowers *badRow to its
// row (the host presets INT_MAX and reports the first bad label, since a kernel cannot throw).
// probs may alias logits, so neither is __restrict__.   grid: rows
KERNEL void softmax_xent_fwd(int rows, int cols, const float* logits, const int* __restrict__ labels,
                             float* probs, float* __restrict__ loss, int* __restrict__ badRow) {
  const int r = blockIdx.x;
  const long long base = (long long)r * cols;
  float m = -INFINITY;
  for (int j = threadIdx.x; j < cols; j += blockDim.x) m = fmaxf(m, logits[base + j]);
  m = block_max(m);
  float s = 0.f;
  for (int j = threadIdx.x; j < cols; j += blockDim.x) s += expf(logits[base + j] - m);
  const float logSum = logf(block_sum(s));
  const int label = labels[r];
  const bool valid = label >= 0 && label < cols;
  // every thread reads the target before any thread overwrites it through an aliased probs
  const float target = valid ? logits[base + label] : 0.f;
  __syncthreads();
  for (int j = threadIdx.x; j < cols; j += blockDim.x) probs[base + j] = expf((logits[base + j] - m) - logSum);
  if (threadIdx.x == 0) {
    loss[r] = valid ? logSum - (target - m) : NAN;
    if (!valid) atomicMin(badRow, r);
  }
}

// dLogits[r,j] += (probs[r,j] - [j == label[r]]) * dLoss[r]; the labels were checked by the forward
KERNEL void softmax_xent_bwd(int rows, int cols, const float* __restrict__ probs, const int* __restrict__ labels,
                             const float* __restrict__ dLoss, float* __restrict__ dLogits) {
  GRID_LOOP(i, (long long)rows * cols) {
    const int r = (int)(i / cols), j = (int)(i % cols);
    const float target = labels[r] == j ? 1.f : 0.f;
    dLogits[i] += (probs[i] - target) * dLoss[r];
  }
}

// out[i,:] = table[ids[i],:]. tableRows bounds the read (from the table buffer's capacity): an
// id outside it yields a NaN row, never a read of foreign memory, and lowers *badRow to its row.
KERNEL void gather_rows(int count, int width, long long tableRows, const float* __restrict__ table,
                        const int* __restrict__ ids, float* __restrict__ out, int* __restrict__ badRow) {
  GRID_LOOP(i, (long long)count * width) {
    const int row = (int)(i / width), col = (int)(i % width);
    const int id = ids[row];
    const bool valid = id >= 0 && id < tableRows;
    out[i] = valid ? table[(long long)id * width + col] : NAN;
    if (!valid && col == 0) atomicMin(badRow, row);
  }
}

// dTable[ids[i],:] += dOut[i,:]; repeated ids meet on one row, hence the atomics. The ids were
// checked by the forward; one out of range is skipped.
KERNEL void gather_rows_bwd(int count, int width, long long tableRows, const float* __restrict__ dOut,
                            const int* __restrict__ ids, float* __restrict__ dTable) {
  GRID_LOOP(i, (long long)count * width) {
    const int row = (int)(i / width), col = (int)(i % width);
    const int id = ids[row];
    if (id >= 0 && id < tableRows) atomicAdd(dTable + (long long)id * width + col, dOut[i]);
  }
}

// The splitmix64 finalizer of org.nasengine.backend.DropoutHash, bit for bit (Java's long
// arithmetic wraps like uint64_t, and >>> is the unsigned shift).
__device__ __forceinline__ unsigned long long splitmix64(unsigned long long z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// mask[i] = u(seed, i) < keep ? 1/keep : 0, u = (splitmix64(seed + i*golden) >>> 40) / 2^24
KERNEL void dropout_mask(long long n, float keep, unsigned long long seed, float* __restrict__ mask) {
  const float kept = 1.f / keep;
  GRID_LOOP(i, n) {
    const unsigned long long z = splitmix64(seed + (unsigned long long)i * 0x9E3779B97F4A7C15ull);
    const float u = (float)(z >> 40) / 16777216.f;
    mask[i] = u < keep ? kept : 0.f;
  }
}
