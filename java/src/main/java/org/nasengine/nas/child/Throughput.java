package org.nasengine.nas.child;

import java.util.function.LongSupplier;

/**
 * Units (images, tokens) per second of the pieces of work that were timed, and of nothing else.
 * Each piece is timed on its own, from {@link #start} to {@link #stop}, rather than as the wall time
 * since the first one: what runs between pieces (validation and test passes, progress callbacks)
 * never lowers the rate. The first {@code warmup} pieces are left out: they pay for class loading,
 * JIT compilation and filling the buffer pool, which later steps do not.
 */
final class Throughput {
    /** Training steps left out of a rate, when enough steps follow (see {@link #training}). */
    static final int WARMUP_STEPS = 2;

    private final LongSupplier clock;
    private final long warmup;
    private long pieces, units, nanos, startedAt;

    private Throughput(LongSupplier clock, long warmup) {
        this.clock = clock;
        this.warmup = warmup;
    }

    /** For {@code steps} training steps: the warm-up steps are left out, but never the last one. */
    static Throughput training(LongSupplier clock, long steps) {
        return new Throughput(clock, Math.max(0, Math.min(WARMUP_STEPS, steps - 1)));
    }

    /** For evaluation passes: every pass counts (each is many batches long; no single one is a warm-up). */
    static Throughput evaluation(LongSupplier clock) {
        return new Throughput(clock, 0);
    }

    void start() {
        startedAt = clock.getAsLong();
    }

    /** Ends the piece begun by the last {@link #start}, which handled {@code count} units. */
    void stop(long count) {
        long elapsed = clock.getAsLong() - startedAt;
        if (pieces++ < warmup) return;
        units += count;
        nanos += elapsed;
    }

    /** NaN until a piece past the warm-up has taken measurable time. */
    double perSecond() {
        return units == 0 || nanos <= 0 ? Double.NaN : units / (nanos / 1e9);
    }
}
