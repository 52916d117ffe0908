package org.nasengine.nas.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A search space as a fixed sequence of decisions, and the decoding of a token sequence into
 * the spec's architecture JSON. Every strategy (controller, random, ...) speaks this form.
 */
public interface DecisionSpace {
    String space();

    List<Decision> decisions();

    /** The architecture in the spec's JSON form for these tokens (one per token of each decision). */
    ObjectNode decode(int[] tokens);

    default int tokenCount() {
        return decisions().stream().mapToInt(Decision::tokens).sum();
    }

    /** Number of choices of each token in order (2 for anchor bits). */
    default int[] tokenCardinalities() {
        int[] out = new int[tokenCount()];
        int t = 0;
        for (Decision d : decisions()) {
            switch (d) {
                case Decision.Choice c -> out[t++] = c.choices();
                case Decision.Anchors a -> { for (int j = 0; j < a.layer(); j++) out[t++] = 2; }
            }
        }
        return out;
    }
}
