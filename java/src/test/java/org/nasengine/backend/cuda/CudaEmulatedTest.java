package org.nasengine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.Backend;

/**
 * The CUDA backend's whole contract on the host emulator of our kernels: the Java orchestration
 * (offsets, leading dimensions, chunks, join tables, label checks) and the kernel code itself,
 * checked against the reference without a GPU. Our GEMM kernel, since cuBLAS needs a GPU. Skips
 * when the build found no nvcc (then kernels/, the emulator included, is not built).
 */
class CudaEmulatedTest extends CudaBackendContract {
    @Override
    protected Backend candidate() {
        Assumptions.assumeTrue(EmulatedDevice.unavailableReason() == null, EmulatedDevice::unavailableReason);
        return new CudaBackend(new EmulatedDevice(), GemmPath.KERNEL);
    }

    @Test
    void runsOurGemmKernelOnTheEmulator() {
        CudaBackend be = (CudaBackend) cand;
        assertEquals(GemmPath.KERNEL, be.gemmPath());
        assertTrue(be.deviceDescription().contains("emulator"), be.deviceDescription());
    }
}
