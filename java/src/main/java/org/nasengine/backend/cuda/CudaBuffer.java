package org.nasengine.backend.cuda;

import org.nasengine.backend.Buffer;

/**
 * Device memory of one {@link CudaBackend}: float32 or int32 elements, {@code capacity} of them
 * (the pool's size class, at least what was asked for). {@code live} catches use after release,
 * which the pool would otherwise hide by handing the memory to someone else.
 */
final class CudaBuffer implements Buffer {
    final DevicePtr ptr;
    final long capacity;
    final CudaMemory owner;
    boolean live;

    CudaBuffer(DevicePtr ptr, long capacity, CudaMemory owner) {
        this.ptr = ptr;
        this.capacity = capacity;
        this.owner = owner;
    }

    @Override
    public long length() {
        return capacity;
    }

    /** The device pointer of element {@code offset}. */
    DevicePtr at(long offset) {
        return ptr.plus(offset);
    }

    @Override
    public String toString() {
        return "CudaBuffer[" + capacity + (live ? "" : ", released") + "]";
    }
}
