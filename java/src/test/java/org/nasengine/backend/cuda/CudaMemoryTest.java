package org.nasengine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.DeviceOutOfMemoryException;

/**
 * The caching allocator against a full device (a {@link FakeDevice} of 1 MiB): on out of memory
 * it waits for the queue, gives the cached buffers back and retries once; what still does not fit
 * is a DeviceOutOfMemoryException naming the bytes and the device; releaseCached frees the cache only.
 */
class CudaMemoryTest {
    private static final long MIB = 1 << 20;

    private static CudaBackend backend(FakeDevice dev) {
        return new CudaBackend(dev, d -> new KernelGemm(d));
    }

    /** "alloc 917504" -> "alloc": what happened, in order, without the sizes. */
    private static List<String> kinds(List<String> log) {
        return log.stream().map(e -> e.split(" ")[0]).toList();
    }

    private static void assertHolds(CudaBackend be, Buffer b, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) values[i] = i;
        be.write(values, b, 0);
        float[] back = new float[n];
        be.read(b, 0, back);
        assertArrayEquals(values, back);
    }

    @Test
    void aFullDeviceGetsTheCachedBuffersBackAndTheAllocationIsRetried() {
        FakeDevice dev = new FakeDevice(MIB);
        try (CudaBackend be = backend(dev)) {
            be.release(be.allocate(160_000));   // 655,360 bytes cached for a child of other shapes
            dev.log.clear();
            Buffer next = be.allocate(200_000);  // 917,504 bytes: no room beside the cache
            assertEquals(List.of("oom 917504", "sync", "free 655360", "alloc 917504"), dev.log,
                    "wait for the queue, free the cache, then retry");
            assertHolds(be, next, 200_000);
            assertEquals(dev.inUse(), be.poolStats().bytesHeld(), "the pool counts what the device holds");
        }
    }

    @Test
    void whatStillDoesNotFitNamesTheBytesAndTheDeviceAndTheBackendGoesOn() {
        FakeDevice dev = new FakeDevice(MIB);
        try (CudaBackend be = backend(dev)) {
            be.release(be.allocate(1_000));
            dev.log.clear();
            DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class, () -> be.allocate(300_000));
            assertTrue(e.getMessage().contains("1310720 bytes") && e.getMessage().contains(dev.describe()), e.getMessage());
            assertEquals(List.of("oom", "sync", "free", "oom"), kinds(dev.log), "one retry, after the cache went back");
            assertHolds(be, be.allocate(1_000), 1_000);
            assertEquals(dev.inUse(), be.poolStats().bytesHeld(), "a failed allocation is not counted");
        }
    }

    @Test
    void releaseCachedFreesTheFreeListsAndKeepsBuffersInUse() {
        FakeDevice dev = new FakeDevice(MIB);
        try (CudaBackend be = backend(dev)) {
            Buffer kept = be.allocate(50_000);
            be.release(be.allocate(60_000));
            long before = dev.inUse();
            dev.log.clear();
            be.releaseCached();
            assertEquals(List.of("sync", "free"), kinds(dev.log));
            assertTrue(dev.inUse() < before, "the cached buffer went back");
            assertEquals(dev.inUse(), be.poolStats().bytesHeld());
            assertHolds(be, kept, 50_000);
            long fresh = be.poolStats().freshAllocations();
            be.release(be.allocate(60_000));
            assertEquals(fresh + 1, be.poolStats().freshAllocations(), "after a trim the next child allocates anew");
        }
    }
}
