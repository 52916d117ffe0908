package org.nasengine.nas.child;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nasengine.autograd.CrossEntropy;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.space.RnnCell;
import org.nasengine.nas.space.RnnCell.Activation;
import org.nasengine.nas.space.RnnCell.Combine;
import org.nasengine.optim.Adam;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tensor;

/** The language model: shapes, overfitting one window, and the hidden size from a parameter budget. */
class RnnLanguageModelTest {
    private final JavaBackend be = new JavaBackend();

    @AfterEach
    void close() {
        be.close();
    }

    @Test
    void overfitsOneWindowOfASyntheticStream() throws IOException {
        int vocab = 11, n = 2, steps = 6;
        int[] inputs = new int[n * steps], targets = new int[n * steps];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = (3 * i + 1) % vocab;
            targets[i] = (3 * i + 4) % vocab;
        }
        try (RnnLanguageModel lm = new RnnLanguageModel(RnnCellNetworkTest.refRnnA(), vocab, 16, 0f, 0.5f, be, 9);
             Adam opt = new Adam(lm.parameters())) {
            float[] losses = new float[41];
            for (int step = 0; step < losses.length; step++) {
                try (Scope s = Scope.open()) {
                    RnnLanguageModel.Output out = lm.forward(Tensor.ints(be, inputs, n, steps), lm.zeroState(n));
                    assertArrayEquals(new int[] {n * steps, vocab}, out.logits().shape());
                    assertEquals(RnnLanguageModel.LAYERS, out.state().size());
                    Tensor loss = CrossEntropy.softmaxCrossEntropy(out.logits(), Tensor.ints(be, targets, n * steps));
                    losses[step] = loss.item();
                    if (step == losses.length - 1) break;
                    opt.zeroGrad();
                    loss.backward();
                    opt.step(0.1f);
                }
            }
            assertTrue(losses[0] > 0.9 * Math.log(vocab), "a fresh model should be near uniform: " + losses[0]);
            // the reference cell learns slowly (its elem_mult leaf is zero while h is, so step 0 sees no input):
            // a clear fall, not a collapse
            assertTrue(losses[20] < losses[0] && losses[40] < 0.7f * losses[0], "loss did not fall by 30%: " + Arrays.toString(losses));
        }
    }

    @Test
    void parameterCountFormulaMatchesTheModules() throws IOException {
        try (RnnLanguageModel lm = new RnnLanguageModel(RnnCellNetworkTest.refRnnA(), 13, 6, 0.5f, 0.1f, be, 1)) {
            // embedding 13*6, two layers of 2 leaves x (W 6x6 + b 6 + U 6x6), softmax 6*13 + 13
            long expected = 13 * 6 + 2 * (2 * (36 + 6 + 36)) + 6 * 13 + 13;
            assertEquals(expected, lm.parameterCount());
            assertEquals(expected, RnnLanguageModel.parameterCount(lm.cell(), 13, 6));
        }
    }

    @Test
    void mediumBudgetIsTheTwentyMillionOfThe650UnitLstm() {
        assertEquals(19_775_200L, RnnLanguageModel.mediumBudget(10_000));
    }

    @Test
    void hiddenForBudgetLandsNearTheMediumBudget() throws IOException {
        long budget = RnnLanguageModel.mediumBudget(10_000);
        RnnCell base2 = RnnCellNetworkTest.refRnnA();
        RnnCell base8 = new RnnCell(8, java.util.Collections.nCopies(15, new RnnCell.Node(Combine.ADD, Activation.TANH)),
                new RnnCell.Node(Combine.ADD, Activation.TANH), 0, 14);
        for (RnnCell cell : List.of(base2, base8)) {
            int h = RnnLanguageModel.hiddenForBudget(cell, 10_000, budget);
            long count = RnnLanguageModel.parameterCount(cell, 10_000, h);
            assertTrue(Math.abs(count - budget) < 0.005 * budget, "base " + cell.base() + ": hidden " + h + " gives " + count);
            // the nearest: neither neighbour comes closer
            assertTrue(Math.abs(RnnLanguageModel.parameterCount(cell, 10_000, h - 1) - budget) >= Math.abs(count - budget));
            assertTrue(Math.abs(RnnLanguageModel.parameterCount(cell, 10_000, h + 1) - budget) >= Math.abs(count - budget));
        }
        // more leaves, more weights per unit: a smaller hidden size for the same budget
        assertTrue(RnnLanguageModel.hiddenForBudget(base8, 10_000, budget) < RnnLanguageModel.hiddenForBudget(base2, 10_000, budget));
        assertEquals(7, RnnLanguageModel.hiddenForBudget(base2, 10, RnnLanguageModel.parameterCount(base2, 10, 7)));
        assertThrows(IllegalArgumentException.class, () -> RnnLanguageModel.hiddenForBudget(base2, 10_000, 1000));
    }

    @Test
    void defaultConstructorBuildsTheMediumSizedModel() throws IOException {
        RnnCell cell = RnnCellNetworkTest.refRnnA();
        try (RnnLanguageModel lm = new RnnLanguageModel(cell, 10_000, be, 1)) {
            assertEquals(RnnLanguageModel.hiddenForBudget(cell, 10_000, RnnLanguageModel.mediumBudget(10_000)), lm.hidden());
            long params = lm.parameterCount();
            assertTrue(params > 19_500_000 && params < 20_100_000, "about 20M parameters, got " + params);
        }
    }
}
