package org.nasengine.nas.space;

import java.util.List;
import java.util.function.Function;

/**
 * A space restricted to the architectures within a cost budget, enforced while sampling: a token
 * is allowed when the architecture made of the tokens so far, that token, and the cheapest choice
 * of every later token fits. That completion is a witness which stays allowed at every later
 * step, so sampling never reaches a dead end, and no sampled child is thrown away for its cost.
 * (A choice that only a non-cheapest completion could fit is refused; for the macro space,
 * whose cheapest choices are cheapest whatever else is chosen, that does not happen.)
 */
public final class BudgetedSpace implements DecisionSpace {
    private final DecisionSpace inner;
    private final Function<Architecture, Cost> costModel;
    private final CostBudget budget;
    private final int[] cheapest;

    /**
     * @param cheapest per token, the choice that makes an architecture cheapest whatever the other tokens
     * @throws IllegalArgumentException when even the cheapest architecture is over the budget
     */
    public BudgetedSpace(DecisionSpace inner, Function<Architecture, Cost> costModel, CostBudget budget, int[] cheapest) {
        if (cheapest.length != inner.tokenCount())
            throw new IllegalArgumentException("cheapest tokens: " + cheapest.length + " for a space of " + inner.tokenCount());
        this.inner = inner;
        this.costModel = costModel;
        this.budget = budget;
        this.cheapest = cheapest.clone();
        Cost least = costModel.apply(inner.decode(cheapest));
        if (!budget.admits(least))
            throw new IllegalArgumentException("the budget (" + budget + ") admits no " + inner.space() + " architecture of this space:"
                    + " the cheapest costs " + least);
    }

    public CostBudget budget() { return budget; }

    public DecisionSpace inner() { return inner; }

    public Cost cost(Architecture arch) { return costModel.apply(arch); }

    @Override public String space() { return inner.space(); }

    @Override public List<Decision> decisions() { return inner.decisions(); }

    @Override public Architecture decode(int[] tokens) { return inner.decode(tokens); }

    @Override public int[] encode(Architecture arch) { return inner.encode(arch); }

    @Override
    public boolean allows(int[] tokens, int position, int choice) {
        if (!inner.allows(tokens, position, choice)) return false;
        int[] witness = cheapest.clone();
        System.arraycopy(tokens, 0, witness, 0, position);
        witness[position] = choice;
        return budget.admits(costModel.apply(inner.decode(witness)));
    }

    @Override
    public String toString() {
        return inner + " within " + budget;
    }
}
