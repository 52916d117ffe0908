package org.nasengine.backend.cuda;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.nasengine.backend.BufferPool;
import org.nasengine.backend.DeviceOutOfMemoryException;
import org.nasengine.backend.OpChecks;
import org.nasengine.backend.PoolStats;

/**
 * Device memory through a caching pool, so that a training step in steady state allocates
 * nothing from the driver, and host transfers through the device's staging area, in pieces when
 * longer. Also the two tiny result slots that kernels report into (a double sum, an error flag).
 */
final class CudaMemory implements AutoCloseable {
    /** The error flag's "nothing wrong": kernels lower it with atomicMin to the first bad row. */
    static final int NO_ERROR = Integer.MAX_VALUE;

    private final DeviceApi device;
    private final BufferPool<CudaBuffer> pool;
    final OpChecks<CudaBuffer> checks =
            new OpChecks<>("this cuda backend", CudaBuffer.class, b -> b.owner == this, b -> b.live);
    /** Buffers handed out and not yet released: close frees them too. */
    private final Set<CudaBuffer> out = Collections.newSetFromMap(new IdentityHashMap<>());
    private final CudaBuffer results;   // [0, 2): sumOfSquares' double; [2]: the error flag
    private boolean closed;

    CudaMemory(DeviceApi device) {
        this.device = device;
        this.pool = new BufferPool<>(this::fresh, b -> device.free(b.ptr));
        this.results = scratch(4);
    }

    /**
     * A new device buffer for the pool. When the driver is out of memory, the pool's free lists
     * go back to it (after the queue drains, since queued kernels may still use them) and the
     * allocation is tried once more: the cache of a previous child's shapes must not starve the next.
     */
    private CudaBuffer fresh(long capacity) {
        long bytes = capacity * Float.BYTES;
        try {
            return new CudaBuffer(device.alloc(bytes), capacity, this);
        } catch (DeviceOutOfMemoryException first) {
            device.synchronize();
            long returned = pool.drain();
            try {
                return new CudaBuffer(device.alloc(bytes), capacity, this);
            } catch (DeviceOutOfMemoryException again) {
                throw new DeviceOutOfMemoryException("cuda allocate: " + bytes + " bytes (" + capacity
                        + " elements) do not fit on " + device.describe() + ", even after " + returned
                        + " cached bytes went back to the driver; " + pool.stats().bytesHeld() + " bytes are in use", again);
            }
        }
    }

    /** Gives the pool's free buffers back to the driver (buffers out are untouched); returns the bytes freed. */
    long trim() {
        device.synchronize();
        return pool.drain();
    }

    /** Zero-filled, as Backend.allocate promises (the memset is queued, not waited for). */
    CudaBuffer allocate(long length) {
        CudaBuffer b = scratch(length);
        if (length > 0) device.memsetD32(b.ptr, 0, length);
        return b;
    }

    /** A pooled buffer holding whatever its last user left: for kernels that overwrite it. */
    CudaBuffer scratch(long length) {
        if (closed) throw new IllegalStateException("allocate: the cuda backend is closed");
        CudaBuffer b = pool.take(length);
        b.live = true;
        out.add(b);
        return b;
    }

    /**
     * Back to the pool. Work already queued that reads or writes the buffer runs before any later
     * use of the same memory: everything is queued on the one stream.
     */
    void release(CudaBuffer b) {
        b.live = false;
        out.remove(b);
        pool.give(b);
    }

    PoolStats stats() {
        return pool.stats();
    }

    void write(float[] src, CudaBuffer dst, long dstOffset) {
        int perPiece = DeviceApi.STAGING_BYTES / Float.BYTES;
        for (int from = 0; from < src.length; from += perPiece) {
            int count = Math.min(perPiece, src.length - from);
            device.awaitStaging();
            ByteBuffer s = device.staging().clear();
            s.asFloatBuffer().put(src, from, count);
            device.upload(dst.at(dstOffset + from), (long) count * Float.BYTES);
        }
    }

    void writeInts(int[] src, CudaBuffer dst, long dstOffset) {
        int perPiece = DeviceApi.STAGING_BYTES / Integer.BYTES;
        for (int from = 0; from < src.length; from += perPiece) {
            int count = Math.min(perPiece, src.length - from);
            device.awaitStaging();
            ByteBuffer s = device.staging().clear();
            s.asIntBuffer().put(src, from, count);
            device.upload(dst.at(dstOffset + from), (long) count * Integer.BYTES);
        }
    }

    /** Waits for every op queued before, then copies the values out. */
    void read(CudaBuffer src, long srcOffset, float[] dst) {
        int perPiece = DeviceApi.STAGING_BYTES / Float.BYTES;
        for (int from = 0; from < dst.length; from += perPiece) {
            int count = Math.min(perPiece, dst.length - from);
            device.download(src.at(srcOffset + from), (long) count * Float.BYTES);
            device.staging().clear().asFloatBuffer().get(dst, from, count);
        }
    }

    /** One int32 element, waiting for the queue. */
    int readInt(CudaBuffer src, long offset) {
        device.download(src.at(offset), Integer.BYTES);
        return device.staging().getInt(0);
    }

    /** Like System.arraycopy: overlapping ranges of one buffer go through a scratch copy. */
    void copy(CudaBuffer src, long srcOffset, CudaBuffer dst, long dstOffset, long length) {
        if (length == 0) return;
        long bytes = length * Float.BYTES;
        boolean overlap = src == dst && srcOffset < dstOffset + length && dstOffset < srcOffset + length;
        if (!overlap) {
            device.copy(dst.at(dstOffset), src.at(srcOffset), bytes);
            return;
        }
        CudaBuffer tmp = scratch(length);
        device.copy(tmp.ptr, src.at(srcOffset), bytes);
        device.copy(dst.at(dstOffset), tmp.ptr, bytes);
        release(tmp);
    }

    /** A zeroed device double for a kernel to accumulate into, read back by {@link #takeDouble}. */
    DevicePtr zeroedDouble() {
        device.memsetD32(results.ptr, 0, 2);
        return results.ptr;
    }

    double takeDouble() {
        device.download(results.ptr, Double.BYTES);
        return device.staging().getDouble(0);
    }

    /** The error flag set to {@link #NO_ERROR}, for a kernel to lower. */
    DevicePtr resetFlag() {
        DevicePtr flag = results.at(2);
        device.memsetD32(flag, NO_ERROR, 1);
        return flag;
    }

    /** Waits for the queue and reads the flag: {@link #NO_ERROR} or the first bad row. */
    int takeFlag() {
        return readInt(results, 2);
    }

    /** Frees all device memory, buffers still out included (using one afterwards fails its live check). */
    @Override
    public void close() {
        if (closed) return;
        device.synchronize();
        closed = true;
        for (CudaBuffer b : out.toArray(CudaBuffer[]::new)) release(b);
        pool.drain();
    }
}
