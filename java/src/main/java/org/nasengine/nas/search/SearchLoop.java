package org.nasengine.nas.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import it.unimi.dsi.fastutil.objects.Object2ObjectOpenHashMap;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.IntFunction;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.DecisionSpace;
import org.nasengine.nas.strategy.Proposal;
import org.nasengine.nas.strategy.Strategy;

/**
 * The search: rounds of (propose m children, evaluate each, update the strategy, checkpoint).
 * The budget counts distinct architectures evaluated: a child identical to an earlier one is
 * recorded with the earlier result (status cached) and costs nothing. Each finished child is
 * appended to the store at once; the strategy's state is checkpointed after each update. A
 * resumed search restores the checkpoint of the last completed round (with none, it starts from
 * the beginning) and proposes that round again: because proposals depend only on the checkpointed
 * state, they are the same children, and those already recorded are taken from the record, not
 * evaluated again. A recorded child that is not the one proposed in its place means the record
 * and the checkpoint are not of one search: that is refused ({@link SearchStateException}).
 */
public final class SearchLoop {
    /** A strategy that proposes only architectures already seen this many times in a row has converged. */
    static final int MAX_REPEATS_IN_A_ROW = 200;

    public interface Listener {
        default void childStarted(int trialId, Architecture arch) {}

        /** {@code bestReward}: the best reward of any child so far, this one included (NaN until one has a finite reward). */
        default void childFinished(Trial trial, double bestReward) {}

        /** The search ended before its budget because the strategy kept proposing known architectures. */
        default void converged(int evaluated, int proposed) {}
    }

    private final SearchStore store;
    private final Strategy strategy;
    private final IntFunction<DecisionSpace> spaceForSample;
    private final BlockingQueue<ChildEvaluator> idle;
    private final int workers;
    private final int budget;
    private final int childrenPerUpdate;
    private final boolean retrainDuplicates;
    private final long seed;
    private final Listener listener;
    private final Object2ObjectOpenHashMap<String, Trial> byArchitecture = new Object2ObjectOpenHashMap<>();
    private final List<Trial> trials = new ArrayList<>();  // in id order, as rounds complete
    private double best = Double.NaN;
    private int evaluated;

    /**
     * @param spaceForSample the decision space of the n-th proposed child (the macro curriculum grows it)
     * @param evaluators one per worker: that many children of a round are evaluated at once
     */
    public SearchLoop(SearchStore store, Strategy strategy, IntFunction<DecisionSpace> spaceForSample, List<ChildEvaluator> evaluators,
                      int budget, int childrenPerUpdate, boolean retrainDuplicates, long seed, Listener listener) {
        if (budget < 1) throw new IllegalArgumentException("budget (" + budget + ") must be >= 1");
        if (childrenPerUpdate < 1) throw new IllegalArgumentException("children per update (" + childrenPerUpdate + ") must be >= 1");
        if (evaluators.isEmpty()) throw new IllegalArgumentException("a search needs at least one evaluator (worker)");
        this.store = store;
        this.strategy = strategy;
        this.spaceForSample = spaceForSample;
        this.idle = new LinkedBlockingQueue<>(evaluators);
        this.workers = evaluators.size();
        this.budget = budget;
        this.childrenPerUpdate = childrenPerUpdate;
        this.retrainDuplicates = retrainDuplicates;
        this.seed = seed;
        this.listener = listener;
    }

    /** Runs (or, when the store holds a checkpoint, resumes) until {@code budget} distinct children are evaluated. */
    public List<Trial> run() throws IOException {
        int nextId = 0;
        List<Trial> logged = store.trials();
        JsonNode cp = store.checkpoint();
        if (cp != null) {
            try {
                strategy.restore(cp.get("strategy"));
            } catch (RuntimeException e) {
                throw new SearchStateException("the checkpoint's strategy state does not fit this search's " + strategy.name()
                        + " strategy: " + e.getMessage());
            }
            nextId = cp.get("nextTrialId").asInt();
        }
        List<Trial> pending = new ArrayList<>();
        for (Trial t : logged) {
            if (t.rung() != 0) continue; // a promotion after the search phase (see Promotion)
            if (t.id() < nextId) remember(t);
            else pending.add(t); // recorded during the round that was interrupted
        }
        int repeatsInARow = 0;
        for (int i = trials.size() - 1; i >= 0 && !trials.get(i).trained(); i--) repeatsInARow++;
        while (evaluated < budget) {
            if (repeatsInARow >= MAX_REPEATS_IN_A_ROW) {
                listener.converged(evaluated, nextId);
                break;
            }
            int m = Math.min(childrenPerUpdate, budget - evaluated);
            List<Proposal> proposals = strategy.propose(spaceForSample.apply(nextId), m);
            Trial[] round = runRound(nextId, nextId / childrenPerUpdate, proposals, pending);
            double[] rewards = new double[m];
            for (int i = 0; i < m; i++) {
                remember(round[i]);
                repeatsInARow = round[i].trained() ? 0 : repeatsInARow + 1;
                rewards[i] = round[i].reward();
            }
            strategy.update(proposals, rewards);
            nextId += m;
            ObjectNode state = JsonNodeFactory.instance.objectNode();
            state.put("nextTrialId", nextId);
            state.set("strategy", strategy.state());
            store.checkpoint(state);
        }
        return List.copyOf(trials);
    }

    /** Distinct architectures evaluated so far (the budget's unit). */
    public int evaluated() {
        return evaluated;
    }

    /**
     * Evaluates the round's children, as many at once as there are evaluators; each is recorded as
     * it finishes. A child identical to an earlier one (in an earlier round or this one) is not
     * evaluated: it is recorded, once its original is done, with the original's result.
     */
    private Trial[] runRound(int firstId, int step, List<Proposal> proposals, List<Trial> pending) throws IOException {
        int m = proposals.size();
        Trial[] done = new Trial[m];
        Map<String, Integer> firstInRound = new HashMap<>();
        List<Integer> duplicates = new ArrayList<>(), toEvaluate = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            done[i] = findPending(pending, firstId + i);
            if (done[i] != null) {
                if (!done[i].arch().equals(proposals.get(i).arch()))
                    throw new SearchStateException("trial " + done[i].id() + " of the log is " + done[i].arch().key()
                            + ", but the search, replayed from its checkpoint, proposes " + proposals.get(i).arch().key()
                            + " there: the log and the checkpoint are not of the same search");
                continue;
            }
            String key = proposals.get(i).arch().key();
            if (!retrainDuplicates && (byArchitecture.containsKey(key) || firstInRound.containsKey(key))) duplicates.add(i);
            else {
                firstInRound.putIfAbsent(key, i);
                toEvaluate.add(i);
            }
        }
        if (workers == 1) {
            for (int i : toEvaluate) done[i] = evaluateAndRecord(idle.peek(), firstId + i, step, proposals.get(i).arch());
        } else {
            evaluateInParallel(firstId, step, proposals, toEvaluate, done);
        }
        for (int i : duplicates) {
            Architecture arch = proposals.get(i).arch();
            Trial earlier = byArchitecture.containsKey(arch.key()) ? byArchitecture.get(arch.key()) : done[firstInRound.get(arch.key())];
            done[i] = new Trial(firstId + i, step, strategy.name(), arch, earlier.reward(), earlier.valMetric(), earlier.params(),
                    earlier.flops(), 0, "cached", "same architecture as trial " + earlier.id(), earlier.report(), 0);
            store.append(done[i]);
            listener.childFinished(done[i], best);
        }
        return done;
    }

    private void evaluateInParallel(int firstId, int step, List<Proposal> proposals, List<Integer> toEvaluate, Trial[] done)
            throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(workers, toEvaluate.size())));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i : toEvaluate) {
                futures.add(pool.submit(() -> {
                    ChildEvaluator evaluator = idle.take();
                    try {
                        done[i] = evaluateAndRecord(evaluator, firstId + i, step, proposals.get(i).arch());
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
            if (e.getCause() instanceof RuntimeException re) throw re; // as one worker would have thrown it
            throw new IllegalStateException("a search worker failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private Trial evaluateAndRecord(ChildEvaluator evaluator, int id, int step, Architecture arch) throws IOException {
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
        Trial t = new Trial(id, step, strategy.name(), arch, r.reward(), r.valMetric(), r.params(), r.flops(), r.seconds(),
                r.status(), r.error(), r.report(), 0);
        store.append(t);
        listener.childFinished(t, noteBest(t.reward()));
        return t;
    }

    /** The best reward so far including {@code reward}; NaN rewards never count. */
    private synchronized double noteBest(double reward) {
        if (!Double.isNaN(reward) && (Double.isNaN(best) || reward > best)) best = reward;
        return best;
    }

    private void remember(Trial t) {
        trials.add(t);
        noteBest(t.reward());
        if (t.trained()) {
            evaluated++;
            byArchitecture.putIfAbsent(t.arch().key(), t);
        }
    }

    private static Trial findPending(List<Trial> pending, int id) {
        for (Trial t : pending) if (t.id() == id) return t;
        return null;
    }
}
