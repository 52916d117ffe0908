package org.nasengine.nas.search;

import org.nasengine.nas.space.Architecture;

/**
 * Trains (or looks up) one child and reports its reward. Implementations must not throw for a
 * child that fails: divergence, running out of memory or a crash come back as a result with that status.
 */
public interface ChildEvaluator {
    ChildResult evaluate(int trialId, Architecture arch, long seed);
}
