// The one translation unit behind nasengine_kernels.fatbin: the op families live in their own
// files and are compiled together so that a single fatbin (one module for cuModuleLoadData)
// holds every kernel, with SASS per architecture and PTX for newer ones.
#include "batchnorm.cu"
#include "depthwise.cu"
#include "elementwise.cu"
#include "gemm.cu"
#include "im2col.cu"
#include "join.cu"
#include "lstm.cu"
#include "optim.cu"
#include "pool.cu"
#include "rows.cu"
