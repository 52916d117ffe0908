package org.nasengine.backend.cuda;

import org.junit.jupiter.api.Assumptions;
import org.nasengine.backend.Backend;

/** The GEMM path contract for our kernel on the host emulator: both tile kernels, partial tiles, leading dimensions. */
class CudaEmulatedGemmTest extends CudaGemmPathContract {
    @Override
    GemmPath path() {
        return GemmPath.KERNEL;
    }

    @Override
    protected Backend candidate() {
        Assumptions.assumeTrue(EmulatedDevice.unavailableReason() == null, EmulatedDevice::unavailableReason);
        return new CudaBackend(new EmulatedDevice(), GemmPath.KERNEL);
    }
}
