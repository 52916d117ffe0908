package org.nasengine.backend.cuda;

import org.nasengine.backend.ConvGeometry;

/**
 * One way of running a convolution on the device. CudaBackend asks its engines in order and uses
 * the first that supports the geometry: direct depthwise kernels, then im2col + GEMM for the
 * rest. A cuDNN engine would go first in that list.
 */
interface ConvEngine {
    boolean supports(ConvGeometry g);

    /** y (n, cout, outH, outW) = x (n, cin, h, w) * w (cout, cin/groups, kh, kw); y overwritten. */
    void forward(ConvGeometry g, CudaBuffer x, CudaBuffer w, CudaBuffer y);

    /** dx += ..., dw += ...; either may be null (not wanted). */
    void backward(ConvGeometry g, CudaBuffer x, CudaBuffer w, CudaBuffer dy, CudaBuffer dx, CudaBuffer dw);
}
