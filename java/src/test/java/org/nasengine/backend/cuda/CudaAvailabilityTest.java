package org.nasengine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Availability is answered without throwing on any machine, with a reason a person can act on;
 * opening the backend where it is unavailable fails with that reason.
 */
class CudaAvailabilityTest {
    @Test
    void availabilityAndItsReasonAgree() {
        boolean available = CudaBackend.isAvailable();
        String reason = CudaBackend.unavailableReason();
        System.out.println("cuda backend: " + (available ? "available" : "unavailable: " + reason));
        if (available) assertNull(reason);
        else assertFalse(reason.isBlank(), "an unavailable backend says why");
        assertEquals(reason, CudaBackend.unavailableReason(), "answered once, the same each time");
        if (available) assertTrue(CudaBackend.deviceCount() >= 1, "an available backend has a device");
        else assertEquals(0, CudaBackend.deviceCount(), "no device to open where the backend is unavailable");
    }

    @Test
    void openingWhereUnavailableFailsWithTheReason() {
        String reason = CudaBackend.unavailableReason();
        if (reason == null) {
            try (CudaBackend be = new CudaBackend()) {
                assertEquals("cuda", be.name());
            }
            return;
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, CudaBackend::new);
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void cublasProbeNeverThrows() {
        String reason = CudaBackend.cublasUnavailableReason();
        System.out.println("cuBLAS: " + (reason == null ? "loadable" : reason));
        assertTrue(reason == null || reason.startsWith("cuBLAS 12 not loadable"), reason);
    }

    @Test
    void missingLibraryIsNamedFromJCudasMessage() {
        // the shape of JCuda's UnsatisfiedLinkError text when libcuda.so.1 is absent
        String message = """
                Error while loading native library "JCudaDriver-12.6.0-linux-x86_64"
                Stack trace from the attempt to load the library as a file:
                java.lang.UnsatisfiedLinkError: no JCudaDriver-12.6.0-linux-x86_64 in java.library.path: /usr/lib
                Stack trace from the attempt to load the library as a resource:
                java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open shared object file: No such file or directory
                """;
        assertEquals("no CUDA driver (libcuda.so.1 not found)",
                CudaProbe.libraryReason("no CUDA driver", "JCuda's driver library", new UnsatisfiedLinkError(message)));
        assertEquals("no CUDA driver (JCuda's driver library failed to load: boom)",
                CudaProbe.libraryReason("no CUDA driver", "JCuda's driver library", new UnsatisfiedLinkError("boom\nmore")));
    }
}
