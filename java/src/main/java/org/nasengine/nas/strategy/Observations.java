package org.nasengine.nas.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nasengine.nas.space.DecisionSpace;

/**
 * The architectures a strategy has seen evaluated, each once, with its reward: the training data
 * of surrogates and the memory that keeps model-based and evolutionary strategies from proposing
 * a child again (a repeat teaches nothing). Each entry keeps its tokens in the space it was
 * sampled from and its layout in the largest space (-1 where a smaller space has no such token),
 * the common frame in which surrogates compare architectures of different sizes.
 */
public final class Observations {
    public record Entry(int[] tokens, int[] layout, double reward) {}

    private final DecisionSpace largest;
    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();

    public Observations(DecisionSpace largest) {
        this.largest = largest;
    }

    public DecisionSpace largest() { return largest; }

    public int size() { return entries.size(); }

    public Entry get(int i) { return entries.get(i); }

    public List<Entry> entries() { return List.copyOf(entries); }

    /** The tokens of {@code space} placed in the largest space's layout; -1 where {@code space} has no token. */
    public int[] layout(DecisionSpace space, int[] tokens) {
        int[] out = new int[largest.tokenCount()];
        Arrays.fill(out, -1);
        int[] at = largest.positionsOf(space);
        for (int t = 0; t < tokens.length; t++) out[at[t]] = tokens[t];
        return out;
    }

    /** A layout of the largest space carried into {@code space}: its tokens where {@code space} has them, the rest filled ({@link Sampling#fill}). */
    public int[] into(DecisionSpace space, int[] layout, org.nasengine.tensor.Rng rng) {
        int[] at = largest.positionsOf(space);
        int[] tokens = new int[at.length];
        for (int t = 0; t < at.length; t++) tokens[t] = layout[at[t]];
        return Sampling.fill(space, tokens, rng);
    }

    public boolean contains(DecisionSpace space, int[] tokens) {
        return seen.contains(Arrays.toString(layout(space, tokens)));
    }

    /**
     * A uniform sample of {@code space} neither evaluated nor in {@code batch} (layouts proposed in
     * the same batch); after {@code RETRIES} draws that all were, the last draw.
     */
    public int[] freshUniform(DecisionSpace space, Set<String> batch, org.nasengine.tensor.Rng rng) {
        int[] child = null;
        for (int attempt = 0; attempt <= EvolutionStrategy.RETRIES; attempt++) {
            child = Sampling.uniform(space, rng);
            if (!contains(space, child) && !batch.contains(Arrays.toString(layout(space, child)))) break;
        }
        return child;
    }

    /** Records a result; false (and nothing recorded) when the architecture was seen before. */
    public boolean add(Proposal p, double reward) {
        return add(p.tokens(), layout(p.space(), p.tokens()), reward);
    }

    private boolean add(int[] tokens, int[] layout, double reward) {
        if (!seen.add(Arrays.toString(layout))) return false;
        entries.add(new Entry(tokens, layout, reward));
        return true;
    }

    /** Index of the best entry (a NaN reward never is); -1 when there is none. */
    public int best() {
        int best = -1;
        for (int i = 0; i < entries.size(); i++)
            if (better(entries.get(i).reward(), best < 0 ? Double.NaN : entries.get(best).reward())) best = i;
        return best;
    }

    /** Whether reward a beats b; a NaN reward (a failed child) loses to every number. */
    static boolean better(double a, double b) {
        if (Double.isNaN(a)) return false;
        return Double.isNaN(b) || a > b;
    }

    /**
     * The rewards as normal scores: Phi^-1((rank + 0.5) / n), ties sharing their mean rank, NaN
     * lowest. Scale-free: percentages, accuracies and c / ppl^2 give the same scores, and a few
     * failed children at reward 0 do not squash the differences among the good ones.
     */
    public double[] normalScores() {
        return normalScores(entries);
    }

    /** {@link #normalScores()} of some entries. */
    static double[] normalScores(List<Entry> entries) {
        int n = entries.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Double.compare(key(entries.get(x).reward()), key(entries.get(y).reward())));
        double[] out = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && key(entries.get(order[j + 1]).reward()) == key(entries.get(order[i]).reward())) j++;
            double rank = (i + j) / 2.0;
            for (int k = i; k <= j; k++) out[order[k]] = Gaussian.quantile((rank + 0.5) / n);
            i = j + 1;
        }
        return out;
    }

    private static double key(double reward) {
        return Double.isNaN(reward) ? Double.NEGATIVE_INFINITY : reward;
    }

    public ArrayNode toJson() {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Entry e : entries) {
            ObjectNode o = out.addObject();
            ArrayNode t = o.putArray("tokens");
            for (int x : e.tokens()) t.add(x);
            o.set("layout", json(e.layout()));
            if (Double.isFinite(e.reward())) o.put("reward", e.reward());
            else o.putNull("reward");
        }
        return out;
    }

    /** Replaces the entries with a list saved by {@link #toJson}. */
    public void restore(JsonNode saved) {
        entries.clear();
        seen.clear();
        for (JsonNode o : saved) {
            double reward = o.get("reward").isNull() ? Double.NaN : o.get("reward").asDouble();
            add(ints(o.get("tokens")), ints(o.get("layout")), reward);
        }
    }

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        return out;
    }

    static ArrayNode json(int[] values) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (int v : values) a.add(v);
        return a;
    }
}
