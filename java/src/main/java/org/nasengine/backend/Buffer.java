package org.nasengine.backend;

/** A contiguous block of device (or host) memory owned by one backend's pool. */
public interface Buffer {
    /** Capacity in elements (float32 or int32). */
    long length();
}
