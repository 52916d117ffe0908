package org.nasengine.nas.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.nasengine.nas.space.DecisionSpace;

/**
 * A search strategy: propose a batch of architectures, then learn from their rewards. The search
 * loop checkpoints {@link #state()} after each update, so everything that steers the next
 * proposals (weights, optimizer, baseline, population, random state) must be in it. Proposals
 * must be deterministic given the state, so a resumed search proposes the same children again.
 * Rewards may be on any scale (accuracies in [0, 1], percentages, c / perplexity^2): higher is better.
 */
public interface Strategy {
    String name();

    List<Proposal> propose(DecisionSpace space, int count);

    /** Rewards of the proposals of the last {@link #propose}, in the same order. */
    void update(List<Proposal> proposals, double[] rewards);

    JsonNode state();

    void restore(JsonNode state);
}
