package org.nasengine.backend.cuda;

import java.util.Arrays;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.OpChecks;

/**
 * The CUDA ops' view of {@link OpChecks}, the same checks as every backend's: each buffer belongs
 * to this backend, is live, and is long enough for the geometry. On a GPU a short buffer would not
 * fail but silently corrupt a neighbour, so the checks matter more here than on the host.
 */
final class CudaChecks {
    private CudaChecks() {}

    static CudaBuffer need(CudaMemory owner, String op, String role, Buffer b, long needed) {
        return owner.checks.need(op, role, b, needed);
    }

    /** Like {@link #need}, but null (an unwanted output, or an input read as zero) passes as null. */
    static CudaBuffer optional(CudaMemory owner, String op, String role, Buffer b, long needed) {
        return owner.checks.optional(op, role, b, needed);
    }

    /** Checks [offset, offset + count) lies inside b. */
    static CudaBuffer range(CudaMemory owner, String op, String role, Buffer b, long offset, long count) {
        return owner.checks.range(op, role, b, offset, count);
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
