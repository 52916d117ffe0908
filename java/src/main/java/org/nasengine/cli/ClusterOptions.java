package org.nasengine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import org.nasengine.cluster.ChildJob;
import org.nasengine.cluster.Cluster;
import org.nasengine.cluster.ClusterUnavailableException;
import org.nasengine.cluster.Clusters;
import picocli.CommandLine.Option;

/** Where a search's children train when not in this process: a cluster run by a distributed engine. */
public final class ClusterOptions {
    @Option(names = "--cluster", description = "Train the children on a cluster: spark://HOST:PORT (a Spark standalone master) or"
            + " local[N]. Needs java/cluster/target/nas-engine-cluster.jar (mvn -Pcluster package). The strategy stays here;"
            + " --workers is then how many children train at once (default: the cluster's cores).")
    String url;

    @Option(names = "--cluster-timeout", defaultValue = "120",
            description = "Seconds to wait for the cluster to take a child (its first executor) before giving up. Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    boolean given() {
        return url != null;
    }

    /** The cluster the search's children train on, connected and sent the job; null without --cluster. */
    Cluster connect(SearchSettings s, EngineOptions engine) {
        if (url == null) return null;
        if (timeoutSeconds < 1) throw new UserError("--cluster-timeout (" + timeoutSeconds + ") must be >= 1");
        ChildJob job;
        try {
            job = new ChildJob(Json.MAPPER.writeValueAsString(s), engine.device, engine.threads, engine.deterministic);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the search settings cannot be written as JSON", e);
        }
        try {
            return Clusters.connect(url, job, Duration.ofSeconds(timeoutSeconds));
        } catch (ClusterUnavailableException e) {
            throw new UserError("--cluster " + url + ": " + e.getMessage(), e);
        }
    }
}
