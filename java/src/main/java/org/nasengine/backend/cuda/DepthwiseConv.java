package org.nasengine.backend.cuda;

import org.nasengine.backend.ConvGeometry;

/**
 * Convolutions with one input channel per group (depthwise, any channel multiplier; also a
 * single-channel input image): direct kernels in kernels/depthwise.cu, since a GEMM would have a
 * one-row operand there.
 */
final class DepthwiseConv implements ConvEngine {
    private final DeviceApi device;

    DepthwiseConv(DeviceApi device) {
        this.device = device;
    }

    @Override
    public boolean supports(ConvGeometry g) {
        return g.cin() / g.groups() == 1;
    }

    @Override
    public void forward(ConvGeometry g, CudaBuffer x, CudaBuffer w, CudaBuffer y) {
        device.launch1d(Kernel.DEPTHWISE_FWD, g.outputLength(), CudaStructs.conv(g), x, w, y);
    }

    @Override
    public void backward(ConvGeometry g, CudaBuffer x, CudaBuffer w, CudaBuffer dy, CudaBuffer dx, CudaBuffer dw) {
        byte[] args = CudaStructs.conv(g);
        if (dx != null) device.launch1d(Kernel.DEPTHWISE_BWD_DATA, g.inputLength(), args, w, dy, dx);
        // one block per weight, reducing over every image and output position
        if (dw != null)
            device.launch(Kernel.DEPTHWISE_BWD_FILTER, Math.toIntExact(g.weightLength()), 1, 1, DeviceApi.BLOCK,
                    args, x, dy, dw);
    }
}
