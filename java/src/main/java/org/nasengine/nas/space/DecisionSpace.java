package org.nasengine.nas.space;

import java.util.List;

/**
 * A search space as a fixed sequence of decisions, and the decoding of a token sequence into the
 * typed {@link Architecture}. Every strategy (controller, random, evolution, ...) speaks this form.
 *
 * <p>Two contracts strategies rely on:
 * <ul>
 *   <li>Prefix: a space that grows (the macro curriculum adds layers at the end) keeps the tokens
 *   of the smaller space as a prefix, so a parent sampled earlier extends to the grown space by
 *   appending tokens.</li>
 *   <li>Feasibility: {@link #allows} says whether a token may follow a prefix (a cost budget
 *   masks choices whose cheapest completion cannot fit). Every strategy samples only allowed
 *   tokens; the controller renormalises its softmax over them, so log-probabilities stay exact.</li>
 * </ul>
 */
public interface DecisionSpace {
    /** The {@code space} of the architectures it decodes to. */
    String space();

    List<Decision> decisions();

    /** The architecture for these tokens (one per token of each decision, in order). */
    Architecture decode(int[] tokens);

    /** The tokens that decode to {@code arch}; the inverse of {@link #decode} on this space's architectures. */
    int[] encode(Architecture arch);

    /**
     * Whether token {@code position} may take {@code choice} given {@code tokens[0..position)}.
     * Every token after {@code position} is free: a space answers yes only if some completion fits.
     */
    default boolean allows(int[] tokens, int position, int choice) {
        return true;
    }

    /**
     * PNAS's progressive growth (Liu et al. 2018): the spaces a model-based search walks through,
     * one block more per stage, ending with this one. Just this space where cells do not grow.
     */
    default List<DecisionSpace> growth() {
        return List.of(this);
    }

    /**
     * For each token of {@code smaller} (a space of {@link #growth()} or, by the prefix contract, a
     * shallower space of the same kind), its position among this space's tokens. The prefix
     * contract makes it the identity; a space whose smaller forms are not prefixes says where they go.
     */
    default int[] positionsOf(DecisionSpace smaller) {
        int n = smaller.tokenCount();
        if (n > tokenCount())
            throw new IllegalArgumentException(smaller.space() + " space of " + n + " tokens does not fit in one of " + tokenCount());
        int[] out = new int[n];
        for (int t = 0; t < n; t++) out[t] = t;
        return out;
    }

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

    /** The kind of each token in order: the choice's kind, or "anchor". */
    default String[] tokenKinds() {
        String[] out = new String[tokenCount()];
        int t = 0;
        for (Decision d : decisions()) {
            switch (d) {
                case Decision.Choice c -> out[t++] = c.kind();
                case Decision.Anchors a -> { for (int j = 0; j < a.layer(); j++) out[t++] = "anchor"; }
            }
        }
        return out;
    }

    /** Checks a token sequence's length and ranges; the message names the space and the token. */
    default void check(int[] tokens) {
        int[] cards = tokenCardinalities();
        if (tokens.length != cards.length)
            throw new IllegalArgumentException(space() + " space needs " + cards.length + " tokens, got " + tokens.length);
        for (int t = 0; t < cards.length; t++)
            if (tokens[t] < 0 || tokens[t] >= cards[t])
                throw new IllegalArgumentException(space() + " token " + t + " (" + tokenKinds()[t] + ") is " + tokens[t]
                        + ", not in 0.." + (cards[t] - 1));
    }
}
