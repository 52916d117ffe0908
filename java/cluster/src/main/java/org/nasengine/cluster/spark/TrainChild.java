package org.nasengine.cluster.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.nasengine.cli.RemoteChildren;
import org.nasengine.cluster.ChildJob;
import org.nasengine.nas.search.ChildResult;

/**
 * The task of one child, run on an executor: trains it with our engine (its native library loaded
 * from the jar there) on the cores Spark gave the task, and returns the child's result record.
 * The job (settings, dataset path) comes once per executor through the broadcast.
 */
record TrainChild(Broadcast<ChildJob> job) implements Function<ChildToTrain, ChildResult> {
    @Override
    public ChildResult call(ChildToTrain child) {
        return RemoteChildren.evaluate(job.value(), TaskContext.get().cpus(), child.trialId(), child.archJson(), child.seed());
    }
}
