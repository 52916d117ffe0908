package org.nasengine.nas.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import org.nasengine.tensor.Rng;

/** Uniform over the same decisions the controller makes: the baseline RL must beat. */
public final class RandomStrategy implements Strategy {
    private final Rng rng;

    public RandomStrategy(long seed) {
        this.rng = new Rng(seed);
    }

    @Override public String name() { return "random"; }

    @Override
    public List<Proposal> propose(DecisionSpace space, int count) {
        int[] cards = space.tokenCardinalities();
        List<Proposal> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int[] tokens = new int[cards.length];
            for (int t = 0; t < cards.length; t++) tokens[t] = rng.nextInt(cards[t]);
            out.add(Proposal.of(space, tokens));
        }
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
