package org.nasengine.backend;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * A caching allocator: released buffers are kept in free lists by exact capacity and handed out
 * again, so a training step in steady state (same shapes every step) makes no fresh allocation.
 * Capacities are rounded up to a size class so near sizes share lists.
 */
public final class BufferPool<B extends Buffer> {
    private final LongFunction<B> allocator;
    private final Consumer<B> deallocator;
    private final Map<Long, ArrayDeque<B>> free = new HashMap<>();
    private long fresh, reuses, bytesHeld;

    public BufferPool(LongFunction<B> allocator, Consumer<B> deallocator) {
        this.allocator = allocator;
        this.deallocator = deallocator;
    }

    /** A buffer of at least {@code length} elements; the caller zero-fills it if it needs zeros. */
    public synchronized B take(long length) {
        if (length < 0) throw new IllegalArgumentException("buffer length (" + length + ") must be >= 0");
        long capacity = sizeClass(length);
        ArrayDeque<B> list = free.get(capacity);
        if (list != null && !list.isEmpty()) {
            reuses++;
            return list.pop();
        }
        B b = allocator.apply(capacity);   // counted once it exists: an allocator may fail (device out of memory)
        fresh++;
        bytesHeld += capacity * 4;
        return b;
    }

    public synchronized void give(B buffer) {
        free.computeIfAbsent(buffer.length(), k -> new ArrayDeque<>()).push(buffer);
    }

    public synchronized PoolStats stats() {
        return new PoolStats(fresh, reuses, bytesHeld);
    }

    /**
     * Frees every pooled buffer and returns the bytes freed; buffers still out stay held (and
     * counted) until released. May be called from the allocator, during {@link #take}.
     */
    public synchronized long drain() {
        long freed = 0;
        for (ArrayDeque<B> list : free.values())
            for (B b : list) {
                deallocator.accept(b);
                freed += b.length() * 4;
            }
        free.clear();
        bytesHeld -= freed;
        return freed;
    }

    /** Rounds up to 1, 1.25, 1.5 or 1.75 times a power of two (at most 25% slack), minimum 16 elements. */
    static long sizeClass(long length) {
        if (length <= 16) return 16;
        int shift = 63 - Long.numberOfLeadingZeros(length - 1) - 2;
        long step = 1L << shift;
        return ((length + step - 1) / step) * step;
    }
}
