package org.nasengine.backend;

/** Counters of a backend's buffer pool: fresh allocations from the device vs reuses. */
public record PoolStats(long freshAllocations, long reuses, long bytesHeld) {}
