package org.nasengine.backend.ref;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nasengine.backend.ref.RefFixture.assertClose;
import static org.nasengine.backend.ref.RefFixture.buf;
import static org.nasengine.backend.ref.RefFixture.get;
import static org.nasengine.backend.ref.RefFixture.iota;

import org.junit.jupiter.api.Test;
import org.nasengine.backend.BatchNormSpec;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.JoinGeometry;

class JavaBackendNormJoinTest {
    private final JavaBackend be = new JavaBackend();

    // (n=2, c=2, spatial=2): channel 0 holds 1, 2, 3, 6 (mean 3, squared deviations 14);
    // channel 1 holds 10, 10, 10, 14 (mean 11, squared deviations 12)
    private static final double[] X = {1, 2, 10, 10, 3, 6, 10, 14};

    @Test
    void batchNormTrainingUsesBatchStatisticsAndUpdatesRunning() {
        float momentum = 0.1f;
        BatchNormSpec s = new BatchNormSpec(2, 2, 2, 0f, momentum, true);
        Buffer runMean = buf(be, 0, 0), runVar = buf(be, 1, 1), mean = be.allocate(2), invStd = be.allocate(2);
        Buffer y = be.allocate(8);
        be.batchNorm(s, buf(be, X), buf(be, 2, 1), buf(be, 1, 0), runMean, runVar, mean, invStd, y);
        double i0 = 1 / Math.sqrt(14 / 4.0), i1 = 1 / Math.sqrt(12 / 4.0);   // biased variance
        assertClose("saved mean", new double[] {3, 11}, get(be, mean, 2));
        assertClose("saved invStd", new double[] {i0, i1}, get(be, invStd, 2), 1e-15, 1e-14);
        assertClose("y (2,2,2)", new double[] {2 * -2 * i0 + 1, 2 * -1 * i0 + 1, -1 * i1, -1 * i1,
                1, 2 * 3 * i0 + 1, -1 * i1, 3 * i1}, get(be, y, 8), 1e-14, 1e-14);
        double m = momentum;
        assertClose("running mean", new double[] {m * 3, m * 11}, get(be, runMean, 2), 1e-15, 1e-14);
        // running variance takes the unbiased variance: 14/3 and 12/3
        assertClose("running var", new double[] {(1 - m) + m * 14 / 3, (1 - m) + m * 4}, get(be, runVar, 2), 1e-15, 1e-14);
    }

    @Test
    void batchNormEvalUsesRunningStatisticsAndLeavesSavedAlone() {
        BatchNormSpec s = new BatchNormSpec(2, 2, 2, 1f, 0.1f, false);
        Buffer runMean = buf(be, 1, 0), runVar = buf(be, 3, 0), y = be.allocate(8);
        Buffer saved = buf(be, 42, 42);
        be.batchNorm(s, buf(be, X), buf(be, 2, 1), buf(be, 1, 0), runMean, runVar, saved, null, y);
        // invStd = 1/sqrt(3+1) = 0.5 for channel 0 and 1/sqrt(0+1) = 1 for channel 1
        assertClose("eval y", new double[] {1, 2, 10, 10, 3, 6, 10, 14}, get(be, y, 8));
        assertClose("running mean untouched", new double[] {1, 0}, get(be, runMean, 2));
        assertClose("running var untouched", new double[] {3, 0}, get(be, runVar, 2));
        assertClose("saved untouched", new double[] {42, 42}, get(be, saved, 2));
    }

    @Test
    void batchNormBackwardOfConstantGradient() {
        // dy = 1 everywhere: dBeta = count, dGamma = sum xhat = 0, dx = 0; outputs accumulate
        BatchNormSpec s = new BatchNormSpec(2, 2, 2, 1e-5f, 0.1f, true);
        Buffer x = buf(be, X), mean = be.allocate(2), invStd = be.allocate(2);
        be.batchNorm(s, x, buf(be, 2, 1), buf(be, 0, 0), be.allocate(2), be.allocate(2), mean, invStd, be.allocate(8));
        Buffer dx = buf(be, 5, 5, 5, 5, 5, 5, 5, 5), dGamma = buf(be, 1, 1), dBeta = buf(be, 1, 1);
        be.batchNormBackward(s, x, buf(be, 2, 1), mean, invStd, buf(be, 1, 1, 1, 1, 1, 1, 1, 1), dx, dGamma, dBeta);
        assertClose("dx", new double[] {5, 5, 5, 5, 5, 5, 5, 5}, get(be, dx, 8), 1e-13, 0);
        assertClose("dGamma", new double[] {1, 1}, get(be, dGamma, 2), 1e-13, 0);
        assertClose("dBeta", new double[] {5, 5}, get(be, dBeta, 2));
    }

    @Test
    void batchNormBackwardRefusesEvalMode() {
        BatchNormSpec s = new BatchNormSpec(2, 2, 2, 1e-5f, 0.1f, false);
        var e = assertThrows(IllegalArgumentException.class, () -> be.batchNormBackward(s, buf(be, X), buf(be, 1, 1),
                buf(be, 0, 0), buf(be, 1, 1), be.allocate(8), be.allocate(8), null, null));
        assertTrue(e.getMessage().contains("training"), e.getMessage());
    }

    // input 0: (n=2, 1, 2x1); input 1: (n=2, 1, 5x4) -> out (2, 2, 5, 4).
    // Input 0 sits at top = (5-2)/2 = 1, left = (4-1)/2 = 1: the odd row goes to the bottom, the odd column right.
    private final JoinGeometry join = JoinGeometry.of(2, new int[] {1, 1}, new int[] {2, 5}, new int[] {1, 4});

    @Test
    void padConcatPlacesOddPaddingBottomRight() {
        double[] small = {1, 2, 3, 4};                 // (2, 1, 2, 1)
        double[] big = new double[40];                 // (2, 1, 5, 4)
        for (int i = 0; i < 40; i++) big[i] = 100 + i;
        Buffer out = be.allocate(80);
        be.fill(out, 0, 80, -7f);                      // overwritten, padding included
        be.padConcat(join, new Buffer[] {buf(be, small), buf(be, big)}, out);
        double[] expected = concat(
                plane(0, 0, 0, 0,
                      0, 1, 0, 0,
                      0, 2, 0, 0,
                      0, 0, 0, 0,
                      0, 0, 0, 0),
                java.util.Arrays.copyOfRange(big, 0, 20),
                plane(0, 0, 0, 0,
                      0, 3, 0, 0,
                      0, 4, 0, 0,
                      0, 0, 0, 0,
                      0, 0, 0, 0),
                java.util.Arrays.copyOfRange(big, 20, 40));
        assertClose("padConcat (2,2,5,4)", expected, get(be, out, 80));
    }

    @Test
    void padConcatBackwardSlicesWindowsAndSkipsNull() {
        Buffer dOut = buf(be, iota(80));   // value = flat index + 1
        Buffer dSmall = buf(be, 1, 1, 1, 1), dBig = be.allocate(40);
        be.padConcatBackward(join, dOut, new Buffer[] {dSmall, dBig});
        // small window: plane offsets 5 and 9 (rows 1-2, column 1) in batch 0 (base 0) and batch 1 (base 40)
        assertClose("dSmall (2,1,2,1)", new double[] {1 + 6, 1 + 10, 1 + 46, 1 + 50}, get(be, dSmall, 4));
        double[] expectedBig = new double[40];
        for (int i = 0; i < 20; i++) {
            expectedBig[i] = 21 + i;        // batch 0, channel 1 starts at flat 20
            expectedBig[20 + i] = 61 + i;   // batch 1, channel 1 starts at flat 60
        }
        assertClose("dBig (2,1,5,4)", expectedBig, get(be, dBig, 40));
        Buffer dSmall2 = be.allocate(4);
        be.padConcatBackward(join, dOut, new Buffer[] {dSmall2, null});
        assertClose("dSmall with dBig unwanted", new double[] {6, 10, 46, 50}, get(be, dSmall2, 4));
    }

    @Test
    void padConcatRejectsWrongInputCount() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> be.padConcat(join, new Buffer[] {be.allocate(4)}, be.allocate(80)));
        assertTrue(e.getMessage().contains("padConcat") && e.getMessage().contains("2 inputs"), e.getMessage());
    }

    private static double[] plane(double... v) { return v; }

    private static double[] concat(double[]... parts) {
        int n = 0;
        for (double[] p : parts) n += p.length;
        double[] out = new double[n];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
