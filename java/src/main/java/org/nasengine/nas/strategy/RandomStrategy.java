package org.nasengine.nas.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.tensor.Rng;

/** Uniform over the same (feasible) decisions the controller makes: the baseline every method must beat. */
public final class RandomStrategy implements Strategy {
    private final Rng rng;

    public RandomStrategy(long seed) {
        this.rng = new Rng(seed);
    }

    @Override public String name() { return "random"; }

    @Override
    public List<Proposal> propose(DecisionSpace space, int count) {
        List<Proposal> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(Proposal.of(space, Sampling.uniform(space, rng)));
        return out;
    }

    @Override
    public void update(List<Proposal> proposals, double[] rewards) {
        // nothing to learn: random search ignores rewards by design
    }

    @Override
    public JsonNode state() {
        return JsonNodeFactory.instance.objectNode().put("rng", rng.state());
    }

    @Override
    public void restore(JsonNode state) {
        rng.setState(state.get("rng").asLong());
    }
}
