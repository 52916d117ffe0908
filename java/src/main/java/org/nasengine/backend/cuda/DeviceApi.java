package org.nasengine.backend.cuda;

import java.nio.ByteBuffer;

/**
 * The few driver operations the backend is built on (tinygrad's alloc, free, copy in, copy out,
 * run), all ordered on one stream. {@link CudaDevice} implements them over JCuda; the tests also
 * run the whole backend on a host emulator of the kernels, so that the Java side's orchestration
 * (offsets, leading dimensions, chunking) is checked on machines without a GPU.
 */
interface DeviceApi extends AutoCloseable {
    /** Threads per block of the elementwise kernels. */
    int BLOCK = 256;
    /** Size of the host staging area of {@link #staging()}. */
    int STAGING_BYTES = 8 << 20;

    /** "device 0 (NVIDIA H100 80GB HBM3, sm_90)": what error messages name. */
    String describe();

    int smCount();

    /** Binds the device to the calling thread; cheap when it already is. */
    void makeCurrent();

    /** Throws DeviceOutOfMemoryException when the device has not that much free memory. */
    DevicePtr alloc(long bytes);

    void free(DevicePtr p);

    /** Queues count 32-bit words of value at p. */
    void memsetD32(DevicePtr p, int value, long count);

    /** Queues a device-to-device copy (the ranges must not overlap). */
    void copy(DevicePtr dst, DevicePtr src, long bytes);

    /** Host staging memory (pinned on a GPU) of STAGING_BYTES, native byte order. */
    ByteBuffer staging();

    /** Waits until staging may be written again: the last upload out of it has been done. */
    void awaitStaging();

    /** Queues a copy of the first bytes of staging to dst. */
    void upload(DevicePtr dst, long bytes);

    /** Waits for all queued work, then copies bytes at src into the start of staging. */
    void download(DevicePtr src, long bytes);

    /**
     * Queues kernel k. Arguments by the kernel's signature: Integer (i), Long (l), Float (f),
     * CudaBuffer, DevicePtr or null (p), byte[] (s); {@link Kernel#check} enforces it.
     */
    void launch(Kernel k, int gridX, int gridY, int gridZ, int block, Object... args);

    void synchronize();

    @Override
    void close();

    /** Blocks for an elementwise kernel over n elements: up to 32 per SM (grid-stride loops do the rest), never 0. */
    default int gridFor(long n) {
        return (int) Math.max(1, Math.min((n + BLOCK - 1) / BLOCK, 32L * smCount()));
    }

    /** An elementwise kernel over n elements (nothing when n == 0). */
    default void launch1d(Kernel k, long n, Object... args) {
        if (n > 0) launch(k, gridFor(n), 1, 1, BLOCK, args);
    }
}
