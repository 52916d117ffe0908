package org.nasengine.cluster.spark;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.nasengine.cluster.ClusterUnavailableException;

/**
 * Starts a driver's SparkContext within a time limit. On a standalone master, Spark's constructor
 * blocks until the master registers the application, and gives up on an unreachable one only after
 * three tries 20 s apart, a schedule it does not let us set: so the context starts on a thread of
 * its own, and one that is still starting when the time is up is stopped once it has started.
 */
final class DriverStart {
    private DriverStart() {}

    static JavaSparkContext within(SparkConf conf, String master, Duration timeout) {
        CompletableFuture<JavaSparkContext> starting = CompletableFuture.supplyAsync(() -> new JavaSparkContext(conf), task -> {
            Thread t = new Thread(task, "spark-driver-start");
            t.setDaemon(true); // never keeps a JVM alive that has given up on the cluster
            t.start();
        });
        try {
            return starting.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            starting.thenAccept(JavaSparkContext::stop);
            throw new ClusterUnavailableException("the master did not register this search within " + timeout.toSeconds()
                    + " s: is a Spark master running at " + master + ", and reachable from here?");
        } catch (ExecutionException e) { // a malformed address, a port already taken
            throw new ClusterUnavailableException("Spark did not start: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            starting.thenAccept(JavaSparkContext::stop);
            throw new ClusterUnavailableException("interrupted while Spark started", e);
        }
    }
}
