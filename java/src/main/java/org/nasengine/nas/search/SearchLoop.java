package org.nasengine.nas.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import it.unimi.dsi.fastutil.objects.Object2ObjectOpenHashMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
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
    private final List<ChildEvaluator> evaluators;
    private final BlockingQueue<ChildEvaluator> idle;
    private final int budget;
    private final int childrenPerUpdate;
    private final boolean retrainDuplicates;
    private final long seed;
    private final Listener listener;
    private final Object2ObjectOpenHashMap<String, Trial> byArchitecture = new Object2ObjectOpenHashMap<>();
    private final List<Trial> trials = new ArrayList<>();  // in id order, as rounds complete

    public SearchLoop(Path out, Strategy strategy, IntFunction<DecisionSpace> spaceForSample, ChildEvaluator evaluator,
                      int budget, int childrenPerUpdate, boolean retrainDuplicates, long seed, Listener listener) {
        this(out, strategy, spaceForSample, List.of(evaluator), budget, childrenPerUpdate, retrainDuplicates, seed, listener);
    }

    /** One evaluator per worker: that many children of a round train at once, each on its worker's evaluator. */
    public SearchLoop(Path out, Strategy strategy, IntFunction<DecisionSpace> spaceForSample, List<ChildEvaluator> evaluators,
                      int budget, int childrenPerUpdate, boolean retrainDuplicates, long seed, Listener listener) {
        if (budget < 1) throw new IllegalArgumentException("budget (" + budget + ") must be >= 1");
        if (childrenPerUpdate < 1) throw new IllegalArgumentException("children per update (" + childrenPerUpdate + ") must be >= 1");
        this.out = out;
        this.strategy = strategy;
        this.spaceForSample = spaceForSample;
        if (evaluators.isEmpty()) throw new IllegalArgumentException("a search needs at least one evaluator (worker)");
        this.evaluators = List.copyOf(evaluators);
        this.idle = new LinkedBlockingQueue<>(evaluators);
        this.budget = budget;
        this.childrenPerUpdate = childrenPerUpdate;
        this.retrainDuplicates = retrainDuplicates;
        this.seed = seed;
        this.listener = listener;
    }

    public Path checkpointFile() { return out.resolve("checkpoint.json"); }
    public Path trialsFile() { return out.resolve("trials.jsonl"); }

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
                Trial[] round = runRound(log, nextId, nextId / childrenPerUpdate, proposals, pending);
                double[] rewards = new double[m];
                for (int i = 0; i < m; i++) {
                    remember(round[i]);
                    rewards[i] = round[i].reward();
                }
                strategy.update(proposals, rewards);
                nextId += m;
                checkpoint(nextId);
            }
        }
        return trials;
    }

    /**
     * Trains the round's children, as many at once as there are evaluators; each is logged as it
     * finishes. A child identical to an earlier one (in an earlier round or this one) is not
     * trained: it is logged, once its original is done, with the original's result.
     */
    private Trial[] runRound(TrialLog log, int firstId, int step, List<Proposal> proposals, List<Trial> pending) throws IOException {
        int m = proposals.size();
        Trial[] done = new Trial[m];
        Map<String, Integer> firstInRound = new HashMap<>();
        List<Integer> duplicates = new ArrayList<>(), toTrain = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            done[i] = findPending(pending, firstId + i);
            if (done[i] != null) continue;
            String key = canonical(proposals.get(i).arch());
            if (!retrainDuplicates && (byArchitecture.containsKey(key) || firstInRound.containsKey(key))) duplicates.add(i);
            else {
                firstInRound.putIfAbsent(key, i);
                toTrain.add(i);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(evaluators.size(), toTrain.size())));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i : toTrain) {
                futures.add(pool.submit(() -> {
                    ChildEvaluator evaluator = idle.take();
                    try {
                        Trial t = train(evaluator, firstId + i, step, proposals.get(i).arch());
                        log.append(t);
                        done[i] = t;
                        listener.childFinished(t, Math.max(best(), t.reward()));
                    } finally {
                        idle.put(evaluator);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("search interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException("a search worker failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        for (int i : duplicates) {
            ObjectNode arch = proposals.get(i).arch();
            String key = canonical(arch);
            Trial earlier = byArchitecture.containsKey(key) ? byArchitecture.get(key) : done[firstInRound.get(key)];
            done[i] = new Trial(firstId + i, step, strategy.name(), arch, earlier.reward(), earlier.valMetric(), earlier.params(),
                    0, "cached", "same architecture as trial " + earlier.id());
            log.append(done[i]);
            listener.childFinished(done[i], best());
        }
        return done;
    }

    public double best() {
        return trials.stream().mapToDouble(Trial::reward).max().orElse(Double.NaN);
    }

    private Trial train(ChildEvaluator evaluator, int id, int step, ObjectNode arch) {
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
