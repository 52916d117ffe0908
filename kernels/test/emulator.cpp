// A host emulator of our CUDA kernels, so that the CUDA backend's Java side and the kernels can be
// tested against the reference on machines without a GPU (org.nasengine.backend.cuda.EmulatedDevice
// calls the C API at the bottom through FFM). The kernels are compiled as they are, with
// cuda_host.hpp standing in for CUDA; every CUDA thread of a block is a fiber (ucontext), run in
// turn on one OS thread and switched at __syncthreads and warp shuffles. Blocks run one after
// the other. A barrier reached by only part of a block, or a shuffle by part of a warp, is
// reported as an error instead of hanging, which a GPU would not do for us.
#include <ucontext.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cuda_host.hpp"
#include "../nasengine_kernels.cu"

EmuDim threadIdx, blockIdx, blockDim, gridDim;

namespace emu {

// Runs one kernel with its arguments read from params[i], as cuLaunchKernel reads them.
using Launcher = std::function<void(void**)>;

namespace {

enum class State { Runnable, BlockWait, WarpWait, Done };

struct Fiber {
  ucontext_t ctx;
  State state;
};

constexpr size_t kStackBytes = 64 * 1024;

ucontext_t scheduler;
std::vector<Fiber> fibers;
std::unique_ptr<char[]> stacks;
unsigned stackThreads = 0;
std::vector<double> lanes;  // each thread's value in the current shuffle
unsigned current = 0;
const std::function<void()>* body = nullptr;
std::string lastError;

void yield(State s) {
  fibers[current].state = s;
  swapcontext(&fibers[current].ctx, &scheduler);
}

void entry() {
  (*body)();
  fibers[current].state = State::Done;  // then back to the scheduler through uc_link
}

// Releases the warps whose lanes all wait at a shuffle; false (with lastError) on a shuffle that
// part of a warp has left for good.
bool releaseWarps(unsigned threads, bool& released) {
  for (unsigned w = 0; w * 32 < threads; w++) {
    unsigned first = w * 32, last = first + 32 < threads ? first + 32 : threads;
    unsigned waiting = 0, done = 0;
    for (unsigned t = first; t < last; t++) {
      waiting += fibers[t].state == State::WarpWait;
      done += fibers[t].state == State::Done;
    }
    if (waiting == last - first) {
      for (unsigned t = first; t < last; t++) fibers[t].state = State::Runnable;
      released = true;
    } else if (waiting > 0 && waiting + done == last - first) {
      lastError = "warp shuffle reached by " + std::to_string(waiting) + " lanes while " + std::to_string(done) +
                  " had exited (warp " + std::to_string(w) + ")";
      return false;
    }
  }
  return true;
}

bool runBlock(unsigned threads) {
  if (stackThreads < threads) {
    stacks.reset(new char[threads * kStackBytes]);
    stackThreads = threads;
  }
  fibers.assign(threads, Fiber{});
  lanes.assign(threads, 0.0);
  for (unsigned t = 0; t < threads; t++) {
    Fiber& f = fibers[t];
    getcontext(&f.ctx);
    f.ctx.uc_stack.ss_sp = stacks.get() + t * kStackBytes;
    f.ctx.uc_stack.ss_size = kStackBytes;
    f.ctx.uc_link = &scheduler;
    makecontext(&f.ctx, entry, 0);
    f.state = State::Runnable;
  }
  for (;;) {
    for (unsigned t = 0; t < threads; t++) {
      if (fibers[t].state != State::Runnable) continue;
      current = t;
      threadIdx = EmuDim{t, 0, 0};
      swapcontext(&scheduler, &fibers[t].ctx);
    }
    unsigned done = 0, atBarrier = 0;
    for (const Fiber& f : fibers) {
      done += f.state == State::Done;
      atBarrier += f.state == State::BlockWait;
    }
    if (done == threads) return true;
    bool released = false;
    if (!releaseWarps(threads, released)) return false;
    if (!released && atBarrier > 0 && atBarrier + done == threads) {
      if (done > 0) {
        lastError = "__syncthreads reached by " + std::to_string(atBarrier) + " threads while " +
                    std::to_string(done) + " had exited";
        return false;
      }
      for (Fiber& f : fibers) f.state = State::Runnable;
      released = true;
    }
    if (!released) {
      bool runnable = false;
      for (const Fiber& f : fibers) runnable |= f.state == State::Runnable;
      if (!runnable) {
        lastError = "deadlock: threads wait at barriers that cannot complete";
        return false;
      }
    }
  }
}

bool runGrid(const std::function<void()>& kernel, unsigned gx, unsigned gy, unsigned gz, unsigned block) {
  gridDim = EmuDim{gx, gy, gz};
  blockDim = EmuDim{block, 1, 1};
  body = &kernel;
  for (unsigned z = 0; z < gz; z++)
    for (unsigned y = 0; y < gy; y++)
      for (unsigned x = 0; x < gx; x++) {
        blockIdx = EmuDim{x, y, z};
        if (!runBlock(block)) {
          lastError += " in block (" + std::to_string(x) + ", " + std::to_string(y) + ", " + std::to_string(z) + ")";
          return false;
        }
      }
  return true;
}

// Calls kernel k with its arguments read from params[i], as cuLaunchKernel does.
template <typename... P, size_t... I>
void invoke(void (*k)(P...), void** params, std::index_sequence<I...>) {
  k(*static_cast<std::decay_t<P>*>(params[I])...);
}

template <typename... P>
Launcher bind(void (*k)(P...)) {
  return [k](void** params) { invoke(k, params, std::index_sequence_for<P...>{}); };
}

#define ENTRY(name) {#name, bind(&name)}

const std::unordered_map<std::string, Launcher>& registry() {
  static const std::unordered_map<std::string, Launcher> kernels = {
      ENTRY(unary_fwd), ENTRY(unary_bwd), ENTRY(binary_bcast), ENTRY(sum_into), ENTRY(scale), ENTRY(fill),
      ENTRY(sum_of_squares), ENTRY(log_softmax_fwd), ENTRY(log_softmax_bwd), ENTRY(softmax_xent_fwd),
      ENTRY(softmax_xent_bwd), ENTRY(gather_rows), ENTRY(gather_rows_bwd), ENTRY(dropout_mask),
      ENTRY(lstm_cell_fwd), ENTRY(lstm_cell_bwd), ENTRY(sgd_step), ENTRY(adam_step), ENTRY(max_pool_fwd),
      ENTRY(max_pool_bwd), ENTRY(avg_pool_fwd), ENTRY(avg_pool_bwd), ENTRY(bn_stats), ENTRY(bn_apply_train),
      ENTRY(bn_apply_eval), ENTRY(bn_bwd), ENTRY(pad_concat_fwd), ENTRY(pad_concat_bwd), ENTRY(im2col),
      ENTRY(col2im), ENTRY(nchw_to_cnhw), ENTRY(depthwise_fwd), ENTRY(depthwise_bwd_data),
      ENTRY(depthwise_bwd_filter), ENTRY(sgemm_128x128), ENTRY(sgemm_64x64),
  };
  return kernels;
}

}  // namespace

void sync_block() { yield(State::BlockWait); }

double shfl_down(double v, int delta) {
  const unsigned lane = threadIdx.x & 31, base = threadIdx.x - lane;
  lanes[threadIdx.x] = v;
  yield(State::WarpWait);  // every lane has written
  const double r = lane + delta < 32 && base + lane + delta < blockDim.x ? lanes[base + lane + delta] : v;
  yield(State::WarpWait);  // every lane has read before any writes again
  return r;
}

}  // namespace emu

#define EXPORT extern "C" __attribute__((visibility("default")))

// 256-byte aligned, like cudaMalloc's; contents undefined.
EXPORT void* emu_alloc(long long bytes) {
  size_t size = bytes <= 0 ? 256 : ((size_t)bytes + 255) / 256 * 256;
  return std::aligned_alloc(256, size);
}

EXPORT void emu_free(void* p) { std::free(p); }

EXPORT void emu_memset32(void* p, int value, long long count) {
  int* q = static_cast<int*>(p);
  for (long long i = 0; i < count; i++) q[i] = value;
}

// 0 on success; otherwise emu_error() says why.
EXPORT int emu_launch(const char* name, int gx, int gy, int gz, int block, void** params) {
  const auto& kernels = emu::registry();
  auto it = kernels.find(name);
  if (it == kernels.end()) {
    emu::lastError = std::string("no kernel named ") + name;
    return 2;
  }
  if (gx <= 0 || gy <= 0 || gz <= 0 || block <= 0 || block > 1024) {
    emu::lastError = "bad launch configuration";
    return 3;
  }
  const emu::Launcher& launcher = it->second;
  std::function<void()> kernel = [&] { launcher(params); };
  emu::lastError.clear();
  return emu::runGrid(kernel, gx, gy, gz, block) ? 0 : 1;
}

EXPORT const char* emu_error() { return emu::lastError.c_str(); }
