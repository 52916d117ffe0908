package org.nasengine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.backend.ref.JavaBackend;

/**
 * Deterministic mode (--deterministic): with several threads, the sums whose order the schedule
 * decided (a convolution's weight gradient, the sum of squares of gradient clipping) come out the
 * same to the bit on every call, and still agree with the reference.
 */
class NativeDeterminismTest {
    private static final ConvGeometry G = ConvGeometry.same(32, 8, 14, 14, 16, 3, 3, 1, 1, 1); // x (32, 8, 14, 14), w (16, 8, 3, 3)

    private static float[] random(int n, Random r) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    /** The weight gradient of one backward pass, on fresh buffers. */
    private static float[] weightGradient(Backend be, float[] x, float[] w, float[] dy) {
        Buffer bx = be.allocate(x.length), bw = be.allocate(w.length), bdy = be.allocate(dy.length);
        Buffer bdx = be.allocate(x.length), bdw = be.allocate(w.length);
        be.write(x, bx, 0);
        be.write(w, bw, 0);
        be.write(dy, bdy, 0);
        be.fill(bdx, 0, x.length, 0f);
        be.fill(bdw, 0, w.length, 0f);
        be.conv2dBackward(G, bx, bw, bdy, bdx, bdw);
        float[] out = new float[w.length];
        be.read(bdw, 0, out);
        for (Buffer b : new Buffer[] {bx, bw, bdy, bdx, bdw}) be.release(b);
        return out;
    }

    @Test
    void sumsComeOutTheSameToTheBitWithSeveralThreads() {
        assumeTrue(NativeBackend.isAvailable(), () -> "native backend unavailable: " + NativeBackend.unavailableReason());
        Random r = new Random(3);
        float[] x = random(G.n() * G.cin() * G.h() * G.w(), r), w = random(G.cout() * G.cin() * 9, r);
        float[] dy = random(G.n() * G.cout() * G.outH() * G.outW(), r);
        int threadsBefore = NativeBackend.threads();
        boolean modeBefore = NativeBackend.deterministic();
        try (NativeBackend be = new NativeBackend(); JavaBackend ref = new JavaBackend()) {
            float[] expected = weightGradient(ref, x, w, dy);
            for (int threads : new int[] {2, 3}) {
                NativeBackend.setThreads(threads);
                NativeBackend.setDeterministic(false);
                Set<Integer> free = new HashSet<>();
                for (int rep = 0; rep < 10; rep++) free.add(Arrays.hashCode(weightGradient(be, x, w, dy)));

                NativeBackend.setDeterministic(true);
                assertTrue(NativeBackend.deterministic());
                float[] first = weightGradient(be, x, w, dy);
                for (int rep = 0; rep < 10; rep++)
                    assertTrue(Arrays.equals(first, weightGradient(be, x, w, dy)), threads + " threads, call " + rep + ": not the same bits");
                for (int i = 0; i < first.length; i++)
                    assertTrue(Math.abs(first[i] - expected[i]) <= 1e-3 + 1e-4 * Math.abs(expected[i]),
                            "dw[" + i + "] of (16, 8, 3, 3): " + first[i] + " vs reference " + expected[i]);

                Buffer bx = be.allocate(x.length);
                be.write(x, bx, 0);
                double sum = be.sumOfSquares(x.length, bx);
                for (int rep = 0; rep < 10; rep++) assertEquals(sum, be.sumOfSquares(x.length, bx), 0.0, "sum of squares, call " + rep);
                be.release(bx);
                System.out.printf("%d threads: %d distinct weight gradients in 10 calls without --deterministic, 1 with%n", threads,
                        free.size());
            }
        } finally {
            NativeBackend.setThreads(threadsBefore);
            NativeBackend.setDeterministic(modeBefore);
        }
    }
}
