package org.nasengine.backend.cuda;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD32Async;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import jcuda.Pointer;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.BufferPool;
import org.nasengine.backend.PoolStats;

/**
 * Device memory through a caching pool (a training step in steady state calls no cuMemAlloc),
 * and host transfers through one pinned staging buffer: pinned memory is what lets the copy
 * engine run asynchronously, and reusing one buffer avoids pinning every Java array.
 * Transfers longer than the staging buffer go in pieces.
 */
final class CudaMemory implements AutoCloseable {
    /** Staging size: large enough for a batch of images in one piece, small enough to pin cheaply. */
    static final int STAGING_BYTES = 8 << 20;

    private final CudaDevice device;
    private final BufferPool<CudaBuffer> pool;
    private final Pointer staging = new Pointer();   // pinned host memory, STAGING_BYTES
    private final ByteBuffer stagingView;
    /** Recorded after each host-to-device copy out of staging: staging is free once it has fired. */
    private final CUevent stagingFree = new CUevent();
    private final CudaBuffer doubleScratch;           // sumOfSquares' result, one double
    /** Buffers handed out and not yet released: close frees them too. */
    private final Set<CudaBuffer> out = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    CudaMemory(CudaDevice device) {
        this.device = device;
        this.pool = new BufferPool<>(this::deviceAlloc, b -> cuMemFree(b.ptr));
        cuMemAllocHost(staging, STAGING_BYTES);
        this.stagingView = staging.getByteBuffer(0, STAGING_BYTES).order(ByteOrder.nativeOrder());
        cuEventCreate(stagingFree, CUevent_flags.CU_EVENT_DISABLE_TIMING);
        cuEventRecord(stagingFree, device.stream);
        this.doubleScratch = scratch(2);
    }

    private CudaBuffer deviceAlloc(long capacity) {
        DevicePtr p = new DevicePtr();
        cuMemAlloc(p, capacity * Float.BYTES);
        return new CudaBuffer(p, capacity, this);
    }

    /** Zero-filled, as Backend.allocate promises (the memset is queued, not waited for). */
    CudaBuffer allocate(long length) {
        CudaBuffer b = scratch(length);
        if (length > 0) cuMemsetD32Async(b.ptr, 0, length, device.stream);
        return b;
    }

    /** A pooled buffer whose contents are whatever its last user left: for kernels that overwrite it. */
    CudaBuffer scratch(long length) {
        if (closed) throw new IllegalStateException("allocate: the cuda backend is closed");
        CudaBuffer b = pool.take(length);
        b.live = true;
        out.add(b);
        return b;
    }

    /**
     * Back to the pool. Work queued on the stream that still reads or writes the buffer runs
     * before any later use of the same memory, since both are queued on the one stream.
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
        int perPiece = STAGING_BYTES / Float.BYTES;
        for (int from = 0; from < src.length; from += perPiece) {
            int count = Math.min(perPiece, src.length - from);
            cuEventSynchronize(stagingFree);
            stagingView.clear();
            stagingView.asFloatBuffer().put(src, from, count);
            toDevice(dst, dstOffset + from, count);
        }
    }

    void writeInts(int[] src, CudaBuffer dst, long dstOffset) {
        int perPiece = STAGING_BYTES / Integer.BYTES;
        for (int from = 0; from < src.length; from += perPiece) {
            int count = Math.min(perPiece, src.length - from);
            cuEventSynchronize(stagingFree);
            stagingView.clear();
            stagingView.asIntBuffer().put(src, from, count);
            toDevice(dst, dstOffset + from, count);
        }
    }

    private void toDevice(CudaBuffer dst, long offset, int count) {
        cuMemcpyHtoDAsync(dst.at(offset), staging, (long) count * Float.BYTES, device.stream);
        cuEventRecord(stagingFree, device.stream);
    }

    /** Waits for the stream (and so for every op queued before) and copies the values out. */
    void read(CudaBuffer src, long srcOffset, float[] dst) {
        int perPiece = STAGING_BYTES / Float.BYTES;
        for (int from = 0; from < dst.length; from += perPiece) {
            int count = Math.min(perPiece, dst.length - from);
            cuMemcpyDtoHAsync(staging, src.at(srcOffset + from), (long) count * Float.BYTES, device.stream);
            cuStreamSynchronize(device.stream);
            stagingView.clear();
            stagingView.asFloatBuffer().get(dst, from, count);
        }
    }

    void fillBytes(CudaBuffer dst, long offset, long length, int bits) {
        if (length > 0) cuMemsetD32Async(dst.at(offset), bits, length, device.stream);
    }

    void copy(CudaBuffer src, long srcOffset, CudaBuffer dst, long dstOffset, long length) {
        if (length > 0)
            cuMemcpyDtoDAsync(dst.at(dstOffset), src.at(srcOffset), length * Float.BYTES, device.stream);
    }

    /** A zeroed device double for a kernel to accumulate into, read back by {@link #takeDouble}. */
    CudaBuffer zeroedDouble() {
        cuMemsetD32Async(doubleScratch.ptr, 0, 2, device.stream);
        return doubleScratch;
    }

    double takeDouble() {
        cuMemcpyDtoHAsync(staging, doubleScratch.ptr, Double.BYTES, device.stream);
        cuStreamSynchronize(device.stream);
        return stagingView.getDouble(0);
    }

    /** Frees all device memory, buffers still out included (using one afterwards fails its live check). */
    @Override
    public void close() {
        if (closed) return;
        cuStreamSynchronize(device.stream);
        closed = true;
        for (CudaBuffer b : out.toArray(CudaBuffer[]::new)) release(b);
        pool.drain();
        cuEventDestroy(stagingFree);
        cuMemFreeHost(staging);
    }
}
