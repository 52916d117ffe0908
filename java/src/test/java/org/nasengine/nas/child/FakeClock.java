package org.nasengine.nas.child;

import java.util.function.LongSupplier;

/** A nanosecond clock that moves only when a test moves it, so rates come out exact on any machine. */
final class FakeClock implements LongSupplier {
    private long now = 1;   // not 0: a real System.nanoTime may be anything, and 0 must not be special

    void advance(long nanos) {
        now += nanos;
    }

    @Override
    public long getAsLong() {
        return now;
    }
}
