package org.nasengine.nas.space;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.nas.child.MacroCnnNetwork;
import org.nasengine.nas.strategy.Proposal;
import org.nasengine.nas.strategy.ReinforceStrategy;

/** ENAS' macro space: every layer reads the one before it, whatever the controller samples, within a budget too. */
class ChainedMacroSpaceTest {
    private final ChainedMacroSpace space = new ChainedMacroSpace(new MacroCnnSpace(4, new int[] {1, 3}, new int[] {8, 16}, new int[] {1, 2}));

    @Test
    void theChainBitIsForcedAndTheOthersAreFree() {
        MacroCnnSpace inner = space.inner();
        int chainOfLayer2 = inner.layerStart(2) + inner.choicesPerLayer() + 1, skipOfLayer2 = chainOfLayer2 - 1;
        int[] none = new int[space.tokenCount()];
        assertFalse(space.allows(none, chainOfLayer2, 0));
        assertTrue(space.allows(none, chainOfLayer2, 1));
        assertTrue(space.allows(none, skipOfLayer2, 0) && space.allows(none, skipOfLayer2, 1));
        assertThrows(IllegalArgumentException.class, () -> space.decode(none), "a layer that skips its predecessor");
        MacroCnn cheapest = space.decode(space.cheapestTokens());
        for (int i = 1; i < cheapest.size(); i++) assertTrue(cheapest.layer(i).inputs().equals(List.of(i - 1)), cheapest.key());
    }

    @Test
    void sampledChildrenWithinABudgetAreChains() {
        BudgetedSpace budgeted = new BudgetedSpace(space, a -> MacroCnnNetwork.cost((MacroCnn) a, 1, 12, 12, 10),
                new CostBudget(0.6e6, 0), space.cheapestTokens());
        try (JavaBackend be = new JavaBackend()) {
            ReinforceStrategy controller = new ReinforceStrategy(be, budgeted, 1, 8, 1e-3f, 0.9, 0, 7);
            for (Proposal p : controller.propose(budgeted, 40)) {
                MacroCnn m = (MacroCnn) p.arch();
                for (int i = 1; i < m.size(); i++) assertTrue(m.layer(i).inputs().contains(i - 1), m.key());
                assertTrue(MacroCnnNetwork.cost(m, 1, 12, 12, 10).flops() <= 0.6e6, m.key());
            }
        }
    }
}
