package org.nasengine.cluster;

/** The cluster of a --cluster URL cannot be used: no engine for that address, unreachable, or without executors. */
public final class ClusterUnavailableException extends RuntimeException {
    public ClusterUnavailableException(String message) {
        super(message);
    }

    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
