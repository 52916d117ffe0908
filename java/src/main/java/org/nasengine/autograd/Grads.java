package org.nasengine.autograd;

import java.util.Arrays;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Binary;
import org.nasengine.backend.Broadcast;
import org.nasengine.backend.Buffer;
import org.nasengine.tensor.DType;
import org.nasengine.tensor.Tensor;

/** Helpers the backward steps share: accumulation, broadcasting into a gradient, entry checks. */
final class Grads {
    private Grads() {}

    /** The gradient buffer of an input that wants one, else null ("not wanted" for the backend). */
    static Buffer of(Tensor t) {
        return t != null && t.requiresGrad() ? t.grad() : null;
    }

    /** dst[0..n) += src[0..n). */
    static void accumulate(Backend be, long n, Buffer src, Buffer dst) {
        be.sumInto(Broadcast.same(new int[] {Math.toIntExact(n)}), src, dst);
    }

    /**
     * dst += src broadcast over {@code shape} (rank 4): dst is contiguous over shape, src is read at
     * {@code srcStrides} (0 on the broadcast dimensions). Goes through a temporary because the
     * contract does not promise that an elementwise op may write over its own input.
     */
    static void addBroadcast(Backend be, int[] shape, int[] srcStrides, Buffer src, Buffer dst) {
        Broadcast bc = new Broadcast(shape, Broadcast.same(shape).aStrides(), srcStrides);
        Buffer tmp = be.allocate(bc.size());
        be.binary(Binary.ADD, bc, dst, src, tmp);
        be.copy(tmp, 0, dst, 0, bc.size());
        be.release(tmp);
    }

    /** Contiguous strides of {@code own} (rank 4), zero where {@code own} has 1 and {@code full} does not. */
    static int[] broadcastStrides(int[] own, int[] full) {
        int[] st = new int[Broadcast.RANK];
        int stride = 1;
        for (int d = Broadcast.RANK - 1; d >= 0; d--) {
            st[d] = (own[d] == 1 && full[d] != 1) ? 0 : stride;
            stride *= own[d];
        }
        return st;
    }

    /** A shape padded on the left with 1s to rank 4. */
    static int[] pad4(String op, int[] shape) {
        if (shape.length > Broadcast.RANK)
            throw new IllegalArgumentException(op + ": rank above " + Broadcast.RANK + ": " + Arrays.toString(shape));
        int[] p = new int[Broadcast.RANK];
        Arrays.fill(p, 1);
        System.arraycopy(shape, 0, p, Broadcast.RANK - shape.length, shape.length);
        return p;
    }

    static void requireRank(String op, String role, Tensor t, int rank) {
        if (t.rank() != rank)
            throw new IllegalArgumentException(op + ": " + role + " must have rank " + rank + ", got shape "
                    + Arrays.toString(t.shape()));
    }

    static void requireFloat(String op, String role, Tensor t) {
        if (t.dtype() != DType.FLOAT32)
            throw new IllegalArgumentException(op + ": " + role + " must be float32, got " + t);
    }

    static void requireSameBackend(String op, Tensor a, Tensor b) {
        if (a.backend() != b.backend())
            throw new IllegalArgumentException(op + ": tensors live on different backends (" + a.backend().name()
                    + ", " + b.backend().name() + ")");
    }
}
