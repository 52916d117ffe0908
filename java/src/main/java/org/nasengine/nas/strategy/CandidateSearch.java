package org.nasengine.nas.strategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.tensor.Rng;

/**
 * How model-based strategies pick what to evaluate: a pool of uniform samples and of the
 * one-decision neighbours of the best architectures so far is scored by a model (an acquisition
 * function, a surrogate's prediction), then greedy local search climbs from the best few through
 * their neighbours ({@link Sampling#neighbours}) while the score improves. The result is the
 * best-scoring architectures never evaluated. Every draw comes from the given {@link Rng}, so the
 * choice is deterministic given the strategy's state.
 */
final class CandidateSearch {
    /** Scores architectures given by their layouts in the largest space (higher is better). */
    interface Scorer {
        double[] score(List<int[]> layouts);
    }

    /** Pool and search sizes: uniform samples, best observed whose neighbours join the pool, local-search starts and steps. */
    record Budget(int samples, int parents, int starts, int steps) {
        Budget {
            if (samples < 1) throw new IllegalArgumentException("candidates (" + samples + ") must be >= 1");
        }
    }

    private final DecisionSpace space;
    private final Observations observations;
    private final Scorer scorer;
    private final Set<String> exclude; // layouts (Arrays.toString) proposed already in this batch
    private final Map<String, int[]> tokensOf = new LinkedHashMap<>();
    private final Map<String, Double> scoreOf = new HashMap<>();

    private CandidateSearch(DecisionSpace space, Observations observations, Scorer scorer, Set<String> exclude) {
        this.space = space;
        this.observations = observations;
        this.scorer = scorer;
        this.exclude = exclude;
    }

    /**
     * Up to {@code count} unevaluated architectures of {@code space}, best score first (fewer only
     * when the whole search found fewer new ones).
     */
    static List<int[]> best(DecisionSpace space, Observations observations, Scorer scorer, Budget budget, Set<String> exclude,
                            Rng rng, int count) {
        return new CandidateSearch(space, observations, scorer, exclude).run(budget, rng, count);
    }

    private List<int[]> run(Budget budget, Rng rng, int count) {
        List<int[]> pool = new ArrayList<>();
        for (int i = 0; i < budget.samples(); i++) pool.add(Sampling.uniform(space, rng));
        List<int[]> parents = topObserved(budget.parents(), rng);
        pool.addAll(parents);
        for (int[] p : parents) pool.addAll(Sampling.neighbours(space, p, rng));
        score(pool);
        List<String> starts = new ArrayList<>(scoreOf.keySet());
        starts.sort(Comparator.comparingDouble((String k) -> -scoreOf.get(k)));
        for (String start : starts.subList(0, Math.min(budget.starts(), starts.size()))) climb(tokensOf.get(start), budget.steps(), rng);
        List<String> fresh = new ArrayList<>();
        for (String k : tokensOf.keySet()) if (isNew(k)) fresh.add(k);
        fresh.sort(Comparator.comparingDouble((String k) -> -scoreOf.get(k)));
        List<int[]> out = new ArrayList<>();
        for (String k : fresh.subList(0, Math.min(count, fresh.size()))) out.add(tokensOf.get(k));
        return out;
    }

    /** Greedy ascent: move to the best neighbour while it scores higher. */
    private void climb(int[] start, int steps, Rng rng) {
        int[] current = start;
        double currentScore = scoreOf.get(key(current));
        for (int s = 0; s < steps; s++) {
            List<int[]> next = Sampling.neighbours(space, current, rng);
            score(next);
            int[] best = null;
            double bestScore = currentScore;
            for (int[] n : next) {
                double v = scoreOf.get(key(n));
                if (v > bestScore) {
                    best = n;
                    bestScore = v;
                }
            }
            if (best == null) return;
            current = best;
            currentScore = bestScore;
        }
    }

    /**
     * The best observed architectures carried into this space through the largest space's layout:
     * a shallower or smaller-celled parent keeps its tokens where this space has them and gets the
     * missing ones drawn uniformly (the prefix contract, PNAS's expansion by one block).
     */
    private List<int[]> topObserved(int k, Rng rng) {
        Integer[] order = new Integer[observations.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Observations.better(observations.get(a).reward(), observations.get(b).reward()) ? -1
                : Observations.better(observations.get(b).reward(), observations.get(a).reward()) ? 1 : Integer.compare(a, b));
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, order.length); i++) {
            out.add(observations.into(space, observations.get(order[i]).layout(), rng));
        }
        return out;
    }

    /** Scores those not scored yet, in one call. */
    private void score(List<int[]> candidates) {
        List<int[]> todo = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int[] c : candidates) {
            String k = key(c);
            if (tokensOf.containsKey(k)) continue;
            tokensOf.put(k, c);
            todo.add(observations.layout(space, c));
            keys.add(k);
        }
        if (todo.isEmpty()) return;
        double[] s = scorer.score(todo);
        for (int i = 0; i < s.length; i++) scoreOf.put(keys.get(i), Double.isNaN(s[i]) ? Double.NEGATIVE_INFINITY : s[i]);
    }

    private String key(int[] tokens) {
        return Arrays.toString(observations.layout(space, tokens));
    }

    private boolean isNew(String key) {
        return !exclude.contains(key) && !observations.contains(space, tokensOf.get(key));
    }
}
