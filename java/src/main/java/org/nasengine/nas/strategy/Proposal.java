package org.nasengine.nas.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An architecture a strategy wants trained: its tokens in the space it was sampled from, and its JSON. */
public record Proposal(DecisionSpace space, int[] tokens, ObjectNode arch) {
    public static Proposal of(DecisionSpace space, int[] tokens) {
        return new Proposal(space, tokens.clone(), space.decode(tokens));
    }
}
