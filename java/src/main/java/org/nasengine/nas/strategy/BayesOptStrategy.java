package org.nasengine.nas.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.tensor.Rng;

/**
 * Bayesian optimisation in the manner of Auto-Keras (Jin et al. 2019): a Gaussian process over
 * architectures with a distance kernel ({@link GaussianProcess}: exp(-tokens that differ / l)),
 * an acquisition function (expected improvement or an upper confidence bound) maximised by a
 * mutation-based local search over the space ({@link CandidateSearch}). The first {@code initial}
 * children are uniform samples. The process models the normal scores of the rewards' ranks, so
 * any reward scale behaves the same; length scale and noise are refitted by marginal likelihood
 * at every proposal. A batch of several children is chosen one by one, each chosen child added to
 * the process at its predicted mean (the kriging believer) before the next is chosen.
 */
public final class BayesOptStrategy implements Strategy {
    public enum Acquisition { EI, UCB }

    /** Length scales (in tokens) and noise variances (of unit-variance scores) the marginal likelihood chooses from. */
    private static final double[] LENGTHSCALES = {0.5, 1, 2, 4, 8, 16};
    private static final double[] NOISES = {1e-3, 1e-2, 0.1};

    private final int initial;
    private final Acquisition acquisition;
    private final double ucbBeta;
    private final CandidateSearch.Budget search;
    private final Rng rng;
    private final Observations observations;

    public BayesOptStrategy(DecisionSpace largestSpace, int initial, Acquisition acquisition, double ucbBeta, int candidates, long seed) {
        if (initial < 1) throw new IllegalArgumentException("initial design (" + initial + ") must be >= 1");
        if (!(ucbBeta >= 0)) throw new IllegalArgumentException("UCB beta (" + ucbBeta + ") must be >= 0");
        this.initial = initial;
        this.acquisition = acquisition;
        this.ucbBeta = ucbBeta;
        this.search = new CandidateSearch.Budget(candidates, 5, 5, 20);
        this.rng = new Rng(seed);
        this.observations = new Observations(largestSpace);
    }

    @Override public String name() { return "bo"; }

    @Override
    public List<Proposal> propose(DecisionSpace space, int count) {
        List<Proposal> out = new ArrayList<>(count);
        Set<String> batch = new HashSet<>();
        List<int[]> x = new ArrayList<>();
        for (int i = 0; i < observations.size(); i++) x.add(observations.get(i).layout());
        double[] y = observations.normalScores();
        GaussianProcess gp = observations.size() >= initial ? GaussianProcess.fit(x, y, LENGTHSCALES, NOISES) : null;
        double incumbent = Arrays.stream(y).max().orElse(0);
        for (int i = 0; i < count; i++) {
            int[] child = null;
            if (gp != null) {
                GaussianProcess model = gp;
                List<int[]> best = CandidateSearch.best(space, observations, layouts -> acquire(model, layouts, incumbent), search,
                        batch, rng, 1);
                if (!best.isEmpty()) child = best.getFirst();
            }
            if (child == null) child = observations.freshUniform(space, batch, rng);
            int[] layout = observations.layout(space, child);
            batch.add(Arrays.toString(layout));
            out.add(Proposal.of(space, child));
            if (gp != null && i + 1 < count) { // kriging believer: pretend the child scored its predicted mean
                x.add(layout);
                y = Arrays.copyOf(y, y.length + 1);
                y[y.length - 1] = gp.predict(layout)[0];
                gp = gp.refit(x, y);
            }
        }
        return out;
    }

    private double[] acquire(GaussianProcess gp, List<int[]> layouts, double incumbent) {
        double[] out = new double[layouts.size()];
        for (int i = 0; i < out.length; i++) {
            double[] ms = gp.predict(layouts.get(i));
            double mean = ms[0], sd = ms[1];
            out[i] = switch (acquisition) {
                case UCB -> mean + ucbBeta * sd;
                case EI -> {
                    double z = (mean - incumbent) / sd;
                    yield (mean - incumbent) * Gaussian.cdf(z) + sd * Gaussian.pdf(z);
                }
            };
        }
        return out;
    }

    @Override
    public void update(List<Proposal> proposals, double[] rewards) {
        if (proposals.size() != rewards.length)
            throw new IllegalArgumentException(proposals.size() + " proposals but " + rewards.length + " rewards");
        for (int k = 0; k < rewards.length; k++) observations.add(proposals.get(k), rewards[k]);
    }

    @Override
    public JsonNode state() {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("rng", rng.state());
        s.set("observations", observations.toJson());
        return s;
    }

    @Override
    public void restore(JsonNode s) {
        rng.setState(s.get("rng").asLong());
        observations.restore(s.get("observations"));
    }
}
