package org.nasengine.nas.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.tensor.Rng;

/**
 * Evolution with tournament selection. The first {@code population} children are uniform samples;
 * after that each child is a one-decision mutation ({@link Sampling#mutate}) of the best of
 * {@code sample} members drawn without replacement from the population, and joins it.
 * <ul>
 *   <li>regularized (Real et al. 2019, "aging evolution", the NAS-Bench-201 paper's REA): the
 *   oldest member dies when a child joins, so the population is the last {@code population}
 *   children;</li>
 *   <li>tournament (Liu et al. 2018, hierarchical representations): nobody dies; the population
 *   is every child so far.</li>
 * </ul>
 * A child already evaluated is drawn again (a new tournament and mutation) up to
 * {@link #RETRIES} times, since a repeat teaches nothing; only comparisons of rewards are used, so
 * the strategy is scale-free.
 */
public final class EvolutionStrategy implements Strategy {
    static final int RETRIES = 50;

    public enum Selection { REGULARIZED, TOURNAMENT }

    private record Member(int[] tokens, double reward) {}

    private final int populationSize, sampleSize;
    private final Selection selection;
    private final Rng rng;
    private final Observations seen;
    private final ArrayDeque<Member> population = new ArrayDeque<>(); // oldest first
    private int children; // children received in updates

    public EvolutionStrategy(DecisionSpace largestSpace, int population, int sample, Selection selection, long seed) {
        if (population < 1) throw new IllegalArgumentException("population (" + population + ") must be >= 1");
        if (sample < 1 || sample > population)
            throw new IllegalArgumentException("tournament sample (" + sample + ") must be 1..population (" + population + ")");
        this.populationSize = population;
        this.sampleSize = sample;
        this.selection = selection;
        this.rng = new Rng(seed);
        this.seen = new Observations(largestSpace);
    }

    @Override public String name() { return "evolution"; }

    @Override
    public List<Proposal> propose(DecisionSpace space, int count) {
        List<Proposal> out = new ArrayList<>(count);
        Set<String> batch = new HashSet<>();
        for (int i = 0; i < count; i++) {
            boolean initial = children + i < populationSize || population.isEmpty();
            int[] child = null;
            for (int attempt = 0; attempt <= RETRIES; attempt++) {
                child = initial ? Sampling.uniform(space, rng) : Sampling.mutate(space, Sampling.adapt(space, tournament(), rng), rng);
                if (!seen.contains(space, child) && !batch.contains(Arrays.toString(child))) break;
            }
            batch.add(Arrays.toString(child));
            out.add(Proposal.of(space, child));
        }
        return out;
    }

    /** The tokens of the best of {@code sample} distinct members drawn uniformly. */
    private int[] tournament() {
        Member[] members = population.toArray(new Member[0]);
        int n = members.length, k = Math.min(sampleSize, n);
        int[] index = new int[n];
        for (int i = 0; i < n; i++) index[i] = i;
        Member best = null;
        for (int i = 0; i < k; i++) { // partial Fisher-Yates: k distinct members
            int j = i + rng.nextInt(n - i);
            int t = index[i];
            index[i] = index[j];
            index[j] = t;
            Member m = members[index[i]];
            if (best == null || Observations.better(m.reward(), best.reward())) best = m;
        }
        return best.tokens();
    }

    @Override
    public void update(List<Proposal> proposals, double[] rewards) {
        if (proposals.size() != rewards.length)
            throw new IllegalArgumentException(proposals.size() + " proposals but " + rewards.length + " rewards");
        for (int k = 0; k < rewards.length; k++) {
            seen.add(proposals.get(k), rewards[k]);
            population.addLast(new Member(proposals.get(k).tokens(), rewards[k]));
            if (selection == Selection.REGULARIZED && population.size() > populationSize) population.removeFirst();
            children++;
        }
    }

    @Override
    public JsonNode state() {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("rng", rng.state());
        s.put("children", children);
        ArrayNode pop = s.putArray("population");
        for (Member m : population) {
            ObjectNode o = pop.addObject();
            o.set("tokens", Observations.json(m.tokens()));
            if (Double.isFinite(m.reward())) o.put("reward", m.reward());
            else o.putNull("reward");
        }
        s.set("seen", seen.toJson());
        return s;
    }

    @Override
    public void restore(JsonNode s) {
        rng.setState(s.get("rng").asLong());
        children = s.get("children").asInt();
        population.clear();
        for (JsonNode o : s.get("population"))
            population.addLast(new Member(Observations.ints(o.get("tokens")), o.get("reward").isNull() ? Double.NaN : o.get("reward").asDouble()));
        seen.restore(s.get("seen"));
    }
}
