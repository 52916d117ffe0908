package org.nasengine.backend.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nasengine.backend.ref.RefFixture.assertClose;
import static org.nasengine.backend.ref.RefFixture.buf;
import static org.nasengine.backend.ref.RefFixture.get;
import static org.nasengine.backend.ref.RefFixture.ints;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.DropoutHash;

class JavaBackendRowsTest {
    private final JavaBackend be = new JavaBackend();
    private static final double LN2 = Math.log(2), LN3 = Math.log(3);

    @Test
    void logSoftmaxValuesStableForLargeLogits() {
        // row 0: exp = 1, 2, 3 so softmax = 1/6, 2/6, 3/6; row 1 would overflow exp without the max shift
        Buffer y = be.allocate(6);
        be.logSoftmax(2, 3, buf(be, 0, LN2, LN3, 1000, 1000, 1000), y);
        double l3 = -Math.log(3);
        assertClose("logSoftmax (2,3)", new double[] {Math.log(1 / 6.0), Math.log(2 / 6.0), Math.log(3 / 6.0), l3, l3, l3},
                get(be, y, 6), 1e-15, 1e-14);
        Buffer dx = buf(be, 1, 1, 1, 0, 0, 0);
        be.logSoftmaxBackward(2, 3, y, buf(be, 1, 0, 0, 0, 0, 3), dx);
        // dx += dy - softmax * sum(dy)
        assertClose("logSoftmax dx", new double[] {1 + 1 - 1 / 6.0, 1 - 2 / 6.0, 1 - 3 / 6.0, -1, -1, 3 - 1},
                get(be, dx, 6), 1e-15, 1e-14);
    }

    @Test
    void softmaxCrossEntropyValueProbsAndGradient() {
        Buffer logits = buf(be, 0, LN2, LN3, 5, 5, 5, 1000, 0, 0);   // (3, 3)
        Buffer labels = ints(be, 1, 2, 1);
        Buffer probs = be.allocate(9), loss = be.allocate(3);
        be.softmaxCrossEntropy(3, 3, logits, labels, probs, loss);
        // row 0: -log(2/6) = ln 3; row 1: uniform, ln 3; row 2: 1000 + log(1 + 2e-1000) = 1000, finite
        assertClose("loss (3)", new double[] {LN3, LN3, 1000}, get(be, loss, 3), 1e-15, 1e-14);
        double t = 1 / 3.0;
        assertClose("probs (3,3)", new double[] {1 / 6.0, t, 0.5, t, t, t, 1, 0, 0}, get(be, probs, 9), 1e-15, 1e-14);
        Buffer dLogits = buf(be, 0, 0, 0, 0, 0, 0, 7, 7, 7);
        be.softmaxCrossEntropyBackward(3, 3, probs, labels, buf(be, 1, 2, 0), dLogits);
        assertClose("dLogits (3,3)", new double[] {1 / 6.0, t - 1, 0.5, 2 * t, 2 * t, 2 * t - 2, 7, 7, 7},
                get(be, dLogits, 9), 1e-15, 1e-14);
    }

    @Test
    void softmaxCrossEntropyRejectsLabelOutOfRange() {
        var e = assertThrows(IllegalArgumentException.class, () -> be.softmaxCrossEntropy(2, 3,
                buf(be, 0, 0, 0, 0, 0, 0), ints(be, 0, 3), be.allocate(6), be.allocate(2)));
        assertTrue(e.getMessage().contains("labels[1]") && e.getMessage().contains("[0, 3)"), e.getMessage());
    }

    @Test
    void gatherRowsAndScatterAddBack() {
        Buffer table = buf(be, 1, 2, 3, 4, 5, 6);   // (3, 2)
        Buffer ids = ints(be, 2, 0, 2), out = be.allocate(6);
        be.gatherRows(3, 2, table, ids, out);
        assertClose("gather (3,2)", new double[] {5, 6, 1, 2, 5, 6}, get(be, out, 6));
        Buffer dTable = be.allocate(6);
        be.gatherRowsBackward(3, 2, buf(be, 1, 1, 2, 2, 3, 3), ids, dTable);
        assertClose("dTable (3,2), repeated id accumulates", new double[] {2, 2, 0, 0, 4, 4}, get(be, dTable, 6));
        assertThrows(IllegalArgumentException.class, () -> be.gatherRows(1, 2, table, ints(be, -1), out));
        assertThrows(IllegalArgumentException.class, () -> be.gatherRows(1, 2, table, ints(be, 100), out));
    }

    @Test
    void dropoutMaskFollowsTheSharedHash() {
        int n = 2000;
        float keep = 0.75f;
        Buffer mask = be.allocate(n);
        be.dropoutMask(n, keep, 42L, mask);
        double[] m = get(be, mask, n);
        double scale = 1f / keep;   // what a float32 backend computes
        int kept = 0;
        for (int i = 0; i < n; i++) {
            double expected = DropoutHash.uniform(42L, i) < keep ? scale : 0;
            assertEquals(expected, m[i], 0.0, "mask[" + i + "]");
            if (m[i] != 0) kept++;
        }
        assertEquals(0.75, kept / (double) n, 0.05, "kept fraction");
        Buffer other = be.allocate(n);
        be.dropoutMask(n, keep, 43L, other);
        assertNotEquals(Arrays.toString(m), Arrays.toString(get(be, other, n)), "another seed, another mask");
        be.dropoutMask(n, 1f, 42L, other);
        double[] ones = new double[n];
        Arrays.fill(ones, 1);
        assertClose("keep 1", ones, get(be, other, n));
        assertThrows(IllegalArgumentException.class, () -> be.dropoutMask(4, 0f, 1L, mask));
    }

    // hidden 2: sigmoid(0) = 1/2, sigmoid(ln 3) = 3/4, sigmoid(-ln 3) = 1/4, tanh(ln 2) = 3/5
    // unit 0: i=0, f=ln3, g=ln2, o=0;  unit 1: i=ln3, f=-ln3, g=0, o=ln3
    private static final double[] GATES = {0, LN3, LN3, -LN3, LN2, 0, 0, LN3};   // (1, [i|f|g|o] x 2)
    private static final double[] C_PREV = {2, -4};

    @Test
    void lstmCellForwardValues() {
        Buffer c = be.allocate(2), h = be.allocate(2);
        be.lstmCell(1, 2, buf(be, GATES), buf(be, C_PREV), c, h);
        // c0 = 3/4*2 + 1/2*3/5 = 1.8; c1 = 1/4*-4 + 3/4*0 = -1
        assertClose("c", new double[] {1.8, -1}, get(be, c, 2), 1e-15, 1e-14);
        assertClose("h", new double[] {0.5 * Math.tanh(1.8), 0.75 * Math.tanh(-1)}, get(be, h, 2), 1e-15, 1e-14);
    }

    @Test
    void lstmCellBackwardByHandWithNullGradients() {
        Buffer gates = buf(be, GATES), cPrev = buf(be, C_PREV), c = be.allocate(2), h = be.allocate(2);
        be.lstmCell(1, 2, gates, cPrev, c, h);
        // dh = (1, 0), dc null: only unit 0 moves
        Buffer dGates = be.allocate(8), dcPrev = be.allocate(2);
        be.lstmCellBackward(1, 2, gates, cPrev, c, buf(be, 1, 0), null, dGates, dcPrev);
        double tc = Math.tanh(1.8), dcT = 0.5 * (1 - tc * tc);
        assertClose("dGates from dh", new double[] {dcT * 0.6 * 0.25, 0, dcT * 2 * 0.75 * 0.25, 0,
                dcT * 0.5 * (1 - 0.36), 0, tc * 0.25, 0}, get(be, dGates, 8), 1e-15, 1e-13);
        assertClose("dcPrev from dh", new double[] {dcT * 0.75, 0}, get(be, dcPrev, 2), 1e-15, 1e-13);
        // then dc = (0, 1), dh null, accumulating: unit 1 gets dcTotal = 1
        be.lstmCellBackward(1, 2, gates, cPrev, c, null, buf(be, 0, 1), dGates, dcPrev);
        assertClose("dGates accumulated", new double[] {dcT * 0.6 * 0.25, 0, dcT * 2 * 0.75 * 0.25, -4 * 0.25 * 0.75,
                dcT * 0.5 * (1 - 0.36), 0.75, tc * 0.25, 0}, get(be, dGates, 8), 1e-15, 1e-13);
        assertClose("dcPrev accumulated", new double[] {dcT * 0.75, 0.25}, get(be, dcPrev, 2), 1e-15, 1e-13);
    }
}
