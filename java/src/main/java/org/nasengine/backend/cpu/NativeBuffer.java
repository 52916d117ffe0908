package org.nasengine.backend.cpu;

import java.lang.foreign.MemorySegment;
import org.nasengine.backend.Buffer;

/**
 * Off-heap storage of the native backend: a 64-byte aligned block from nas_alloc, seen as a
 * segment of {@code length} float32 (or int32) elements. The segment is the raw address passed
 * to C: no Java array crosses the boundary in the hot path. {@code live} catches use after
 * release, which pooling would otherwise hide.
 */
public final class NativeBuffer implements Buffer {
    final MemorySegment segment;   // (length) float32 or int32, 64-byte aligned
    final NativeBackend owner;
    private final long length;
    boolean live;

    NativeBuffer(NativeBackend owner, MemorySegment segment, long length) {
        this.owner = owner;
        this.segment = segment;
        this.length = length;
    }

    @Override
    public long length() {
        return length;
    }

    /** The raw segment, for callers that hand it to other native code (benchmarks, interop). */
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public String toString() {
        return "NativeBuffer[" + length + (live ? "" : ", released") + " @0x" + Long.toHexString(segment.address()) + "]";
    }
}
