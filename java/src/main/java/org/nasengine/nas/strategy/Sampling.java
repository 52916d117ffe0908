package org.nasengine.nas.strategy;

import java.util.ArrayList;
import java.util.List;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.tensor.Rng;

/**
 * Token-level sampling that honours {@link DecisionSpace#allows}: uniform sampling over the
 * feasible space, one-decision mutation, and the extension of a parent from a smaller space
 * (the prefix contract). Shared by every strategy that does not sample from the controller.
 */
public final class Sampling {
    private Sampling() {}

    /** Each token uniform over the choices allowed after the tokens before it. */
    public static int[] uniform(DecisionSpace space, Rng rng) {
        int[] tokens = new int[space.tokenCount()];
        completeFrom(space, tokens, 0, rng);
        return tokens;
    }

    /**
     * {@code parent} adapted to {@code space}: cut or extended with uniform tokens (the prefix
     * contract), then repaired where a budget no longer allows a token.
     */
    public static int[] adapt(DecisionSpace space, int[] parent, Rng rng) {
        int[] tokens = new int[space.tokenCount()];
        int kept = Math.min(parent.length, tokens.length);
        System.arraycopy(parent, 0, tokens, 0, kept);
        int[] cards = space.tokenCardinalities();
        for (int t = 0; t < kept; t++) if (tokens[t] >= cards[t]) tokens[t] = rng.nextInt(cards[t]);
        repairFrom(space, tokens, 0, rng);
        completeFrom(space, tokens, kept, rng);
        return tokens;
    }

    /**
     * One token changed to another allowed value (a token with a single allowed value is skipped;
     * gives the parent back only when no token can change); later tokens that the change makes
     * infeasible are resampled.
     */
    public static int[] mutate(DecisionSpace space, int[] parent, Rng rng) {
        int[] cards = space.tokenCardinalities();
        int n = cards.length;
        int first = rng.nextInt(n);
        for (int k = 0; k < n; k++) {
            int t = (first + k) % n;
            int[] child = parent.clone();
            int choice = otherAllowed(space, child, t, cards[t], rng);
            if (choice < 0) continue;
            child[t] = choice;
            repairFrom(space, child, t + 1, rng);
            return child;
        }
        return parent.clone();
    }

    /**
     * {@code tokens} completed: each -1 (a token the source did not have, such as the new block of
     * a grown cell) drawn uniformly among the allowed choices, each value out of range or no longer
     * allowed resampled; in token order, so every choice sees the tokens before it.
     */
    public static int[] fill(DecisionSpace space, int[] tokens, Rng rng) {
        int[] cards = space.tokenCardinalities();
        if (tokens.length != cards.length)
            throw new IllegalArgumentException(space.space() + " space needs " + cards.length + " tokens, got " + tokens.length);
        int[] out = tokens.clone();
        for (int t = 0; t < out.length; t++)
            if (out[t] < 0 || out[t] >= cards[t] || !space.allows(out, t, out[t])) out[t] = pickAllowed(space, out, t, rng);
        return out;
    }

    /**
     * Every architecture one decision away from {@code tokens}: each token changed to each other
     * allowed value (later tokens the change makes infeasible resampled), in token then choice order.
     * The local search of model-based strategies walks these.
     */
    public static List<int[]> neighbours(DecisionSpace space, int[] tokens, Rng rng) {
        int[] cards = space.tokenCardinalities();
        List<int[]> out = new ArrayList<>();
        for (int t = 0; t < cards.length; t++) {
            for (int c = 0; c < cards[t]; c++) {
                if (c == tokens[t] || !space.allows(tokens, t, c)) continue;
                int[] child = tokens.clone();
                child[t] = c;
                repairFrom(space, child, t + 1, rng);
                out.add(child);
            }
        }
        return out;
    }

    /** A uniform choice among the allowed values of token t other than its current one, or -1. */
    private static int otherAllowed(DecisionSpace space, int[] tokens, int t, int card, Rng rng) {
        int count = 0;
        for (int c = 0; c < card; c++) if (c != tokens[t] && space.allows(tokens, t, c)) count++;
        if (count == 0) return -1;
        int pick = rng.nextInt(count);
        for (int c = 0; c < card; c++)
            if (c != tokens[t] && space.allows(tokens, t, c) && pick-- == 0) return c;
        throw new AssertionError("unreachable");
    }

    /** Resamples, from {@code from} on, each token that is no longer allowed after the ones before it. */
    private static void repairFrom(DecisionSpace space, int[] tokens, int from, Rng rng) {
        for (int t = from; t < tokens.length; t++)
            if (!space.allows(tokens, t, tokens[t])) tokens[t] = pickAllowed(space, tokens, t, rng);
    }

    private static void completeFrom(DecisionSpace space, int[] tokens, int from, Rng rng) {
        for (int t = from; t < tokens.length; t++) tokens[t] = pickAllowed(space, tokens, t, rng);
    }

    private static int pickAllowed(DecisionSpace space, int[] tokens, int t, Rng rng) {
        int card = space.tokenCardinalities()[t];
        int count = 0;
        for (int c = 0; c < card; c++) if (space.allows(tokens, t, c)) count++;
        if (count == 0)
            throw new IllegalStateException(space.space() + ": no choice of token " + t + " is allowed after the tokens before it"
                    + " (the space's budget admits no architecture)");
        int pick = rng.nextInt(count);
        for (int c = 0; c < card; c++) if (space.allows(tokens, t, c) && pick-- == 0) return c;
        throw new AssertionError("unreachable");
    }
}
