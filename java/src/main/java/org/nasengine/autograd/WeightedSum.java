package org.nasengine.autograd;

import java.util.Arrays;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Broadcast;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.Gemm;
import org.nasengine.backend.JoinGeometry;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/**
 * The mixed operation of a weight-sharing supernet: {@code y = sum_k w[row, k] * x_k} over the
 * candidates k whose output is given (a null candidate is the zero operation and adds nothing),
 * with w a (rows, K) matrix of mixing weights (DARTS' softmax over an edge's alphas).
 *
 * <p>Composed from backend primitives in one pass each way rather than K scalings and K - 1
 * additions: forward stacks the given outputs into (A, M) with the channel concat and takes one
 * (1 x A)(A x M) GEMM; backward is dX = w^T dy (an (A x 1)(1 x M) GEMM, split back with the concat's
 * backward) and dw = X dy (an (A x M)(M x 1) GEMM). A lone candidate skips the stack.
 */
public final class WeightedSum {
    private WeightedSum() {}

    /**
     * @param w  (rows, K) mixing weights; row {@code row} is used
     * @param xs K candidate outputs of one shape, null for the zero operation
     * @return the weighted sum, shape of the candidates; zeros (no gradient) when every candidate is null
     */
    public static Tensor of(Tensor w, int row, Tensor[] xs) {
        Grads.requireFloat("weightedSum", "w", w);
        int k = w.dim(-1);
        if (w.rank() > 2 || xs.length != k || row < 0 || row >= w.size() / k)
            throw new IllegalArgumentException("weightedSum: w " + Arrays.toString(w.shape()) + " row " + row + " for "
                    + xs.length + " candidates (need (rows, " + xs.length + ") and a row inside it)");
        int[] active = java.util.stream.IntStream.range(0, xs.length).filter(i -> xs[i] != null).toArray();
        if (active.length == 0) throw new IllegalArgumentException("weightedSum: every candidate is the zero operation");
        Tensor first = xs[active[0]];
        for (int i : active) {
            Grads.requireSameBackend("weightedSum", w, xs[i]);
            if (!Arrays.equals(xs[i].shape(), first.shape()))
                throw new IllegalArgumentException("weightedSum: candidate " + i + " has shape " + Arrays.toString(xs[i].shape())
                        + ", candidate " + active[0] + " " + Arrays.toString(first.shape()));
        }
        Backend be = w.backend();
        int a = active.length;
        int m = Math.toIntExact(first.size());
        Tensor[] in = new Tensor[a + 1];
        for (int i = 0; i < a; i++) in[i] = xs[active[i]];
        in[a] = w;
        boolean rec = Tape.recording(in);

        Tensor wSel = Tensor.output(be, false, a);                    // (A): w[row, active[i]]
        for (int i = 0; i < a; i++) be.copy(w.data(), (long) row * k + active[i], wSel.data(), i, 1);
        Tensor stack;                                                 // (A, M), or the lone candidate itself
        JoinGeometry j = null;
        if (a == 1) {
            stack = first;
        } else {
            int[] ms = new int[a], ones = new int[a];
            Arrays.fill(ms, m);
            Arrays.fill(ones, 1);
            j = new JoinGeometry(1, ms, ones, ones, 1, 1);
            stack = Tensor.output(be, false, a, m);
            Buffer[] data = new Buffer[a];
            for (int i = 0; i < a; i++) data[i] = in[i].data();
            be.padConcat(j, data, stack.data());
        }
        Tensor y = Tensor.output(be, rec, first.shape());
        be.gemm(Gemm.of(false, false, 1, m, a, 0f), wSel.data(), stack.data(), y.data());
        if (rec) {
            JoinGeometry join = j;
            Tape.current().record(() -> backward(w, row, k, active, in, wSel, stack, join, y));
        }
        return y;
    }

    private static void backward(Tensor w, int row, int k, int[] active, Tensor[] in, Tensor wSel, Tensor stack,
                                 JoinGeometry join, Tensor y) {
        Buffer dy = y.gradOrNull();
        if (dy == null) return;
        Backend be = w.backend();
        int a = active.length, m = Math.toIntExact(y.size());
        boolean anyX = false;
        for (int i = 0; i < a; i++) anyX |= in[i].requiresGrad();
        if (anyX) {
            if (a == 1) {
                be.gemm(Gemm.of(false, false, 1, m, 1, 1f), wSel.data(), dy, in[0].grad()); // dx += w dy
            } else {
                Buffer dStack = be.allocate((long) a * m);              // (A, M) = w (A x 1) dy (1 x M)
                be.gemm(Gemm.of(false, false, a, m, 1, 0f), wSel.data(), dy, dStack);
                Buffer[] dx = new Buffer[a];
                for (int i = 0; i < a; i++) dx[i] = in[i].requiresGrad() ? in[i].grad() : null;
                be.padConcatBackward(join, dStack, dx);
                be.release(dStack);
            }
        }
        if (w.requiresGrad()) {
            Buffer dSel = be.allocate(a);                                // (A) = X (A x M) dy (M x 1)
            be.gemm(Gemm.of(false, false, a, 1, m, 0f), stack.data(), dy, dSel);
            Buffer dw = be.allocate(w.size());                           // (rows, K), zero but the used entries
            for (int i = 0; i < a; i++) be.copy(dSel, i, dw, (long) row * k + active[i], 1);
            be.sumInto(Broadcast.same(new int[] {Math.toIntExact(w.size())}), dw, w.grad());
            be.release(dw);
            be.release(dSel);
        }
    }
}
