package org.nasengine.nas.search;

import org.nasengine.nas.space.Architecture;

/** Gives a child the search's objective as its reward; its accuracy stays its validation metric. */
public final class ObjectiveEvaluator implements ChildEvaluator {
    private final ChildEvaluator inner;
    private final Objective objective;

    public ObjectiveEvaluator(ChildEvaluator inner, Objective objective) {
        this.inner = inner;
        this.objective = objective;
    }

    @Override
    public ChildResult evaluate(int trialId, Architecture arch, long seed) {
        ChildResult r = inner.evaluate(trialId, arch, seed);
        if (!r.status().equals("ok")) return r;
        return new ChildResult(objective.reward(r.reward(), r.flops()), r.valMetric(), r.params(), r.flops(), r.seconds(), r.status(),
                r.error(), r.report());
    }
}
