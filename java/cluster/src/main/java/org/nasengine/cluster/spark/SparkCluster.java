package org.nasengine.cluster.spark;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nasengine.cluster.ChildJob;
import org.nasengine.cluster.Cluster;
import org.nasengine.nas.search.ChildResult;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureCodec;

/**
 * A search's children as Spark jobs of one task each, submitted from the search's worker threads:
 * Spark runs each on a free executor core, and runs it again (up to spark.task.maxFailures times,
 * 4 on a cluster) when its executor is lost or the task throws. Only the driver records a result,
 * and Spark returns one result per job, so a child run twice is still one trial.
 */
final class SparkCluster implements Cluster {
    private final JavaSparkContext sc;
    private final Broadcast<ChildJob> job;

    SparkCluster(JavaSparkContext sc, ChildJob job) {
        this.sc = sc;
        this.job = sc.broadcast(job);
    }

    @Override
    public ChildResult evaluate(int trialId, Architecture arch, long seed) {
        long start = System.nanoTime();
        ChildToTrain child = new ChildToTrain(trialId, ArchitectureCodec.toCompactJson(arch), seed);
        try {
            sc.setJobDescription("trial " + trialId); // per thread: names the job in Spark's log lines
            return sc.parallelize(List.of(child), 1).map(new TrainChild(job)).collect().getFirst();
        } catch (Exception e) {  // Spark ran out of retries (SparkException, checked in Java's eyes), or was stopped
            return ChildResult.failed("failed", "the cluster gave up on this child: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""),
                    (System.nanoTime() - start) / 1e9);
        }
    }

    @Override
    public String describe() {
        int executors = SparkExecutors.count(sc);
        return "Spark " + sc.version() + " at " + sc.master() + (sc.master().startsWith("local") ? ""
                : " (" + executors + " executor" + (executors == 1 ? "" : "s") + " so far)");
    }

    @Override
    public int slots() {
        return sc.defaultParallelism(); // the executors' cores (at least 2 on a cluster), N for local[N]
    }

    @Override
    public void close() {
        sc.stop();
    }
}
