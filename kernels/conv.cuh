// The convolution geometry shared by im2col.cu and depthwise.cu.
#pragma once

#include "common.cuh"

// ConvGeometry plus its derived output size: sixteen int32, 64 bytes, in this order.
struct ConvArgs {
  int n, cin, h, w, cout, kh, kw, strideH, strideW, padH, padW, dilH, dilW, groups, outH, outW;
};
static_assert(sizeof(ConvArgs) == 64, "ConvArgs must match CudaStructs.conv");
