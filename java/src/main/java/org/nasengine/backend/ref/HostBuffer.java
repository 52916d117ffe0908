package org.nasengine.backend.ref;

import org.nasengine.backend.Buffer;

/**
 * Storage of the reference backend: a plain {@code double[]}, so finite-difference gradient checks
 * run in double precision. int32 buffers (labels, ids) hold their exact integer values. The
 * {@code live} flag catches use after release, which a pool would otherwise hide silently.
 */
public final class HostBuffer implements Buffer {
    final double[] data;
    boolean live;

    HostBuffer(int capacity) {
        this.data = new double[capacity];
    }

    @Override
    public long length() {
        return data.length;
    }

    @Override
    public String toString() {
        return "HostBuffer[" + data.length + (live ? "" : ", released") + "]";
    }
}
