package org.nasengine.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nasengine.backend.DeviceOutOfMemoryException;

/**
 * A device of {@code budget} bytes made of host memory, with no kernels: enough for the memory
 * side of {@link CudaBackend} (allocate, write, read, release) on any machine, nvcc or not. It
 * refuses an allocation past the budget as the driver does (CUDA_ERROR_OUT_OF_MEMORY) and logs
 * "alloc N", "free N", "oom N" and "sync" in order, so tests can see what the allocator did when.
 */
final class FakeDevice implements DeviceApi {
    final long budget;
    final List<String> log = new ArrayList<>();
    private long inUse;
    private final Map<Long, Arena> arenas = new HashMap<>();
    private final Map<Long, Long> sizes = new HashMap<>();
    private final ByteBuffer staging = ByteBuffer.allocateDirect(STAGING_BYTES).order(ByteOrder.nativeOrder());
    private boolean closed;

    FakeDevice(long budget) {
        this.budget = budget;
    }

    /** Bytes allocated and not freed. */
    long inUse() {
        return inUse;
    }

    private static MemorySegment at(DevicePtr p, long bytes) {
        return MemorySegment.ofAddress(p.address()).reinterpret(bytes);
    }

    @Override
    public String describe() {
        return "fake device (" + budget + " bytes)";
    }

    @Override
    public int smCount() {
        return 1;
    }

    @Override
    public void makeCurrent() {
        if (closed) throw new IllegalStateException("the fake device is closed");
    }

    @Override
    public DevicePtr alloc(long bytes) {
        if (inUse + bytes > budget) {
            log.add("oom " + bytes);
            throw new DeviceOutOfMemoryException("fake cuMemAlloc of " + bytes + " bytes: CUDA_ERROR_OUT_OF_MEMORY");
        }
        Arena arena = Arena.ofShared();
        MemorySegment s = arena.allocate(bytes, 16);
        arenas.put(s.address(), arena);
        sizes.put(s.address(), bytes);
        inUse += bytes;
        log.add("alloc " + bytes);
        return DevicePtr.ofAddress(s.address());
    }

    @Override
    public void free(DevicePtr p) {
        long bytes = sizes.remove(p.address());
        arenas.remove(p.address()).close();
        inUse -= bytes;
        log.add("free " + bytes);
    }

    @Override
    public void memsetD32(DevicePtr p, int value, long count) {
        MemorySegment s = at(p, count * Integer.BYTES);
        for (long i = 0; i < count; i++) s.setAtIndex(ValueLayout.JAVA_INT, i, value);
    }

    @Override
    public void copy(DevicePtr dst, DevicePtr src, long bytes) {
        MemorySegment.copy(at(src, bytes), 0, at(dst, bytes), 0, bytes);
    }

    @Override
    public ByteBuffer staging() {
        return staging;
    }

    @Override
    public void awaitStaging() {}

    @Override
    public void upload(DevicePtr dst, long bytes) {
        MemorySegment.copy(MemorySegment.ofBuffer(staging), 0, at(dst, bytes), 0, bytes);
    }

    @Override
    public void download(DevicePtr src, long bytes) {
        MemorySegment.copy(at(src, bytes), 0, MemorySegment.ofBuffer(staging), 0, bytes);
    }

    @Override
    public void launch(Kernel k, int gridX, int gridY, int gridZ, int block, Object... args) {
        throw new UnsupportedOperationException("the fake device runs no kernels (" + k.symbol + ")");
    }

    @Override
    public void synchronize() {
        log.add("sync");
    }

    @Override
    public void close() {
        closed = true;
    }
}
