package org.nasengine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nasengine.autograd.LstmCell.State;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/** Modules: parameter bookkeeping, modes, deterministic init and forward shapes and values. */
class ModuleTest {
    private final JavaBackend be = new JavaBackend();

    @AfterEach
    void close() {
        be.close();
    }

    /** A two-layer composite, to see parameters and modes flow through children. */
    private static final class Net extends Module {
        final Conv2d conv;
        final BatchNorm2d bn;

        Net(JavaBackend be) {
            conv = registerChild(new Conv2d(be, Init.rng(1), 3, 4, 3, 3, 1));
            bn = registerChild(new BatchNorm2d(be, 4));
        }
    }

    @Test
    void parametersAndCountsFollowTheSpecFormula() {
        try (Net net = new Net(be)) {
            // conv kh*kw*cin*filters + batch norm 2*filters; running statistics are not parameters
            assertEquals(3 * 3 * 3 * 4 + 2 * 4, net.parameterCount());
            assertEquals(List.of(net.conv.weight(), net.bn.gamma(), net.bn.beta()), net.parameters());
            assertEquals(List.of(net.bn.runningMean(), net.bn.runningVar()), net.stateTensors());
        }
        try (Conv2d c = new Conv2d(be, Init.rng(1), 2, 6, 1, 3, 1, 1, 2, true)) {
            assertEquals(6 * 1 * 1 * 3 + 6, c.parameterCount());
        }
    }

    @Test
    void modeReachesChildren() {
        try (Net net = new Net(be)) {
            assertTrue(net.bn.isTraining());
            net.eval();
            assertFalse(net.bn.isTraining());
            assertFalse(net.conv.isTraining());
            net.train();
            assertTrue(net.bn.isTraining());
        }
    }

    @Test
    void parametersOutliveAnOpenScope() {
        Linear fc;
        try (Scope s = Scope.open()) {
            fc = new Linear(be, Init.rng(3), 4, 2, true);
        }
        assertEquals(8, fc.weight().toArray().length); // would throw "used after close" if the scope owned it
        fc.close();
    }

    @Test
    void initIsDeterministicAndBounded() {
        try (Conv2d a = new Conv2d(be, Init.rng(42), 8, 16, 3, 3, 1);
             Conv2d b = new Conv2d(be, Init.rng(42), 8, 16, 3, 3, 1);
             Conv2d c = new Conv2d(be, Init.rng(43), 8, 16, 3, 3, 1)) {
            float[] wa = a.weight().toArray();
            assertArrayEquals(wa, b.weight().toArray());
            assertFalse(Arrays.equals(wa, c.weight().toArray()));
            double bound = Math.sqrt(6.0 / (8 * 9)), maxAbs = 0, sumSq = 0;
            for (float v : wa) {
                maxAbs = Math.max(maxAbs, Math.abs(v));
                sumSq += v * v;
            }
            assertTrue(maxAbs <= bound, "He-uniform weight " + maxAbs + " beyond " + bound);
            // U(-b, b) has variance b^2/3 = 2/fanIn
            assertEquals(2.0 / 72, sumSq / wa.length, 0.2 * 2.0 / 72);
        }
        try (LstmCell cell = new LstmCell(be, Init.rng(1), 3, 5, 0.1f)) {
            for (Tensor p : cell.parameters())
                for (float v : p.toArray()) assertTrue(Math.abs(v) <= 0.1f, "LSTM init " + v + " outside [-0.1, 0.1]");
        }
    }

    @Test
    void convShapesAndBias() {
        try (Scope s = Scope.open(); Conv2d conv = new Conv2d(be, Init.rng(5), 2, 3, 3, 3, 2, 1, 1, true)) {
            be.write(new float[] {1f, 2f, 3f}, conv.bias().data(), 0);
            Tensor y = conv.forward(Tensor.zeros(be, 2, 2, 7, 5));
            assertArrayEquals(new int[] {2, 3, 4, 3}, y.shape()); // ceil(7/2), ceil(5/2)
            float[] v = y.toArray();
            assertEquals(1f, v[0]);
            assertEquals(3f, v[v.length - 1]); // zero input: the output is the bias of its channel
        }
    }

    @Test
    void linearComputesXWTransposePlusB() {
        try (Scope s = Scope.open(); Linear fc = new Linear(be, Init.rng(1), 2, 2, true)) {
            fc.weight().set(new float[] {1, 2, 3, 4});
            fc.bias().set(new float[] {10, 20});
            Tensor y = fc.forward(Tensor.of(be, new float[] {1, 1, 0, 2}, 2, 2));
            assertArrayEquals(new float[] {13, 27, 14, 28}, y.toArray());
        }
    }

    @Test
    void batchNormTrainsRunningStatisticsAndEvaluatesWithThem() {
        try (Scope s = Scope.open(); BatchNorm2d bn = new BatchNorm2d(be, 1, 1e-5f, 0.5f)) {
            Tensor x = Tensor.of(be, new float[] {1, 3, 5, 7}, 4, 1);   // mean 4, unbiased var 20/3
            float[] y = bn.forward(x).toArray();
            assertEquals(0f, y[0] + y[3], 1e-5f);
            assertEquals(2f, bn.runningMean().item(), 1e-6f);             // 0.5*0 + 0.5*4
            assertEquals(0.5f + 0.5f * 20f / 3, bn.runningVar().item(), 1e-5f);
            bn.eval();
            try (Tape.Guard g = Tape.noGrad()) {
                float expect = (float) ((1 - 2) / Math.sqrt(bn.runningVar().item() + 1e-5));
                assertEquals(expect, bn.forward(x).toArray()[0], 1e-5f);
            }
            var e = assertThrows(IllegalStateException.class, () -> bn.forward(x));
            assertTrue(e.getMessage().contains("noGrad"), e.getMessage());
        }
    }

    @Test
    void lstmModuleStepsAndTrainsEveryWeight() {
        try (Scope s = Scope.open(); LstmCell cell = new LstmCell(be, Init.rng(9), 3, 4)) {
            State st = cell.zeroState(2);
            for (int t = 0; t < 3; t++) st = cell.forward(Tensor.of(be, new float[] {1, -1, 0.5f, 0, 2, -2}, 2, 3), st);
            assertArrayEquals(new int[] {2, 4}, st.h().shape());
            st.h().sum().backward();
            for (Tensor p : cell.parameters()) {
                double norm = 0;
                for (float g : p.gradToArray()) norm += g * g;
                assertTrue(norm > 0, "no gradient reached " + p);
            }
        }
    }

    @Test
    void embeddingLooksUpRows() {
        try (Scope s = Scope.open(); Embedding emb = new Embedding(be, Init.rng(2), 5, 3, 0.1f)) {
            Tensor y = emb.forward(Tensor.ints(be, new int[] {4, 0}, 2));
            float[] table = emb.table().toArray();
            assertArrayEquals(Arrays.copyOfRange(table, 12, 15), Arrays.copyOfRange(y.toArray(), 0, 3));
        }
    }

    @Test
    void dropoutModuleDrawsAFreshMaskPerCallAndIsIdentityInEval() {
        try (Scope s = Scope.open(); Dropout d = new Dropout(0.5f, 77)) {
            Tensor x = Tensor.of(be, new float[64], 64);
            be.fill(x.data(), 0, 64, 1f);
            float[] first = d.forward(x).toArray(), second = d.forward(x).toArray();
            assertFalse(Arrays.equals(first, second), "two calls drew the same mask");
            try (Dropout again = new Dropout(0.5f, 77)) {
                assertArrayEquals(first, again.forward(x).toArray(), "same seed, different first mask");
            }
            d.eval();
            assertSame(x, d.forward(x));
            assertNotEquals(0f, first[0] + first[1] + first[2] + first[3] + first[4] + first[5] + first[6] + first[7]);
        }
    }
}
