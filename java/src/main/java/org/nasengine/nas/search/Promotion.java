package org.nasengine.nas.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nasengine.nas.space.Architecture;

/**
 * Multi-fidelity selection after the search (successive halving's second rung): the best children
 * of the cheap proxy are evaluated again at a higher fidelity, and the one to retrain is chosen by
 * that. The strategy only ever learns from proxy rewards, so its reward stays one consistent
 * measure. Each promotion is recorded (rung 1) as it finishes; a resumed search skips those done.
 */
public final class Promotion {
    private Promotion() {}

    /**
     * @param searched the search phase's trials (rung 0)
     * @param count how many of the best ok children to promote
     * @return the rung-1 trials, best first
     */
    public static List<Trial> run(SearchStore store, List<Trial> searched, int count, ChildEvaluator evaluator, long seed,
                                  String strategyName, SearchLoop.Listener listener) throws IOException {
        Map<String, Trial> done = new HashMap<>();
        int nextId = 0;
        for (Trial t : store.trials()) {
            nextId = Math.max(nextId, t.id() + 1);
            if (t.rung() == 1) done.put(t.arch().key(), t);
        }
        for (Trial t : searched) nextId = Math.max(nextId, t.id() + 1);
        List<Trial> promoted = new ArrayList<>();
        double best = Double.NaN;
        for (Trial candidate : SearchReport.top(searched.stream().filter(Trial::trained).toList(), count)) {
            Architecture arch = candidate.arch();
            Trial t = done.get(arch.key());
            if (t == null) {
                int id = nextId++;
                listener.childStarted(id, arch);
                ChildResult r = evaluator.evaluate(id, arch, seed * 1_000_003L + candidate.id());
                t = new Trial(id, candidate.step(), strategyName, arch, r.reward(), r.valMetric(), r.params(), r.flops(), r.seconds(),
                        r.status(), r.error(), r.report(), 1);
                store.append(t);
            }
            if (t.ok() && (Double.isNaN(best) || t.reward() > best)) best = t.reward();
            listener.childFinished(t, best);
            promoted.add(t);
        }
        promoted.sort(Comparator.comparingDouble(Trial::reward).reversed());
        return promoted;
    }
}
