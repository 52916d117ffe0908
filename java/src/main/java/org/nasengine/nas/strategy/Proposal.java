package org.nasengine.nas.strategy;

import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.DecisionSpace;

/** An architecture a strategy wants evaluated: its tokens in the space it was sampled from, and the typed value they decode to. */
public record Proposal(DecisionSpace space, int[] tokens, Architecture arch) {
    public static Proposal of(DecisionSpace space, int[] tokens) {
        return new Proposal(space, tokens.clone(), space.decode(tokens));
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }
}
