package org.nasengine.cluster;

import java.time.Duration;

/**
 * A distributed engine that trains a search's children on other machines, found through
 * {@link java.util.ServiceLoader}: the engine's jar (java/cluster for Apache Spark) lists its
 * provider in {@code META-INF/services}, so this jar never names the engine and a user without a
 * cluster downloads none of it.
 */
public interface ClusterProvider {
    /** Whether {@code url} is an address of this engine (Spark: {@code spark://HOST:PORT} or {@code local[N]}). */
    boolean accepts(String url);

    /** The address forms this engine takes, for the message when no engine accepts a --cluster URL. */
    String addressForms();

    /**
     * Connects to the cluster at {@code url} and ships {@code job} to it once. Returns once the
     * cluster can run a child, or throws {@link ClusterUnavailableException} saying why within
     * about {@code timeout}: never waits longer without a word.
     */
    Cluster connect(String url, ChildJob job, Duration timeout);
}
