package org.nasengine.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/** Reductions, log-softmax, cross-entropy, embedding, dropout and the LSTM cell. */
class RowGradTest {
    private final JavaBackend be = new JavaBackend();
    private final GradCheck gc = new GradCheck(be, 53);
    private final Scope scope = Scope.open();

    @AfterEach
    void close() {
        scope.close();
        be.close();
    }

    @Test
    void reductionsToScalar() {
        gc.check("sum", List.of(gc.input(2, 3, 4)), in -> List.of(Reductions.sum(in.get(0))));
        gc.check("mean", List.of(gc.input(2, 3, 4)), in -> List.of(Reductions.mean(in.get(0))));
    }

    @Test
    void reductionsAlongAxes() {
        Tensor x = gc.input(2, 3, 4, 5);
        gc.check("sum axis 1", List.of(x), in -> List.of(Reductions.sum(in.get(0), false, 1)));
        gc.check("sum axes 0,2 keepDims", List.of(x), in -> List.of(Reductions.sum(in.get(0), true, 0, 2)));
        gc.check("mean axis -1", List.of(x), in -> List.of(Reductions.mean(in.get(0), false, -1)));
        gc.check("mean axes 2,3", List.of(x), in -> List.of(Reductions.mean(in.get(0), true, 2, 3)));
    }

    @Test
    void reductionValuesAndShapes() {
        Tensor x = Tensor.of(be, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new float[] {21}, Reductions.sum(x).toArray());
        assertArrayEquals(new float[] {3.5f}, Reductions.mean(x).toArray());
        assertArrayEquals(new float[] {5, 7, 9}, Reductions.sum(x, false, 0).toArray());
        assertArrayEquals(new int[] {2, 1}, Reductions.mean(x, true, 1).shape());
        assertArrayEquals(new float[] {2, 5}, Reductions.mean(x, true, 1).toArray());
    }

    @Test
    void logSoftmax() {
        gc.check("log-softmax (4,5)", List.of(gc.uniform(-3, 3, 4, 5)), in -> List.of(LogSoftmax.logSoftmax(in.get(0))));
        gc.check("log-softmax (2,3,4)", List.of(gc.uniform(-3, 3, 2, 3, 4)), in -> List.of(LogSoftmax.logSoftmax(in.get(0))));
    }

    @Test
    void crossEntropy() {
        Tensor labels = gc.ints(5, 6);
        gc.check("softmax cross-entropy", List.of(gc.uniform(-3, 3, 6, 5), labels),
                in -> List.of(CrossEntropy.softmaxCrossEntropy(in.get(0), in.get(1))));
        gc.check("per-row cross-entropy", List.of(gc.uniform(-3, 3, 6, 5), labels),
                in -> List.of(CrossEntropy.perRow(in.get(0), in.get(1))));
    }

    @Test
    void crossEntropyValue() {
        // uniform logits over 4 classes: loss log 4 whatever the labels
        Tensor loss = CrossEntropy.softmaxCrossEntropy(Tensor.zeros(be, 3, 4), Tensor.ints(be, new int[] {0, 3, 1}, 3));
        assertEquals(Math.log(4), loss.item(), 1e-6);
    }

    @Test
    void embedding() {
        // ids repeat, so two rows of the table collect two gradients each
        Tensor ids = Tensor.ints(be, new int[] {1, 3, 1, 0, 3, 2}, 2, 3);
        gc.check("embedding", List.of(gc.input(4, 3), ids), in -> List.of(Embedding.lookup(in.get(0), in.get(1))));
        assertArrayEquals(new int[] {2, 3, 5}, Embedding.lookup(Tensor.zeros(be, 4, 5), ids).shape());
    }

    @Test
    void dropoutWithFixedMask() {
        gc.check("dropout keep 0.6", List.of(gc.input(4, 5)), in -> List.of(Dropout.dropout(in.get(0), 0.6f, 99, true)));
    }

    @Test
    void dropoutDropsAndScales() {
        Tensor x = Tensor.of(be, new float[1000], 1000);
        be.fill(x.data(), 0, 1000, 1f);
        float[] y = Dropout.dropout(x, 0.75f, 7, true).toArray();
        int kept = 0;
        for (float v : y) {
            if (v != 0f) {
                assertEquals(1 / 0.75f, v, 1e-6f);
                kept++;
            }
        }
        assertEquals(750, kept, 60, "kept " + kept + " of 1000 at keep 0.75");
        assertNotEquals(0, 1000 - kept);
        assertSame(x, Dropout.dropout(x, 0.75f, 7, false));
        try (Tape.Guard g = Tape.noGrad()) {
            assertSame(x, Dropout.dropout(x, 0.75f, 7, true));
        }
    }

    @Test
    void lstmCellBothOutputs() {
        gc.check("lstm cell (c, h)", List.of(gc.uniform(-2, 2, 3, 8), gc.input(3, 2)), in -> {
            LstmCell.State s = LstmCell.step(in.get(0), in.get(1));
            return List.of(s.c(), s.h());
        });
    }

    @Test
    void lstmCellOneOutput() {
        gc.check("lstm cell (h only)", List.of(gc.uniform(-2, 2, 2, 12), gc.input(2, 3)),
                in -> List.of(LstmCell.step(in.get(0), in.get(1)).h()));
        gc.check("lstm cell (c only)", List.of(gc.uniform(-2, 2, 2, 12), gc.input(2, 3)),
                in -> List.of(LstmCell.step(in.get(0), in.get(1)).c()));
    }

    @Test
    void lstmTwoStepsThroughTime() {
        // c and h of step 1 feed step 2: the tape must run step 2's backward before step 1's
        gc.check("lstm unrolled 2 steps", List.of(gc.uniform(-2, 2, 2, 8), gc.uniform(-2, 2, 2, 8), gc.input(2, 2)), in -> {
            LstmCell.State s1 = LstmCell.step(in.get(0), in.get(2));
            Tensor g2 = Arithmetic.add(in.get(1), Join.concatFeatures(List.of(s1.h(), s1.h(), s1.h(), s1.h())));
            LstmCell.State s2 = LstmCell.step(g2, s1.c());
            return List.of(s2.h(), s1.h());
        });
    }
}
