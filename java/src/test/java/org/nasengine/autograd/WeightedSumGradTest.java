package org.nasengine.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tensor;

/** The mixed operation of DARTS: values against the plain formula, gradients by finite differences. */
class WeightedSumGradTest {
    private final JavaBackend be = new JavaBackend();
    private final GradCheck gc = new GradCheck(be, 41);
    private final Scope scope = Scope.open();

    @AfterEach
    void close() {
        scope.close();
        be.close();
    }

    @Test
    void valuesAreTheWeightedSumOfTheGivenCandidates() {
        Tensor w = Tensor.of(be, new float[] {9, 9, 9, 0.5f, 2f, -1f}, 2, 3); // row 1 is used
        Tensor a = Tensor.of(be, new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor c = Tensor.of(be, new float[] {10, 20, 30, 40}, 1, 1, 2, 2);
        // candidate 1 is the zero operation: its weight (2) multiplies nothing
        float[] y = WeightedSum.of(w, 1, new Tensor[] {a, null, c}).toArray();
        assertArrayEquals(new float[] {0.5f - 10, 1 - 20, 1.5f - 30, 2 - 40}, y, 1e-6f);
        assertArrayEquals(new float[] {-10, -20, -30, -40}, WeightedSum.of(w, 1, new Tensor[] {null, null, c}).toArray(), 1e-6f);
    }

    @Test
    void gradientsOfWeightsAndCandidates() {
        Tensor w = gc.input(3, 4);
        gc.check("weighted sum, 3 of 4 candidates", List.of(w, gc.input(2, 3, 2, 2), gc.input(2, 3, 2, 2), gc.input(2, 3, 2, 2)),
                in -> List.of(WeightedSum.of(in.get(0), 2, new Tensor[] {in.get(1), null, in.get(2), in.get(3)})));
        gc.check("weighted sum, one candidate", List.of(gc.input(3, 4), gc.input(2, 3, 2, 2)),
                in -> List.of(WeightedSum.of(in.get(0), 1, new Tensor[] {null, null, in.get(1), null})));
    }

    @Test
    void candidateUsedTwiceAndWeightsUsedByTwoRows() {
        Tensor x = gc.input(2, 2, 3, 3);
        gc.check("fan-out", List.of(gc.input(2, 2), x),
                in -> List.of(WeightedSum.of(in.get(0), 0, new Tensor[] {in.get(1), in.get(1)}),
                        WeightedSum.of(in.get(0), 1, new Tensor[] {in.get(1), in.get(1).square()})));
    }

    @Test
    void refusesMismatchedShapesAndAllZero() {
        Tensor w = Tensor.of(be, new float[] {1, 1}, 1, 2);
        assertThrows(IllegalArgumentException.class,
                () -> WeightedSum.of(w, 0, new Tensor[] {Tensor.zeros(be, 1, 2), Tensor.zeros(be, 1, 3)}));
        assertThrows(IllegalArgumentException.class, () -> WeightedSum.of(w, 0, new Tensor[] {null, null}));
        assertThrows(IllegalArgumentException.class, () -> WeightedSum.of(w, 1, new Tensor[] {null, Tensor.zeros(be, 2)}));
    }
}
