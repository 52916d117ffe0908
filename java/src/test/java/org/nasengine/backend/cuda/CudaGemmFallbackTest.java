package org.nasengine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import jcuda.CudaException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.Gemm;

/**
 * The choice of GEMM when libcublas.so.12 loads but cuBLAS fails to start (cublasCreate or
 * cublasSetStream throwing), through the backend's GEMM seam on the kernel emulator: automatic
 * mode falls back to our kernel, an explicit cuBLAS request fails with the reason and the device.
 */
class CudaGemmFallbackTest {
    /** What JCublas2 throws when cublasCreate fails (exceptions enabled). */
    private static final Supplier<GemmEngine> FAILING_CUBLAS = () -> {
        throw new CudaException("CUBLAS_STATUS_NOT_INITIALIZED");
    };

    @BeforeEach
    void needsTheEmulator() {
        Assumptions.assumeTrue(EmulatedDevice.unavailableReason() == null, EmulatedDevice::unavailableReason);
    }

    @Test
    void autoUsesOurKernelWhenCublasFailsToStart() {
        try (CudaBackend be = new CudaBackend(new EmulatedDevice(),
                d -> GemmChoice.open(d, GemmPath.AUTO, null, FAILING_CUBLAS))) {
            assertEquals(GemmPath.KERNEL, be.gemmPath());
            // (2 x 3) (3 x 2): the fallback computes
            Buffer a = be.allocate(6), b = be.allocate(6), c = be.allocate(4);
            be.write(new float[] {1, 2, 3, 4, 5, 6}, a, 0);
            be.write(new float[] {1, 0, 0, 1, 1, 1}, b, 0);
            be.gemm(Gemm.of(false, false, 2, 2, 3, 0f), a, b, c);
            float[] out = new float[4];
            be.read(c, 0, out);
            assertArrayEquals(new float[] {4, 5, 10, 11}, out);
        }
    }

    @Test
    void cublasAskedForFailsWithTheReasonAndClosesTheDevice() {
        EmulatedDevice dev = new EmulatedDevice();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new CudaBackend(dev, d -> GemmChoice.open(d, GemmPath.CUBLAS, null, FAILING_CUBLAS)));
        assertTrue(e.getMessage().contains("CUBLAS_STATUS_NOT_INITIALIZED") && e.getMessage().contains(dev.describe()),
                e.getMessage());
        assertThrows(IllegalStateException.class, dev::makeCurrent, "the failed backend must close its device");
    }

    @Test
    void cublasIsUsedWhenItStarts() {
        GemmEngine[] opened = new GemmEngine[1];
        Supplier<GemmEngine> fakeCublas = () -> opened[0] = new GemmEngine() {
            @Override public GemmPath path() { return GemmPath.CUBLAS; }
            @Override public void run(GemmCall call) { throw new UnsupportedOperationException(); }
            @Override public void close() {}
        };
        try (CudaBackend be = new CudaBackend(new EmulatedDevice(),
                d -> GemmChoice.open(d, GemmPath.AUTO, null, fakeCublas))) {
            assertEquals(GemmPath.CUBLAS, be.gemmPath());
            assertSame(GemmPath.CUBLAS, opened[0].path());
        }
    }

    @Test
    void aReasonNotToTryCublasIsNotAFailure() {
        try (CudaBackend be = new CudaBackend(new EmulatedDevice(),
                d -> GemmChoice.open(d, GemmPath.AUTO, "cuBLAS 12 not loadable (libcublas.so.12 not found)",
                        () -> { throw new AssertionError("cuBLAS must not be tried"); }))) {
            assertEquals(GemmPath.KERNEL, be.gemmPath());
        }
    }
}
