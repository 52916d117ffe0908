package org.nasengine.autograd;

import java.util.Arrays;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Broadcast;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.Gemm;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/**
 * The mixed operation of a weight-sharing supernet: {@code y = sum_k w[row, k] * x_k} over the
 * candidates k whose output is given (a null candidate is the zero operation and adds nothing),
 * with w a (rows, K) matrix of mixing weights (DARTS' softmax over an edge's alphas).
 *
 * <p>Composed from GEMMs, which scale and accumulate in one pass, rather than K broadcast
 * multiplications and K - 1 additions (each with its temporaries): forward is
 * y (1 x M) += w_k (1 x 1) x_k (1 x M) for each given candidate; backward is dx_k += w_k dy into
 * each candidate's gradient and dw_k = x_k (1 x M) dy (M x 1). (Stacking the candidates into one
 * (K x M) operand went through the channel-concat kernel, which is slow on a 1 x 1 image.)
 */
public final class WeightedSum {
    private WeightedSum() {}

    /**
     * @param w  (rows, K) mixing weights; row {@code row} is used
     * @param xs K candidate outputs of one shape, null for the zero operation
     * @return the weighted sum, of the candidates' shape (at least one candidate must be given)
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

        Tensor[] wSel = new Tensor[a];                                // each (1): w[row, active[i]]
        for (int i = 0; i < a; i++) {
            wSel[i] = Tensor.output(be, false, 1);
            be.copy(w.data(), (long) row * k + active[i], wSel[i].data(), 0, 1);
        }
        Tensor y = Tensor.output(be, rec, first.shape());
        for (int i = 0; i < a; i++) // y (1 x M) (+)= w_i (1 x 1) x_i (1 x M)
            be.gemm(new Gemm(false, false, 1, m, 1, 1f, i == 0 ? 0f : 1f, 1, 0, 0, 0), wSel[i].data(), in[i].data(), y.data());
        if (rec) Tape.current().record(() -> backward(w, row, k, active, in, wSel, y));
        return y;
    }

    private static void backward(Tensor w, int row, int k, int[] active, Tensor[] in, Tensor[] wSel, Tensor y) {
        Buffer dy = y.gradOrNull();
        if (dy == null) return;
        Backend be = w.backend();
        int a = active.length, m = Math.toIntExact(y.size());
        for (int i = 0; i < a; i++) // dx_i (1 x M) += w_i (1 x 1) dy (1 x M)
            if (in[i].requiresGrad()) be.gemm(Gemm.of(false, false, 1, m, 1, 1f), wSel[i].data(), dy, in[i].grad());
        if (w.requiresGrad()) {
            Buffer dw = be.allocate(w.size());                           // (rows, K), zero but the used entries
            Buffer dot = be.allocate(1);
            for (int i = 0; i < a; i++) { // dw[row, active[i]] = x_i (1 x M) dy (M x 1)
                be.gemm(Gemm.of(false, false, 1, 1, m, 0f), in[i].data(), dy, dot);
                be.copy(dot, 0, dw, (long) row * k + active[i], 1);
            }
            be.sumInto(Broadcast.same(new int[] {Math.toIntExact(w.size())}), dw, w.grad());
            be.release(dot);
            be.release(dw);
        }
    }
}
