package org.nasengine.nas.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A search strategy: propose a batch of architectures, then learn from their rewards. The search
 * loop checkpoints {@link #state()} after each update, so everything that steers the next
 * proposals (weights, optimizer, baseline, random state) must be in it.
 */
public interface Strategy {
    String name();

    List<Proposal> propose(DecisionSpace space, int count);

    /** Rewards of the proposals of the last {@link #propose}, in the same order. */
    void update(List<Proposal> proposals, double[] rewards);

    JsonNode state();

    void restore(JsonNode state);
}
