package org.nasengine.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Work counters beside a benchmark's time. In throughput mode JMH divides OPERATIONS counters by
 * the iteration's time, so these come out as images (or tokens) per second, GFLOP/s and GB/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class StepRate {
    /** Images (image children) or tokens (language model) processed. */
    public double examples;
    /** Multiply-add FLOPs, in 1e9. */
    public double gflop;
    /** Bytes moved (memory-bound ops), in 1e9. */
    public double gbyte;

    @Setup(Level.Iteration)
    public void reset() {
        examples = 0;
        gflop = 0;
        gbyte = 0;
    }
}
