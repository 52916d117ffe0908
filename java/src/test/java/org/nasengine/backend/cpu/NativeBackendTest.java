package org.nasengine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.nasengine.backend.Backend;
import org.nasengine.backend.BackendConformanceTest;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.ConvGeometry;

/** The native backend against the reference: the whole conformance suite, plus native specifics. */
class NativeBackendTest extends BackendConformanceTest {

    @Override
    protected Backend candidate() {
        assumeTrue(NativeBackend.isAvailable(), () -> "native backend unavailable: " + NativeBackend.unavailableReason());
        return new NativeBackend();
    }

    @Test
    void reportsBlasAndThreads() {
        assertNull(NativeBackend.unavailableReason(), "a loaded library has no unavailability reason");
        String info = NativeBackend.blasInfo();
        assertTrue(info.contains("OpenBLAS") && info.contains("openmp threads"), info);
        if (System.getenv("OMP_WAIT_POLICY") == null && System.getenv("GOMP_SPINCOUNT") == null
                && System.getProperty(NativeLibrary.WAIT_PROPERTY) == null)
            assertTrue(info.contains("wait policy passive"), "idle OpenMP threads should sleep by default: " + info);
        int before = NativeBackend.threads();
        try {
            NativeBackend.setThreads(1);
            assertEquals(1, NativeBackend.threads());
        } finally {
            NativeBackend.setThreads(before);
        }
        assertEquals("cpu", cand.name());
    }

    @Test
    void buffersAre64ByteAligned() {
        for (long n : new long[] {1, 17, 1000, 123_457}) {
            Buffer b = cand.allocate(n);
            long address = ((NativeBuffer) b).segment().address();
            assertEquals(0, address % 64, "buffer of " + n + " at 0x" + Long.toHexString(address));
            cand.release(b);
        }
    }

    @Test
    void convScratchIsReusedAcrossCalls() {
        NativeBackend be = (NativeBackend) cand;
        ConvGeometry g = ConvGeometry.same(4, 8, 10, 10, 8, 3, 3, 1, 1, 1);
        Twin x = random(g.inputLength()), w = random(g.weightLength()), y = poisoned(g.outputLength());
        be.conv2d(g, c(x), c(w), c(y));
        long held = be.workspaceBytes();
        assertTrue(held > 0, "the first conv should have grown the scratch");
        for (int i = 0; i < 3; i++) be.conv2d(g, c(x), c(w), c(y));
        assertEquals(held, be.workspaceBytes(), "same shapes must not grow the scratch again");
    }

    @Test
    void singleThreadGivesTheSameResults() {
        int before = NativeBackend.threads();
        try {
            NativeBackend.setThreads(1);
            ConvGeometry g = ConvGeometry.same(3, 5, 9, 9, 6, 3, 3, 2, 1, 1);
            Twin x = random(g.inputLength()), w = random(g.weightLength()), y = poisoned(g.outputLength());
            ref.conv2d(g, r(x), r(w), r(y));
            cand.conv2d(g, c(x), c(w), c(y));
            assertClose("conv2d on one thread", g.toString(), y, g.outputLength(), SUM_ATOL, SUM_RTOL);
        } finally {
            NativeBackend.setThreads(before);
        }
    }

    @Test
    void explainsAMissingDependency() {
        String reason = NativeLibrary.explain(
                "/tmp/libnasengine123.so: libopenblas.so.0: cannot open shared object file: No such file or directory");
        assertTrue(reason.startsWith("libopenblas.so.0 not found"), reason);
    }
}
