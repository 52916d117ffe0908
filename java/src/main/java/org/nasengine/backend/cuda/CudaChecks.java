package org.nasengine.backend.cuda;

import java.util.Arrays;
import org.nasengine.backend.Buffer;

/**
 * Entry checks of the CUDA ops, the same as the reference backend's: each buffer belongs to this
 * backend, is live, and is long enough for the geometry. On a GPU a short buffer would not fail
 * but silently corrupt a neighbour, so the checks matter more here than on the host.
 */
final class CudaChecks {
    private CudaChecks() {}

    static CudaBuffer need(CudaMemory owner, String op, String role, Buffer b, long needed) {
        if (b == null) throw new IllegalArgumentException(op + ": " + role + " buffer is null");
        return optional(owner, op, role, b, needed);
    }

    /** Like {@link #need}, but null (an unwanted output, or an input read as zero) passes as null. */
    static CudaBuffer optional(CudaMemory owner, String op, String role, Buffer b, long needed) {
        if (b == null) return null;
        if (!(b instanceof CudaBuffer cb) || cb.owner != owner)
            throw new IllegalArgumentException(op + ": " + role + " is a " + b.getClass().getSimpleName()
                    + ", not a buffer of this cuda backend");
        if (!cb.live) throw new IllegalStateException(op + ": " + role + " buffer was released");
        if (needed < 0) throw new IllegalArgumentException(op + ": " + role + " length (" + needed + ") must be >= 0");
        if (cb.capacity < needed)
            throw new IllegalArgumentException(op + ": " + role + " holds " + cb.capacity + " elements, needs " + needed);
        return cb;
    }

    /** Checks [offset, offset + count) lies inside b. */
    static CudaBuffer range(CudaMemory owner, String op, String role, Buffer b, long offset, long count) {
        if (offset < 0 || count < 0)
            throw new IllegalArgumentException(op + ": " + role + " offset (" + offset + ") and count (" + count
                    + ") must be >= 0");
        return need(owner, op, role, b, offset + count);
    }

    static void positive(String op, String role, long value) {
        if (value <= 0) throw new IllegalArgumentException(op + ": " + role + " (" + value + ") must be > 0");
    }

    static void nonNegative(String op, String role, long value) {
        if (value < 0) throw new IllegalArgumentException(op + ": " + role + " (" + value + ") must be >= 0");
    }

    /** Elements an operand strided over shape must hold: one past its largest offset. */
    static long extent(int[] shape, int[] strides) {
        long last = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] <= 0)
                throw new IllegalArgumentException("broadcast shape dimensions must be > 0: " + Arrays.toString(shape));
            if (strides[d] < 0)
                throw new IllegalArgumentException("broadcast strides must be >= 0: " + Arrays.toString(strides));
            last += (long) (shape[d] - 1) * strides[d];
        }
        return last + 1;
    }

    /**
     * Whether distinct indices of shape land on distinct offsets: then sumInto needs no atomics.
     * True when the dimensions of size above one, taken by increasing stride, each step over the
     * whole extent of the ones before (a dense or sliced layout); a zero stride breaks it.
     */
    static boolean distinctOffsets(int[] shape, int[] strides) {
        Integer[] dims = new Integer[shape.length];
        for (int d = 0; d < dims.length; d++) dims[d] = d;
        Arrays.sort(dims, (p, q) -> Integer.compare(strides[p], strides[q]));
        long covered = 1;   // offsets 0..covered-1 reachable by the dimensions so far
        for (int d : dims) {
            if (shape[d] == 1) continue;
            if (strides[d] < covered) return false;
            covered = (long) strides[d] * (shape[d] - 1) + covered;
        }
        return true;
    }
}
