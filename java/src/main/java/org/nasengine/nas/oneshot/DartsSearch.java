package org.nasengine.nas.oneshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.nasengine.autograd.CrossEntropy;
import org.nasengine.backend.AdamConfig;
import org.nasengine.backend.Backend;
import org.nasengine.backend.SgdConfig;
import org.nasengine.data.ImageSplit;
import org.nasengine.nas.space.Architecture;
import org.nasengine.optim.Adam;
import org.nasengine.optim.GradClip;
import org.nasengine.optim.LrSchedule;
import org.nasengine.optim.Sgd;
import org.nasengine.tensor.Rng;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tensor;

/**
 * DARTS on a {@link DartsSupernet} (the NAS-Bench-201 cell, or NASNet's normal and reduction
 * cells): bilevel optimization of the supernet's weights (SGD on training batches) and the
 * architecture parameters alpha, one (EDGES, OPS) matrix read by every cell (Adam on validation
 * batches). Each step makes one alpha update on a validation batch,
 * first-order (the gradient at the current weights) or second-order (at the weights after one
 * virtual SGD step, with the finite-difference Hessian-vector product of the paper), then one
 * weight update on a training batch. {@link DartsConfig.Mode} picks the plain mixture or a remedy.
 * The supernet's own rule discretizes alpha ({@link DartsSupernet#discretize}).
 *
 * <p>At the end of every epoch the whole state (weights, batch-norm statistics, alpha, both
 * optimizers, the Gumbel generator, the position, the per-epoch history) is checkpointed
 * atomically; a search restarted on the same folder continues from there with the same batches.
 * A non-finite loss stops the search with status {@code diverged}, leaving the last good checkpoint.
 */
public final class DartsSearch {
    /** Progress callbacks, on the search's thread. */
    public interface Listener {
        default void step(long step, long total, float loss) {}
        default void epoch(JsonNode line) {}
        /** Called after each checkpoint (tests stand in a kill here). */
        default void checkpointed(long step) {}
    }

    /** How the search ended, the discretized child and the final softmax of alpha (EDGES x OPS). */
    public record Result(String status, String error, Architecture found, float[][] probs, long steps, double seconds) {
        public boolean ok() { return status.equals("ok"); }
    }

    private final Backend be;
    private final DartsConfig cfg;
    private final OneShotStore store;
    private final Listener listener;
    private final DartsSupernet net;
    private final Tensor alpha;                // (EDGES, OPS) architecture parameters
    private final Sgd sgd;
    private final Adam adam;
    private final StepBatches train, valid;
    private final ImageSplit validation;
    private final Rng gumbel;
    private final LrSchedule schedule;
    private final long total;
    private final List<JsonNode> history = new ArrayList<>();
    private double seconds;                    // search time of earlier runs of this folder

    /** DARTS on the NAS-Bench-201 supernet of the config's channels and cells per stage. */
    public DartsSearch(Backend backend, ImageSplit trainSplit, ImageSplit validSplit, DartsConfig cfg, OneShotStore store,
                       Listener listener) {
        this(backend, new Nb201Supernet(cfg.channels(), cfg.cellsPerStage(), trainSplit.channels(), trainSplit.height(),
                trainSplit.width(), trainSplit.classes(), backend, cfg.seed()), trainSplit, validSplit, cfg, store, listener);
    }

    /** DARTS on {@code supernet}, which the search then owns (and closes). */
    public DartsSearch(Backend backend, DartsSupernet supernet, ImageSplit trainSplit, ImageSplit validSplit, DartsConfig cfg,
                       OneShotStore store, Listener listener) {
        this.be = backend;
        this.cfg = cfg;
        this.store = store;
        this.listener = listener;
        this.validation = validSplit;
        net = supernet;
        alpha = Tensor.parameter(backend, Archs.initialAlpha(cfg.seed(), net.alphaRows() * net.alphaCols()), net.alphaRows(),
                net.alphaCols());
        sgd = new Sgd(net.module().parameters(), new SgdConfig(cfg.momentum(), cfg.weightDecay(), false));
        adam = new Adam(List.of(alpha), new AdamConfig(0.5f, 0.999f, 1e-8f, cfg.archWeightDecay()));
        train = new StepBatches(trainSplit, cfg.batch(), cfg.seed(), cfg.augment());
        valid = new StepBatches(validSplit, cfg.batch(), cfg.seed() + 1, false);
        gumbel = new Rng(cfg.seed() ^ 0x6A09E667F3BCC909L);
        total = (long) cfg.epochs() * train.perEpoch();
        schedule = LrSchedule.cosine(cfg.lr(), cfg.lrMin(), (int) total);
    }

    public DartsSupernet supernet() { return net; }

    public Result run() throws IOException {
        long step = restore(store.load());
        long started = System.nanoTime();
        try {
            while (step < total) {
                int epoch = (int) (step / train.perEpoch());
                float loss;
                try (Scope s = Scope.open()) {
                    float valLoss = epoch < cfg.warmupEpochs() ? 0f : archStep(step, epoch);
                    if (!Float.isFinite(valLoss)) return diverged("validation loss became " + valLoss, step, started);
                    loss = weightStep(step, epoch);
                    if (!Float.isFinite(loss)) return diverged("training loss became " + loss, step, started);
                    meter.add(loss, valLoss);
                }
                step++;
                listener.step(step, total, loss);
                if (step % train.perEpoch() == 0) {
                    if (!Archs.finite(net.module().parameters()) || !Archs.finite(List.of(alpha)))
                        return diverged("a weight became non-finite", step, started);
                    endEpoch(epoch, step, started);
                }
            }
            return new Result("ok", null, net.discretize(probs()), probs(), step, seconds + elapsed(started));
        } finally {
            org.nasengine.tensor.Tape.current().clear();
        }
    }

    /** One alpha update on validation batch {@code step}; returns its loss. */
    private float archStep(long step, int epoch) {
        StepBatches.Batch vb = valid.at(step, be);
        if (cfg.secondOrder()) return SecondOrder.archGradient(this, step, vb);
        Tensor loss = loss(vb, mix(alpha, epoch, true), false);
        adam.zeroGrad();
        sgd.zeroGrad();
        loss.backward();
        float value = loss.item();
        if (Float.isFinite(value)) adam.step(cfg.archLr());
        return value;
    }

    /** One weight update on training batch {@code step} with alpha held; returns its loss. */
    private float weightStep(long step, int epoch) {
        StepBatches.Batch tb = train.at(step, be);
        Tensor loss = loss(tb, mix(alpha.copy(), epoch, false), true);
        sgd.zeroGrad();
        loss.backward();
        float value = loss.item();
        if (!Float.isFinite(value)) return value;
        double norm = GradClip.clipByGlobalNorm(net.module().parameters(), cfg.gradClip());
        if (!Double.isFinite(norm)) return Float.NaN; // reported as a diverged loss; the step is not taken
        sgd.step(schedule.at((int) step));
        return value;
    }

    /** Mean cross-entropy of the supernet under {@code mix} on batch {images, labels}; a training batch counts its accuracy. */
    Tensor loss(StepBatches.Batch batch, EdgeMix mix, boolean training) {
        net.module().train();
        Tensor logits = net.mix(mix).forward(batch.images());
        if (training) meter.addAccuracy(logits, batch.hostLabels());
        return CrossEntropy.softmaxCrossEntropy(logits, batch.labels());
    }

    /**
     * The edge mix of the next forward for the mode: DARTS' softmax over every operation, GDAS'
     * sampled operation per edge (straight-through weights when alpha is to learn, the bare
     * operation for a weight step), DARTS-' softmax plus the decaying auxiliary skip.
     */
    EdgeMix mix(Tensor a, int epoch, boolean archStep) {
        return switch (cfg.mode()) {
            case PLAIN -> EdgeMix.all(a.logSoftmax().exp());
            case AUX_SKIP -> EdgeMix.all(a.logSoftmax().exp()).withAuxSkip(auxSkip(epoch));
            case GDAS -> {
                int rows = net.alphaRows(), cols = net.alphaCols();
                Tensor noisy = a.logSoftmax().add(Tensor.of(be, Archs.gumbelNoise(gumbel, rows * cols), rows, cols))
                        .scale(1f / tau(epoch));
                Tensor probs = noisy.logSoftmax().exp();                      // (EDGES, OPS)
                int[] chosen = Archs.argmaxRows(probs.toArray(), cols);
                if (!archStep) yield new EdgeMix(null, EdgeMix.sampled(probs, chosen).active(), 0f);
                Tensor hard = probs.sub(probs.copy()).add(Tensor.of(be, Archs.oneHot(chosen, cols), rows, cols));
                yield EdgeMix.sampled(hard, chosen);
            }
        };
    }

    float tau(int epoch) {
        return cfg.epochs() == 1 ? cfg.tauMin() : cfg.tauMax() - (cfg.tauMax() - cfg.tauMin()) * epoch / (cfg.epochs() - 1);
    }

    float auxSkip(int epoch) {
        return 1f - epoch / (float) cfg.epochs();
    }

    /** softmax(alpha), (EDGES x OPS). */
    public float[][] probs() {
        try (Scope s = Scope.open()) {
            return Archs.rows(alpha.copy().logSoftmax().exp().toArray(), net.alphaCols());
        }
    }

    // ---- epoch end: evaluation, history, checkpoint ----

    private final Meter meter = new Meter();

    private void endEpoch(int epoch, long step, long started) throws IOException {
        float[][] p = probs();
        Architecture cell = net.discretize(p);
        ObjectNode line = OneShotStore.JSON.createObjectNode();
        line.put("epoch", epoch + 1);
        line.put("step", step);
        line.put("seconds", Math.round((seconds + elapsed(started)) * 10) / 10.0);
        line.put("train_loss", meter.trainLoss());
        line.put("train_acc", meter.accuracy());
        line.put("arch_loss", meter.archLoss());
        line.put("cell", net.describe(cell));
        line.put("cell_val_acc", Archs.accuracy(net, cell, validation, cfg.batch()));
        if (cfg.mode() == DartsConfig.Mode.GDAS) line.put("tau", tau(epoch));
        if (cfg.mode() == DartsConfig.Mode.AUX_SKIP) line.put("aux_skip", auxSkip(epoch));
        ArrayNode rows = line.putArray("probs");
        for (float[] r : p) {
            ArrayNode a = rows.addArray();
            for (float v : r) a.add(Math.round(v * 1e4) / 1e4);
        }
        meter.reset();
        history.add(line);
        listener.epoch(line);
        store.save(checkpoint(step, seconds + elapsed(started)));
        listener.checkpointed(step);
    }

    private ObjectNode checkpoint(long step, double secs) {
        ObjectNode cp = OneShotStore.JSON.createObjectNode();
        cp.put("kind", "darts");
        cp.put("step", step);
        cp.put("seconds", secs);
        cp.put("gumbel", gumbel.state());
        cp.set("alpha", Blobs.of(alpha.toArray()));
        cp.set("weights", Blobs.ofTensors(net.module().parameters()));
        cp.set("state", Blobs.ofTensors(net.module().stateTensors()));
        cp.set("sgd", Blobs.ofArrays(sgd.exportVelocity()));
        Adam.State a = adam.exportState();
        cp.put("adam_step", a.step());
        cp.set("adam_m", Blobs.ofArrays(a.m()));
        cp.set("adam_v", Blobs.ofArrays(a.v()));
        cp.set("history", OneShotStore.JSON.valueToTree(history));
        return cp;
    }

    /** Restores a checkpoint (null: a fresh search); returns the step to continue from. */
    private long restore(ObjectNode cp) {
        if (cp == null) return 0;
        if (!"darts".equals(cp.path("kind").asText()))
            throw new IllegalArgumentException(store.checkpointFile() + " is not a DARTS checkpoint (kind " + cp.path("kind") + ")");
        Blobs.restore("architecture parameters", OneShotStore.JSON.createArrayNode().add(cp.get("alpha")), List.of(alpha));
        Blobs.restore("weights", cp.get("weights"), net.module().parameters());
        Blobs.restore("batch-norm statistics", cp.get("state"), net.module().stateTensors());
        sgd.importVelocity(Blobs.arrays(cp.get("sgd")));
        adam.importState(new Adam.State(cp.get("adam_step").asInt(), Blobs.arrays(cp.get("adam_m")), Blobs.arrays(cp.get("adam_v"))));
        gumbel.setState(cp.get("gumbel").asLong());
        seconds = cp.get("seconds").asDouble();
        history.addAll(OneShotStore.history(cp));
        return cp.get("step").asLong();
    }

    private Result diverged(String why, long step, long started) {
        return new Result("diverged", why + " at step " + step + "; " + store.checkpointFile() + " keeps the last good state",
                net.discretize(probs()), probs(), step, seconds + elapsed(started));
    }

    private static double elapsed(long started) {
        return (System.nanoTime() - started) / 1e9;
    }

    // package access for SecondOrder
    DartsConfig config() { return cfg; }
    Tensor alpha() { return alpha; }
    Adam adam() { return adam; }
    Sgd sgd() { return sgd; }
    StepBatches.Batch trainBatch(long step) { return train.at(step, be); }
    float lrAt(long step) { return schedule.at((int) step); }
    int epochOf(long step) { return (int) (step / train.perEpoch()); }

    public void close() {
        adam.close();
        sgd.close();
        alpha.close();
        net.close();
    }
}
