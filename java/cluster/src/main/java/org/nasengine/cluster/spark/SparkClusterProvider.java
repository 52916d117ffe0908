package org.nasengine.cluster.spark;

import java.time.Duration;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaSparkContext;
import org.nasengine.cluster.ChildJob;
import org.nasengine.cluster.Cluster;
import org.nasengine.cluster.ClusterProvider;
import org.nasengine.cluster.ClusterUnavailableException;

/** Apache Spark as the engine of search --cluster: a standalone master (spark://HOST:PORT) or local[N]. */
public final class SparkClusterProvider implements ClusterProvider {
    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\d+|\\*)])?");

    @Override
    public boolean accepts(String url) {
        return url.startsWith("spark://") || LOCAL.matcher(url).matches();
    }

    @Override
    public String addressForms() {
        return "Apache Spark: spark://HOST:PORT (a standalone master) or local[N]";
    }

    @Override
    public Cluster connect(String url, ChildJob job, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JavaSparkContext sc = DriverStart.within(DriverConf.of(url), url, timeout);
        try {
            // registered with the master is not yet able to train: an executor must join too (a worker with room for it)
            if (!url.startsWith("local")) SparkExecutors.awaitFirst(sc, url, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), timeout);
            return new SparkCluster(sc, job);
        } catch (RuntimeException e) {
            sc.stop();
            throw e;
        }
    }
}
