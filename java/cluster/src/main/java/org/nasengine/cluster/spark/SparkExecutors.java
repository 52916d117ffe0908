package org.nasengine.cluster.spark;

import java.time.Duration;
import org.apache.spark.api.java.JavaSparkContext;
import org.nasengine.cluster.ClusterUnavailableException;

/** The executors a driver has: a bounded wait for the first, and a count for the log. */
final class SparkExecutors {
    private static final long POLL_MILLIS = 200;

    private SparkExecutors() {}

    /** Executors registered with the driver now (its status tracker lists the driver itself too). */
    static int count(JavaSparkContext sc) {
        return Math.max(0, sc.statusTracker().getExecutorInfos().length - 1);
    }

    /**
     * Returns once an executor has joined, or throws saying why within about {@code left}: the
     * master gave up (Spark stops the context), or nothing joined in time ({@code timeout}, for the message).
     */
    static void awaitFirst(JavaSparkContext sc, String master, Duration left, Duration timeout) {
        long deadline = System.nanoTime() + left.toNanos();
        while (count(sc) == 0) {
            if (sc.sc().isStopped())
                throw new ClusterUnavailableException("Spark gave up on the master at " + master + ": is it running and reachable from here?");
            if (System.nanoTime() > deadline)
                throw new ClusterUnavailableException("no executor joined within " + timeout.toSeconds() + " s: is a Spark master running at "
                        + master + ", with a worker that has a free core and " + sc.getConf().get("spark.executor.memory", "1g")
                        + " of memory (spark.executor.memory) for it?");
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterUnavailableException("interrupted while waiting for the cluster's first executor", e);
            }
        }
    }
}
