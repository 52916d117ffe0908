package org.nasengine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nasengine.backend.BackendConformanceTest;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.ConvGeometry;

/**
 * The conformance suite plus what is particular to the CUDA backend: joins wider than one
 * launch, ids checked on the device, convolution scratch served by the pool, transfers longer
 * than the staging buffer. Run on a GPU by
 * {@link CudaBackendTest} and on the host emulator of the kernels by {@link CudaEmulatedTest}.
 */
abstract class CudaBackendContract extends BackendConformanceTest {

    @Test
    void convScratchComesFromThePoolAfterTheFirstStep() {
        ConvGeometry g = ConvGeometry.same(4, 6, 9, 9, 8, 3, 3, 1, 1, 1);
        Twin x = random(g.inputLength()), w = random(g.weightLength()), dy = random(g.outputLength());
        Twin y = poisoned(g.outputLength()), dx = random(g.inputLength()), dw = random(g.weightLength());
        cand.conv2d(g, c(x), c(w), c(y));
        cand.conv2dBackward(g, c(x), c(w), c(dy), c(dx), c(dw));
        long fresh = cand.poolStats().freshAllocations();
        for (int step = 0; step < 3; step++) {
            cand.conv2d(g, c(x), c(w), c(y));
            cand.conv2dBackward(g, c(x), c(w), c(dy), c(dx), c(dw));
        }
        assertEquals(fresh, cand.poolStats().freshAllocations(), "a steady-state step allocated device memory");
    }

    @Test
    void transfersLongerThanTheStagingBufferGoInPieces() {
        int n = DeviceApi.STAGING_BYTES / Float.BYTES * 2 + 12345;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) values[i] = i * 0.5f;
        Buffer b = cand.allocate(n);
        cand.write(values, b, 0);
        float[] back = new float[n];
        cand.read(b, 0, back);
        cand.release(b);
        assertClose("write then read", "(" + n + ")", values, back, 0, 0);
    }

    @Test
    void joinsWiderThanOneLaunch() {
        // 20 inputs: two launches of the one join kernel, the second starting at channel offset 16+
        int k = 20;
        int[] c = new int[k], h = new int[k], w = new int[k];
        for (int i = 0; i < k; i++) {
            c[i] = 1 + i % 3;
            h[i] = 3 + i % 4;
            w[i] = 2 + i % 5;
        }
        org.nasengine.backend.JoinGeometry j = org.nasengine.backend.JoinGeometry.of(2, c, h, w);
        Twin[] in = new Twin[k];
        Buffer[] inR = new Buffer[k], inC = new Buffer[k], dR = new Buffer[k], dC = new Buffer[k];
        Twin[] dIn = new Twin[k];
        for (int i = 0; i < k; i++) {
            in[i] = random(j.inputLength(i));
            inR[i] = r(in[i]);
            inC[i] = c(in[i]);
            dIn[i] = i % 7 == 3 ? null : random(j.inputLength(i));   // a few gradients unwanted
            dR[i] = r(dIn[i]);
            dC[i] = c(dIn[i]);
        }
        Twin out = poisoned(j.outputLength()), dOut = random(j.outputLength());
        ref.padConcat(j, inR, r(out));
        cand.padConcat(j, inC, c(out));
        assertClose("padConcat of 20", "out " + j.outH() + "x" + j.outW(), out, j.outputLength(), 0, 0);
        ref.padConcatBackward(j, r(dOut), dR);
        cand.padConcatBackward(j, c(dOut), dC);
        for (int i = 0; i < k; i++)
            if (dIn[i] != null) assertClose("padConcatBackward of 20, input " + i, "", dIn[i], j.inputLength(i), 0, 0);
    }

    @Test
    void aBadGatherIdIsNamedWithItsValue() {
        Twin table = random(12), ids = ints(new int[] {0, 2, 40, 1}), out = poisoned(8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cand.gatherRows(4, 2, c(table), c(ids), c(out)));
        assertTrue(e.getMessage().contains("ids[2] (40)"), e.getMessage());
    }
}
