package org.nasengine.nas.search;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Trains one child and reports its reward. Implementations must not throw for a child that
 * fails: divergence, running out of memory or a crash come back as a result with that status.
 */
public interface ChildEvaluator {
    ChildResult evaluate(int trialId, ObjectNode arch, long seed);
}
