package org.nasengine.nas.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The children no other child beats on both accuracy and cost: the trade-offs a user can choose from. */
public final class Pareto {
    private Pareto() {}

    /**
     * The front of the ok search-phase children by validation accuracy (higher is better) and
     * forward FLOPs (lower is better), cheapest first; each architecture once.
     */
    public static List<Trial> front(List<Trial> trials) {
        List<Trial> candidates = trials.stream()
                .filter(t -> t.ok() && t.rung() == 0 && Double.isFinite(t.valMetric()) && Double.isFinite(t.flops()))
                .sorted(Comparator.comparingDouble(Trial::flops).thenComparing(Comparator.comparingDouble(Trial::valMetric).reversed()))
                .toList();
        List<Trial> front = new ArrayList<>();
        double bestAccuracy = Double.NEGATIVE_INFINITY;
        for (Trial t : candidates) {
            if (t.valMetric() > bestAccuracy) { // cheaper children came first: only a better accuracy earns a place
                front.add(t);
                bestAccuracy = t.valMetric();
            }
        }
        return front;
    }
}
