package org.nasengine.cli;

import java.util.function.Function;
import java.util.function.IntFunction;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.BudgetedSpace;
import org.nasengine.nas.space.Cost;
import org.nasengine.nas.space.CostBudget;
import org.nasengine.nas.space.Curriculum;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.nas.space.MacroCnnSpace;
import org.nasengine.nas.space.NasNetSpace;
import org.nasengine.nas.space.Nb201Space;
import org.nasengine.nas.space.RnnCellSpace;

/** The decision space of each sampled child of a search, within its cost budget where costs are modelled. */
final class SearchSpaces {
    private SearchSpaces() {}

    /**
     * The space of the n-th sampled child (the macro curriculum grows the layer count).
     *
     * @param costModel the task's cost of an architecture, or null where the task models none
     */
    static IntFunction<DecisionSpace> schedule(SearchSettings s, Function<Architecture, Cost> costModel) {
        CostBudget budget = s.goal().budget();
        switch (s.space()) {
            case "rnn-cell" -> {
                RnnCellSpace r = new RnnCellSpace(s.rnnBase());
                return i -> r;
            }
            case "nb201" -> { // with a table, only the cells the table holds
                DecisionSpace b = s.table() == null ? Nb201Space.benchmark() : TableTask.space(s.table());
                return i -> b;
            }
            case "nasnet" -> {
                NasNetSpace n = new NasNetSpace(s.nasnetBlocks(), s.nasnetRepeats(), s.nasnetFilters());
                return i -> n;
            }
            default -> {
                Curriculum c = new Curriculum(s.layers(), s.growBy(), s.growEvery(), s.maxLayers());
                if (!budget.limited() || costModel == null)
                    return i -> new MacroCnnSpace(c.layersAt(i), MacroCnnSpace.KERNELS, MacroCnnSpace.FILTERS, s.strides(), s.chained());
                DecisionSpace[] byLayers = new DecisionSpace[s.maxLayers() + 1];
                for (int layers = s.layers(); layers <= s.maxLayers(); layers++) {
                    MacroCnnSpace inner = new MacroCnnSpace(layers, MacroCnnSpace.KERNELS, MacroCnnSpace.FILTERS, s.strides(), s.chained());
                    try {
                        byLayers[layers] = new BudgetedSpace(inner, costModel, budget, inner.cheapestTokens());
                    } catch (IllegalArgumentException e) {
                        throw new UserError("--max-mflops/--max-params: " + e.getMessage());
                    }
                }
                return i -> byLayers[c.layersAt(i)];
            }
        }
    }
}
