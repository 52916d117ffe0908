package org.nasengine.nas.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nasengine.backend.Backend;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.tensor.Rng;

/**
 * Sequential model-based optimisation as in PNAS (Liu et al. 2018): a surrogate trained on every
 * child so far ({@link Surrogate}, an ensemble of small MLPs on our engine, fitted to the normal
 * scores of the rewards' ranks) ranks many candidates ({@link CandidateSearch}: uniform samples,
 * neighbours and expansions of the best children, local search on the prediction) and the top ones
 * are evaluated. The first {@code initial} children are uniform samples.
 *
 * <p>On spaces whose cells grow ({@link DecisionSpace#growth()}, nasnet), the search walks the
 * stages as PNAS does: cells of one block first, then, every {@code stageChildren} children, one
 * block more, the candidates of a stage being the best cells of the stages before with a new block
 * (and uniform samples of the stage); the surrogate learns from all sizes at once, each child
 * placed in the largest space's layout. On other spaces there is one stage.
 *
 * <p>The surrogate is refitted when the data have grown by a tenth since the last fit (at every
 * child early on, every few later), which keeps a 100-query search to about 25 fits. The state
 * holds how many children the last fit saw and its seed, so a restored search rebuilds the same
 * model.
 */
public final class SmboStrategy implements Strategy {
    private static final int MODELS = 5, HIDDEN = 24, STEPS = 80;

    private final Backend backend;
    private final DecisionSpace largest;
    private final int initial, stageChildren;
    private final double kappa;
    private final CandidateSearch.Budget search;
    private final Rng rng;
    private final Observations observations;
    private int stage, stageProposed;
    private int fittedOn;     // children the current surrogate was trained on (0: none yet)
    private long fitSeed;     // the seed it was trained with
    private Surrogate model;  // rebuilt from (fittedOn, fitSeed) after a restore

    /**
     * @param backend where the surrogate trains (the Java reference: small and deterministic)
     * @param kappa   candidates are ranked by mean + kappa * spread of the ensemble (0: PNAS's mean)
     */
    public SmboStrategy(Backend backend, DecisionSpace largestSpace, int initial, int candidates, int stageChildren, double kappa,
                        long seed) {
        if (initial < 1) throw new IllegalArgumentException("initial design (" + initial + ") must be >= 1");
        if (stageChildren < 1) throw new IllegalArgumentException("children per stage (" + stageChildren + ") must be >= 1");
        this.backend = backend;
        this.largest = largestSpace;
        this.initial = initial;
        this.stageChildren = stageChildren;
        this.kappa = kappa;
        this.search = new CandidateSearch.Budget(candidates, 5, 5, 20);
        this.rng = new Rng(seed);
        this.observations = new Observations(largestSpace);
    }

    @Override public String name() { return "smbo"; }

    /** The stage's space: {@code space} itself once its growth is walked (or where cells do not grow). */
    private DecisionSpace stageSpace(DecisionSpace space) {
        List<DecisionSpace> stages = space.growth();
        return stages.get(Math.min(stage, stages.size() - 1));
    }

    @Override
    public List<Proposal> propose(DecisionSpace space, int count) {
        DecisionSpace s = stageSpace(space);
        List<Proposal> out = new ArrayList<>(count);
        Set<String> batch = new HashSet<>();
        List<int[]> chosen = List.of();
        if (observations.size() >= initial) {
            if (observations.size() >= fittedOn + Math.max(1, fittedOn / 10)) {
                fittedOn = observations.size();
                fitSeed = rng.nextLong();
                if (model != null) model.close();
                model = null;
            }
            if (model == null) model = fit(fittedOn, fitSeed);
            Surrogate m = model;
            chosen = CandidateSearch.best(s, observations, layouts -> rank(m, layouts), search, batch, rng, count);
        }
        for (int i = 0; i < count; i++) {
            int[] child = i < chosen.size() ? chosen.get(i) : observations.freshUniform(s, batch, rng);
            batch.add(Arrays.toString(observations.layout(s, child)));
            out.add(Proposal.of(s, child));
        }
        return out;
    }

    /** The surrogate of the first {@code n} children, initialised from {@code seed}. */
    private Surrogate fit(int n, long seed) {
        List<int[]> x = new ArrayList<>();
        for (int i = 0; i < n; i++) x.add(observations.get(i).layout());
        double[] y = Observations.normalScores(observations.entries().subList(0, n));
        return new Surrogate(backend, largest.tokenCardinalities(), x, y, MODELS, HIDDEN, STEPS, new Rng(seed));
    }

    private double[] rank(Surrogate model, List<int[]> layouts) {
        double[][] p = model.predict(layouts);
        double[] out = new double[layouts.size()];
        for (int i = 0; i < out.length; i++) {
            double mean = 0, sq = 0;
            for (double[] m : p) mean += m[i] / p.length;
            for (double[] m : p) sq += (m[i] - mean) * (m[i] - mean) / p.length;
            out[i] = mean + kappa * Math.sqrt(sq);
        }
        return out;
    }

    @Override
    public void update(List<Proposal> proposals, double[] rewards) {
        if (proposals.size() != rewards.length)
            throw new IllegalArgumentException(proposals.size() + " proposals but " + rewards.length + " rewards");
        for (int k = 0; k < rewards.length; k++) observations.add(proposals.get(k), rewards[k]);
        stageProposed += proposals.size();
        if (stageProposed >= stageChildren) {
            stage++;
            stageProposed = 0;
        }
    }

    @Override
    public JsonNode state() {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("rng", rng.state());
        s.put("stage", stage);
        s.put("stageProposed", stageProposed);
        s.put("fittedOn", fittedOn);
        s.put("fitSeed", fitSeed);
        s.set("observations", observations.toJson());
        return s;
    }

    @Override
    public void restore(JsonNode s) {
        rng.setState(s.get("rng").asLong());
        stage = s.get("stage").asInt();
        stageProposed = s.get("stageProposed").asInt();
        fittedOn = s.get("fittedOn").asInt();
        fitSeed = s.get("fitSeed").asLong();
        if (model != null) model.close();
        model = null;
        observations.restore(s.get("observations"));
    }
}
