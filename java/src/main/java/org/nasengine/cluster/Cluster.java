package org.nasengine.cluster;

import org.nasengine.nas.search.ChildEvaluator;

/**
 * A connected cluster, seen by the search as one evaluator that any number of its worker threads
 * call at once: each {@link #evaluate} trains one child on some executor and blocks until its
 * result is back. An executor lost in the middle is the engine's to handle (it runs the child
 * again elsewhere); a child the engine gives up on comes back with status failed, never as an
 * exception, as {@link ChildEvaluator} requires.
 */
public interface Cluster extends ChildEvaluator, AutoCloseable {
    /** One line for the log: the engine, its address and what it has (executors, cores). */
    String describe();

    /** How many children the cluster can train at once when connected (at least 1). */
    int slots();

    @Override
    void close();
}
