package org.nasengine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Buffer;

/**
 * The CUDA backend on a real GPU against the reference: the whole conformance suite and the CUDA
 * specifics, with cuBLAS when libcublas.so.12 loads (CudaOwnGemmTest forces our kernel).
 * Skips, saying why, where there is no driver, no device or no kernels in the build.
 */
class CudaBackendTest extends CudaBackendContract {
    @Override
    protected Backend candidate() {
        Assumptions.assumeTrue(CudaBackend.isAvailable(), () -> "no CUDA GPU: " + CudaBackend.unavailableReason());
        return new CudaBackend();
    }

    @Test
    void namesItsDeviceAndGemm() {
        CudaBackend be = (CudaBackend) cand;
        System.out.println("cuda: " + be.deviceDescription() + ", GEMM " + be.gemmPath());
        assertTrue(be.deviceDescription().startsWith("device 0 ("), be.deviceDescription());
        GemmPath expected = CudaBackend.cublasUnavailableReason() == null ? GemmPath.CUBLAS : GemmPath.KERNEL;
        assertEquals(expected, be.gemmPath());
    }

    @Test
    void buffersOfAnotherCudaBackendAreRejected() {
        // same device, same primary context, but another pool: caught on entry, before the device sees it
        try (CudaBackend other = new CudaBackend()) {
            Buffer foreign = other.allocate(16);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cand.scale(16, 2f, foreign));
            assertNotNull(e.getMessage());
            assertTrue(e.getMessage().startsWith("scale: x"), e.getMessage());
        }
    }
}
