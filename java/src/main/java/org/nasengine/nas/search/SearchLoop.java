package org.nasengine.nas.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import it.unimi.dsi.fastutil.objects.Object2ObjectOpenHashMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.nasengine.nas.strategy.DecisionSpace;
import org.nasengine.nas.strategy.Proposal;
import org.nasengine.nas.strategy.Strategy;

/**
 * The search: rounds of (propose m children, train each, update the strategy, checkpoint).
 * Each finished child is appended to trials.jsonl at once; the strategy's state is checkpointed
 * atomically after each update. A resumed search restores the checkpoint of the last completed
 * round and proposes that round again: because proposals depend only on the checkpointed state,
 * they are the same children, and those already in the log are taken from it, not retrained.
 */
public final class SearchLoop {
    private static final ObjectMapper JSON = new ObjectMapper();

    public interface Listener {
        default void childStarted(int trialId, ObjectNode arch) {}
        default void childFinished(Trial trial, double bestReward) {}
    }

    private final Path out;
    private final Strategy strategy;
    private final IntFunction<DecisionSpace> spaceForSample;
    private final ChildEvaluator evaluator;
    private final int budget;
    private final int childrenPerUpdate;
    private final boolean retrainDuplicates;
    private final long seed;
    private final Listener listener;
    private final Object2ObjectOpenHashMap<String, Trial> byArchitecture = new Object2ObjectOpenHashMap<>();
    private final List<Trial> trials = new ArrayList<>();

    public SearchLoop(Path out, Strategy strategy, IntFunction<DecisionSpace> spaceForSample, ChildEvaluator evaluator,
                      int budget, int childrenPerUpdate, boolean retrainDuplicates, long seed, Listener listener) {
        if (budget < 1) throw new IllegalArgumentException("budget (" + budget + ") must be >= 1");
        if (childrenPerUpdate < 1) throw new IllegalArgumentException("children per update (" + childrenPerUpdate + ") must be >= 1");
        this.out = out;
        this.strategy = strategy;
        this.spaceForSample = spaceForSample;
        this.evaluator = evaluator;
        this.budget = budget;
        this.childrenPerUpdate = childrenPerUpdate;
        this.retrainDuplicates = retrainDuplicates;
        this.seed = seed;
        this.listener = listener;
    }

    public Path checkpointFile() { return out.resolve("checkpoint.json"); }
    public Path trialsFile() { return out.resolve("trials.jsonl"); }
    public List<Trial> trials() { return trials; }

    /** Runs (or, when a checkpoint exists, resumes) until {@code budget} children are recorded. */
    public List<Trial> run() throws IOException {
        Files.createDirectories(out);
        int nextId = 0;
        List<Trial> logged = TrialLog.read(trialsFile());
        if (Files.exists(checkpointFile())) {
            ObjectNode cp = (ObjectNode) JSON.readTree(checkpointFile().toFile());
            strategy.restore(cp.get("strategy"));
            nextId = cp.get("nextTrialId").asInt();
        } else if (!logged.isEmpty()) {
            throw new IOException(trialsFile() + " has trials but " + checkpointFile() + " is missing: not a resumable search");
        }
        List<Trial> pending = new ArrayList<>();
        for (Trial t : logged) {
            if (t.id() < nextId) remember(t);
            else pending.add(t); // recorded during the round that was interrupted
        }
        try (TrialLog log = TrialLog.open(trialsFile())) {
            while (nextId < budget) {
                int m = Math.min(childrenPerUpdate, budget - nextId);
                List<Proposal> proposals = strategy.propose(spaceForSample.apply(nextId), m);
                double[] rewards = new double[m];
                for (int i = 0; i < m; i++) {
                    int id = nextId + i;
                    Trial t = findPending(pending, id);
                    if (t == null) {
                        t = runChild(id, nextId / childrenPerUpdate, proposals.get(i).arch());
                        log.append(t);
                    }
                    remember(t);
                    rewards[i] = t.reward();
                    listener.childFinished(t, best());
                }
                strategy.update(proposals, rewards);
                nextId += m;
                checkpoint(nextId);
            }
        }
        return trials;
    }

    public double best() {
        return trials.stream().mapToDouble(Trial::reward).max().orElse(Double.NaN);
    }

    private Trial runChild(int id, int step, ObjectNode arch) {
        String key = canonical(arch);
        Trial earlier = byArchitecture.get(key);
        if (earlier != null && !retrainDuplicates)
            return new Trial(id, step, strategy.name(), arch, earlier.reward(), earlier.valMetric(), earlier.params(),
                    0, "cached", "same architecture as trial " + earlier.id());
        listener.childStarted(id, arch);
        long start = System.nanoTime();
        ChildResult r;
        try {
            r = evaluator.evaluate(id, arch, seed * 1_000_003L + id);
        } catch (RuntimeException | OutOfMemoryError e) {
            // the evaluator should report failures itself; this is the last line of defence
            r = ChildResult.failed(e instanceof OutOfMemoryError ? "out_of_memory" : "failed", String.valueOf(e),
                    (System.nanoTime() - start) / 1e9);
        }
        return new Trial(id, step, strategy.name(), arch, r.reward(), r.valMetric(), r.params(), r.seconds(), r.status(), r.error());
    }

    private void remember(Trial t) {
        trials.add(t);
        if (t.trained()) byArchitecture.putIfAbsent(canonical((ObjectNode) t.arch()), t);
    }

    private static Trial findPending(List<Trial> pending, int id) {
        for (Trial t : pending) if (t.id() == id) return t;
        return null;
    }

    private void checkpoint(int nextId) throws IOException {
        ObjectNode cp = JSON.createObjectNode();
        cp.put("nextTrialId", nextId);
        cp.set("strategy", strategy.state());
        AtomicFiles.write(checkpointFile(), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(cp));
    }

    /** Compact JSON with the spec's field order is canonical: equal architectures give equal strings. */
    static String canonical(ObjectNode arch) {
        try {
            return JSON.writeValueAsString(arch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
