package org.nasengine.cluster;

import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds the engine that takes a --cluster URL among the providers on the classpath, and connects. */
public final class Clusters {
    private Clusters() {}

    public static Cluster connect(String url, ChildJob job, Duration timeout) {
        List<ClusterProvider> providers = ServiceLoader.load(ClusterProvider.class, Clusters.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
        for (ClusterProvider p : providers) if (p.accepts(url)) return p.connect(url, job, timeout);
        if (providers.isEmpty())
            throw new ClusterUnavailableException("no cluster engine on the classpath: build java/cluster (mvn -Pcluster package) "
                    + "and run java/cluster/target/nas-engine-cluster.jar instead of nas-engine.jar");
        throw new ClusterUnavailableException("no cluster engine on the classpath takes this address; they take "
                + providers.stream().map(ClusterProvider::addressForms).collect(Collectors.joining("; ")));
    }
}
