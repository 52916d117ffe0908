package org.nasengine.nas.oneshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.nasengine.autograd.CrossEntropy;
import org.nasengine.backend.Backend;
import org.nasengine.backend.SgdConfig;
import org.nasengine.data.ImageSplit;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.nas.strategy.Proposal;
import org.nasengine.nas.strategy.ReinforceStrategy;
import org.nasengine.optim.GradClip;
import org.nasengine.optim.LrSchedule;
import org.nasengine.optim.Sgd;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/**
 * ENAS (Pham et al. 2018) over any {@link SharedModel}: alternating phases, as in the paper. The
 * shared weights train on training minibatches, each with a child freshly sampled by the
 * controller; then the controller trains by REINFORCE ({@link ReinforceStrategy}: EMA baseline,
 * entropy bonus, Adam) with the shared weights fixed, each sampled child rewarded with its
 * accuracy on one validation minibatch. At the end many children are sampled and scored on a fixed
 * validation minibatch, the best few again on the whole validation split; the best of those is
 * the result, to be retrained from scratch.
 *
 * <p>Each finished phase is checkpointed atomically (shared weights, batch-norm statistics, SGD
 * momentum, the controller with its Adam state, baseline and generator, the position); a search
 * restarted on the same folder continues after the last finished phase with the same batches. A
 * non-finite training loss stops with status {@code diverged}, keeping the last good checkpoint.
 */
public final class EnasSearch {
    /** Progress callbacks, on the search's thread. */
    public interface Listener {
        default void step(String phase, long done, long total, double value) {}
        default void epoch(JsonNode line) {}
        /** Called after each checkpoint (tests stand in a kill here). */
        default void checkpointed(int phasesDone) {}
    }

    /** How the search ended; the chosen child and its validation accuracy through the shared weights. */
    public record Result(String status, String error, Architecture best, double bestScore, double seconds) {
        public boolean ok() { return status.equals("ok"); }
    }

    private record Scored(Architecture arch, double score) {}

    private final Backend be;
    private final SharedModel model;
    private final DecisionSpace space;
    private final ReinforceStrategy controller;
    private final EnasConfig cfg;
    private final OneShotStore store;
    private final Listener listener;
    private final ImageSplit validation;
    private final StepBatches train, valid;
    private final Sgd sgd;
    private final LrSchedule schedule;
    private final List<JsonNode> history = new ArrayList<>();
    private final Meter meter = new Meter();
    private double rewardSum;
    private int rewardCount;
    private double seconds;

    public EnasSearch(Backend backend, SharedModel model, DecisionSpace space, ReinforceStrategy controller, ImageSplit trainSplit,
                      ImageSplit validSplit, EnasConfig cfg, OneShotStore store, Listener listener) {
        this.be = backend;
        this.model = model;
        this.space = space;
        this.controller = controller;
        this.cfg = cfg;
        this.store = store;
        this.listener = listener;
        this.validation = validSplit;
        train = new StepBatches(trainSplit, cfg.batch(), cfg.seed(), cfg.augment());
        valid = new StepBatches(validSplit, Math.min(cfg.batch(), validSplit.count()), cfg.seed() + 1, false);
        sgd = new Sgd(model.module().parameters(), new SgdConfig(cfg.momentum(), cfg.weightDecay(), true));
        schedule = LrSchedule.cosine(cfg.lr(), cfg.lrMin(), cfg.epochs() * train.perEpoch());
    }

    public Result run() throws IOException {
        int phase = restore(store.load());
        long started = System.nanoTime();
        try {
            for (; phase < 2 * cfg.epochs(); phase++) {
                int epoch = phase / 2;
                if (phase % 2 == 0) {
                    String error = trainWeights(epoch);
                    if (error != null)
                        return new Result("diverged", error + "; " + store.checkpointFile() + " keeps the last good state", null,
                                Double.NaN, seconds + elapsed(started));
                } else {
                    trainController(epoch);
                    endEpoch(epoch, started);
                }
                store.save(checkpoint(phase + 1, seconds + elapsed(started)));
                listener.checkpointed(phase + 1);
            }
            Scored best = select();
            return new Result("ok", null, best.arch(), best.score(), seconds + elapsed(started));
        } finally {
            Tape.current().clear();
        }
    }

    /** One pass over the training split, a freshly sampled child per minibatch; an error message when the loss diverges. */
    private String trainWeights(int epoch) {
        int perEpoch = train.perEpoch();
        for (int t = 0; t < perEpoch; t++) {
            long step = (long) epoch * perEpoch + t;
            Architecture child = controller.propose(space, 1).getFirst().arch();
            float value;
            try (Scope s = Scope.open()) {
                model.module().train();
                StepBatches.Batch b = train.at(step, be);
                Tensor logits = model.forward(child, b.images());
                meter.addAccuracy(logits, b.hostLabels());
                Tensor loss = CrossEntropy.softmaxCrossEntropy(logits, b.labels());
                sgd.zeroGrad();
                loss.backward();
                value = loss.item();
                if (!Float.isFinite(value))
                    return "training loss became " + value + " at step " + step + " (child " + ArchitectureCodec.toCompactJson(child) + ")";
                double norm = GradClip.clipByGlobalNorm(model.module().parameters(), cfg.gradClip());
                if (!Double.isFinite(norm)) return "gradient norm became " + norm + " at step " + step;
                sgd.step(schedule.at((int) step));
            }
            meter.add(value, 0);
            listener.step("weights", t + 1, perEpoch, value);
        }
        if (!Archs.finite(model.module().parameters())) return "a shared weight became non-finite in epoch " + (epoch + 1);
        return null;
    }

    /** REINFORCE updates with the shared weights fixed; each child's reward is its accuracy on one validation minibatch. */
    private void trainController(int epoch) {
        int m = cfg.childrenPerUpdate();
        for (int u = 0; u < cfg.controllerSteps(); u++) {
            List<Proposal> children = controller.propose(space, m);
            double[] rewards = new double[m];
            for (int i = 0; i < m; i++) {
                long sample = ((long) epoch * cfg.controllerSteps() + u) * m + i;
                rewards[i] = batchAccuracy(children.get(i).arch(), valid.at(sample, be));
                rewardSum += rewards[i];
                rewardCount++;
            }
            controller.update(children, rewards);
            listener.step("controller", u + 1, cfg.controllerSteps(), rewardSum / rewardCount);
        }
    }

    private double batchAccuracy(Architecture child, StepBatches.Batch b) {
        try (Tape.Guard g = Tape.noGrad(); Scope s = Scope.open()) {
            model.module().train(); // batch statistics, as the shared weights are trained
            Tensor logits = model.forward(child, b.images());
            return Archs.correct(logits.toArray(), b.hostLabels(), logits.dim(1)) / (double) b.hostLabels().length;
        }
    }

    /**
     * Samples {@code samples} children, scores each on the same validation minibatch (the first of
     * the split's shuffled order), then the best {@link EnasConfig#FINALISTS} distinct ones on the
     * whole validation split; the best of those wins.
     */
    private Scored select() {
        List<Proposal> drawn = controller.propose(space, cfg.samples());
        StepBatches.Batch fixed;
        List<Scored> scored = new ArrayList<>();
        try (Scope s = Scope.open()) {
            fixed = valid.at(0, be);
            for (Proposal p : drawn) scored.add(new Scored(p.arch(), batchAccuracy(p.arch(), fixed)));
        }
        scored.sort(Comparator.comparingDouble(Scored::score).reversed());
        List<Scored> finalists = new ArrayList<>();
        for (Scored c : scored) {
            if (finalists.stream().anyMatch(f -> f.arch().key().equals(c.arch().key()))) continue;
            finalists.add(new Scored(c.arch(), Archs.accuracy(model, c.arch(), validation, cfg.batch())));
            if (finalists.size() == EnasConfig.FINALISTS) break;
        }
        finalists.sort(Comparator.comparingDouble(Scored::score).reversed());
        ObjectNode line = OneShotStore.JSON.createObjectNode();
        line.put("final_samples", drawn.size());
        ArrayNode top = line.putArray("finalists");
        for (Scored f : finalists) {
            ObjectNode o = top.addObject();
            o.put("val_acc", f.score());
            o.set("arch", ArchitectureCodec.toTree(f.arch()));
        }
        listener.epoch(line);
        return finalists.getFirst();
    }

    private void endEpoch(int epoch, long started) {
        ObjectNode line = OneShotStore.JSON.createObjectNode();
        line.put("epoch", epoch + 1);
        line.put("seconds", Math.round((seconds + elapsed(started)) * 10) / 10.0);
        line.put("train_loss", meter.trainLoss());
        line.put("train_acc", meter.accuracy());
        line.put("mean_reward", Math.round(rewardSum / Math.max(1, rewardCount) * 1e4) / 1e4);
        line.put("baseline", Math.round(controller.baseline() * 1e4) / 1e4);
        meter.reset();
        rewardSum = 0;
        rewardCount = 0;
        history.add(line);
        listener.epoch(line);
    }

    private ObjectNode checkpoint(int phasesDone, double secs) {
        ObjectNode cp = OneShotStore.JSON.createObjectNode();
        cp.put("kind", "enas");
        cp.put("phases_done", phasesDone);
        cp.put("seconds", secs);
        cp.set("weights", Blobs.ofTensors(model.module().parameters()));
        cp.set("state", Blobs.ofTensors(model.module().stateTensors()));
        cp.set("sgd", Blobs.ofArrays(sgd.exportVelocity()));
        cp.set("controller", controller.state());
        cp.put("reward_sum", rewardSum);
        cp.put("reward_count", rewardCount);
        cp.set("meter", meter.state());
        cp.set("history", OneShotStore.JSON.valueToTree(history));
        return cp;
    }

    /** Restores a checkpoint (null: a fresh search); returns the phases already done. */
    private int restore(ObjectNode cp) {
        if (cp == null) return 0;
        if (!"enas".equals(cp.path("kind").asText()))
            throw new IllegalArgumentException(store.checkpointFile() + " is not an ENAS checkpoint (kind " + cp.path("kind") + ")");
        Blobs.restore("shared weights", cp.get("weights"), model.module().parameters());
        Blobs.restore("batch-norm statistics", cp.get("state"), model.module().stateTensors());
        sgd.importVelocity(Blobs.arrays(cp.get("sgd")));
        controller.restore(cp.get("controller"));
        rewardSum = cp.get("reward_sum").asDouble();
        rewardCount = cp.get("reward_count").asInt();
        meter.restore(cp.get("meter"));
        seconds = cp.get("seconds").asDouble();
        history.addAll(OneShotStore.history(cp));
        return cp.get("phases_done").asInt();
    }

    private static double elapsed(long started) {
        return (System.nanoTime() - started) / 1e9;
    }

    public void close() {
        sgd.close();
    }
}
