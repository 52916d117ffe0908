package org.nasengine.nas.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nasengine.nas.child.MacroCnnNetwork;
import org.nasengine.nas.strategy.Sampling;
import org.nasengine.tensor.Rng;

class BudgetedSpaceTest {
    static Cost fashionCost(Architecture a) {
        return MacroCnnNetwork.cost((MacroCnn) a, 1, 28, 28, 10);
    }

    static BudgetedSpace budgeted(int layers, double maxMflops) {
        MacroCnnSpace inner = new MacroCnnSpace(layers, MacroCnnSpace.KERNELS, MacroCnnSpace.FILTERS, new int[] {1, 2});
        return new BudgetedSpace(inner, BudgetedSpaceTest::fashionCost, new CostBudget(maxMflops * 1e6, 0), inner.cheapestTokens());
    }

    @Test
    void everySampleFitsAndTheMaskStillLeavesChoice() {
        BudgetedSpace space = budgeted(5, 10);
        Rng rng = new Rng(3);
        Set<String> distinct = new HashSet<>();
        double unconstrainedOver = 0;
        MacroCnnSpace inner = (MacroCnnSpace) space.inner();
        for (int i = 0; i < 300; i++) {
            Architecture a = space.decode(Sampling.uniform(space, rng));
            Cost c = fashionCost(a);
            assertTrue(c.flops() <= 10e6, () -> "over the budget: " + c + " " + a.key());
            distinct.add(a.key());
            if (fashionCost(inner.decode(Sampling.uniform(inner, rng))).flops() > 10e6) unconstrainedOver++;
        }
        assertTrue(distinct.size() > 250, "the budget leaves a varied space: " + distinct.size());
        assertTrue(unconstrainedOver > 100, "the budget is binding for the unconstrained space: " + unconstrainedOver);
    }

    @Test
    void mutationsAndAdaptationStayWithinTheBudget() {
        Rng rng = new Rng(9);
        BudgetedSpace small = budgeted(3, 8), large = budgeted(5, 8);
        int[] parent = Sampling.uniform(small, rng);
        for (int i = 0; i < 200; i++) {
            int[] child = Sampling.mutate(small, parent, rng);
            assertTrue(fashionCost(small.decode(child)).flops() <= 8e6);
            int[] grown = Sampling.adapt(large, child, rng);
            assertTrue(fashionCost(large.decode(grown)).flops() <= 8e6);
            parent = child;
        }
    }

    @Test
    void aBudgetBelowTheCheapestArchitectureIsRefusedWithItsCost() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> budgeted(3, 0.001));
        assertTrue(e.getMessage().startsWith("the budget (0.0 MFLOPs) admits no macro-cnn architecture of this space: the cheapest costs"),
                e.getMessage());
    }

    @Test
    void cheapestTokensDecodeToTheCheapestLayers() {
        MacroCnnSpace space = new MacroCnnSpace(3, MacroCnnSpace.KERNELS, MacroCnnSpace.FILTERS, new int[] {1, 2, 3});
        MacroCnn m = space.decode(space.cheapestTokens());
        for (MacroCnn.Layer l : m.layers()) {
            assertEquals(new MacroCnn.Layer(1, 1, 24, 3), l);
        }
        assertTrue(new CostBudget(0, 0).admits(new Cost(1e12, Long.MAX_VALUE)), "no limit admits everything");
    }
}
