package org.nasengine.nas.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.nasengine.backend.AdamConfig;
import org.nasengine.backend.Backend;
import org.nasengine.nas.controller.Controller;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.optim.Adam;
import org.nasengine.optim.GradClip;
import org.nasengine.tensor.Rng;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/**
 * REINFORCE (Williams 1992) as Zoph and Le use it: the gradient
 * sum_k grad log P(a_k) * (R_k - b) / m over the m children of an update, b an exponential moving
 * average of earlier rewards, an optional entropy bonus, Adam on the controller. With
 * {@code normalizeAdvantage} the advantage R_k - b is divided by a running standard deviation of
 * the rewards (an exponential moving average of (R - b)^2 with the baseline's decay), so the step
 * is the same whether rewards are accuracies in [0, 1], percentages or c / ppl^2.
 */
public final class ReinforceStrategy implements Strategy {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double CLIP_NORM = 5.0;

    private final Controller controller;
    private final Adam adam;
    private final float lr;
    private final double baselineDecay, entropyWeight;
    private final boolean normalizeAdvantage;
    private final Rng rng;
    private double baseline, rewardVariance; // rewardVariance: EMA of (R - b)^2, from 0
    private int varianceCount;               // rewards in rewardVariance, for its bias correction
    private boolean baselineSet;

    public ReinforceStrategy(Backend backend, DecisionSpace largestSpace, int controllerLayers, int controllerHidden,
                             float lr, double baselineDecay, double entropyWeight, long seed) {
        this(backend, largestSpace, controllerLayers, controllerHidden, lr, baselineDecay, entropyWeight, false, seed);
    }

    public ReinforceStrategy(Backend backend, DecisionSpace largestSpace, int controllerLayers, int controllerHidden,
                             float lr, double baselineDecay, double entropyWeight, boolean normalizeAdvantage, long seed) {
        if (!(baselineDecay >= 0 && baselineDecay < 1))
            throw new IllegalArgumentException("baseline decay (" + baselineDecay + ") must be in [0, 1)");
        if (!(lr > 0)) throw new IllegalArgumentException("controller lr (" + lr + ") must be > 0");
        this.controller = new Controller(backend, List.of(largestSpace), controllerLayers, controllerHidden, 0.08f, seed);
        this.adam = new Adam(controller.parameters(), AdamConfig.defaults());
        this.lr = lr;
        this.baselineDecay = baselineDecay;
        this.entropyWeight = entropyWeight;
        this.normalizeAdvantage = normalizeAdvantage;
        this.rng = new Rng(seed ^ 0x2545F4914F6CDD1DL);
    }

    @Override public String name() { return "reinforce"; }

    public double baseline() { return baseline; }

    @Override
    public List<Proposal> propose(DecisionSpace space, int count) {
        List<Proposal> out = new ArrayList<>(count);
        try (Tape.Guard g = Tape.noGrad(); Scope s = Scope.open()) {
            for (int i = 0; i < count; i++) out.add(Proposal.of(space, controller.run(space, null, rng).tokens()));
        }
        return out;
    }


    @Override
    public void update(List<Proposal> proposals, double[] rewards) {
        if (proposals.size() != rewards.length)
            throw new IllegalArgumentException(proposals.size() + " proposals but " + rewards.length + " rewards");
        double scale = 1;
        if (normalizeAdvantage) {
            double center = baselineSet ? baseline : mean(rewards);
            for (double r : rewards) {
                rewardVariance = baselineDecay * rewardVariance + (1 - baselineDecay) * (r - center) * (r - center);
                varianceCount++;
            }
            double unbiased = rewardVariance / (1 - Math.pow(baselineDecay, varianceCount)); // as Adam corrects its moments
            scale = unbiased > 0 ? 1 / Math.sqrt(unbiased) : 0; // all rewards equal so far: nothing to learn
        }
        try (Scope s = Scope.open()) {
            Tensor loss = null;
            for (int k = 0; k < proposals.size(); k++) {
                Proposal p = proposals.get(k);
                Controller.Pass pass = controller.run(p.space(), p.tokens(), null);
                float advantage = (float) ((rewards[k] - baselineFor(rewards, k)) * scale);
                Tensor term = pass.logProb().scale(-advantage / proposals.size());
                if (entropyWeight != 0) term = term.sub(pass.entropy().scale((float) (entropyWeight / proposals.size())));
                loss = loss == null ? term : loss.add(term);
            }
            adam.zeroGrad();
            loss.reshape().backward();
            GradClip.clipByGlobalNorm(controller.parameters(), CLIP_NORM);
            adam.step(lr);
        }
        if (!baselineSet) {
            baseline = 0;
            for (double r : rewards) baseline += r / rewards.length;
            baselineSet = true;
        } else {
            for (double r : rewards) baseline = baselineDecay * baseline + (1 - baselineDecay) * r;
        }
    }

    /**
     * The baseline child k is compared with: the moving average of earlier rewards; in the first
     * update, which has none, the mean of the other children of the batch (leave-one-out), so that
     * no child's advantage is measured against its own reward. A lone first child teaches nothing.
     */
    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) sum += v;
        return sum / values.length;
    }

    private double baselineFor(double[] rewards, int k) {
        if (baselineSet) return baseline;
        if (rewards.length == 1) return rewards[0];
        double others = 0;
        for (int i = 0; i < rewards.length; i++) if (i != k) others += rewards[i];
        return others / (rewards.length - 1);
    }

    @Override
    public JsonNode state() {
        ObjectNode s = JSON.createObjectNode();
        s.put("rng", rng.state());
        s.put("baseline", baseline);
        s.put("baselineSet", baselineSet);
        s.put("rewardVariance", rewardVariance);
        s.put("varianceCount", varianceCount);
        ArrayNode params = s.putArray("params");
        for (Tensor p : controller.parameters()) params.add(floats(p.toArray()));
        Adam.State a = adam.exportState();
        s.put("adamStep", a.step());
        ArrayNode m = s.putArray("adamM"), v = s.putArray("adamV");
        for (int i = 0; i < a.m().length; i++) {
            m.add(floats(a.m()[i]));
            v.add(floats(a.v()[i]));
        }
        return s;
    }

    @Override
    public void restore(JsonNode s) {
        rng.setState(s.get("rng").asLong());
        baseline = s.get("baseline").asDouble();
        baselineSet = s.get("baselineSet").asBoolean();
        rewardVariance = s.has("rewardVariance") ? s.get("rewardVariance").asDouble() : 0;
        varianceCount = s.has("varianceCount") ? s.get("varianceCount").asInt() : 0;
        List<Tensor> params = controller.parameters();
        JsonNode saved = s.get("params");
        if (saved.size() != params.size())
            throw new IllegalArgumentException("checkpoint has " + saved.size() + " controller parameters, this controller "
                    + params.size() + " (was the search started with other controller options?)");
        for (int i = 0; i < params.size(); i++) params.get(i).set(floats(saved.get(i)));
        float[][] m = new float[params.size()][], v = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            m[i] = floats(s.get("adamM").get(i));
            v[i] = floats(s.get("adamV").get(i));
        }
        adam.importState(new Adam.State(s.get("adamStep").asInt(), m, v));
    }

    private static ArrayNode floats(float[] values) {
        ArrayNode a = JSON.createArrayNode();
        for (float f : values) a.add(f);
        return a;
    }

    private static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).floatValue();
        return out;
    }
}
