package org.nasengine.autograd;

import java.util.Arrays;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Broadcast;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.Gemm;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/**
 * Matrix products through {@link Backend#gemm}: 2-D, batched (3-D times 3-D, or 3-D times a 2-D
 * matrix shared by the batch) and the fully connected layer {@code x W^T + b}.
 */
public final class MatMul {
    private MatMul() {}

    /**
     * a (M, K) x b (K, N) -> (M, N); a (B, M, K) x b (B, K, N) -> (B, M, N);
     * a (B, M, K) x b (K, N) -> (B, M, N) with b shared by every batch entry.
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        Grads.requireSameBackend("matmul", a, b);
        if (b.rank() == 2 && (a.rank() == 2 || a.rank() == 3)) return sharedRight(a, b);
        if (a.rank() == 3 && b.rank() == 3) return batched(a, b);
        throw new IllegalArgumentException("matmul: unsupported shapes " + Arrays.toString(a.shape()) + " x "
                + Arrays.toString(b.shape()) + " (need (M,K)x(K,N), (B,M,K)x(B,K,N) or (B,M,K)x(K,N))");
    }

    /** a (..., M, K) x b (K, N): the leading dimensions of a fold into the rows of one gemm. */
    private static Tensor sharedRight(Tensor a, Tensor b) {
        int k = a.dim(-1), n = b.dim(1);
        if (b.dim(0) != k) throw mismatch(a, b);
        int m = Math.toIntExact(a.size() / k);
        int[] outShape = a.shape();
        outShape[outShape.length - 1] = n;
        Backend be = a.backend();
        boolean rec = Tape.recording(a, b);
        Tensor out = Tensor.output(be, rec, outShape);
        be.gemm(Gemm.of(false, false, m, n, k, 0f), a.data(), b.data(), out.data());
        if (rec) Tape.current().record(() -> {
            Buffer g = out.gradOrNull(); // (m, n)
            if (g == null) return;
            if (a.requiresGrad()) be.gemm(Gemm.of(false, true, m, k, n, 1f), g, b.data(), a.grad());   // dA += dC B^T
            if (b.requiresGrad()) be.gemm(Gemm.of(true, false, k, n, m, 1f), a.data(), g, b.grad());   // dB += A^T dC
        });
        return out;
    }

    private static Tensor batched(Tensor a, Tensor b) {
        int batch = a.dim(0), m = a.dim(1), k = a.dim(2), n = b.dim(2);
        if (b.dim(0) != batch || b.dim(1) != k) throw mismatch(a, b);
        Backend be = a.backend();
        boolean rec = Tape.recording(a, b);
        Tensor out = Tensor.output(be, rec, batch, m, n);
        be.gemm(Gemm.batched(false, false, m, n, k, 0f, batch), a.data(), b.data(), out.data());
        if (rec) Tape.current().record(() -> {
            Buffer g = out.gradOrNull(); // (batch, m, n)
            if (g == null) return;
            long sa = (long) m * k, sb = (long) k * n, sc = (long) m * n;
            if (a.requiresGrad())
                be.gemm(new Gemm(false, true, m, k, n, 1f, 1f, batch, sc, sb, sa), g, b.data(), a.grad());
            if (b.requiresGrad())
                be.gemm(new Gemm(true, false, k, n, m, 1f, 1f, batch, sa, sc, sb), a.data(), g, b.grad());
        });
        return out;
    }

    /** The fully connected layer: x (N, in), weight (out, in), bias (out) or null -> (N, out). */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        Grads.requireRank("linear", "x", x, 2);
        Grads.requireRank("linear", "weight", weight, 2);
        int rows = x.dim(0), in = x.dim(1), outF = weight.dim(0);
        if (weight.dim(1) != in)
            throw new IllegalArgumentException("linear: weight " + Arrays.toString(weight.shape())
                    + " does not take inputs of " + in + " features (x " + Arrays.toString(x.shape()) + ")");
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != outF))
            throw new IllegalArgumentException("linear: bias " + Arrays.toString(bias.shape()) + " must be (" + outF + ")");
        Backend be = x.backend();
        boolean rec = Tape.recording(x, weight, bias);
        Tensor out = Tensor.output(be, rec, rows, outF);
        float beta = 0f;
        if (bias != null) {
            // y = ones(N, 1) b(1, out): the bias rows in one gemm instead of N copies
            Buffer ones = be.allocate(rows); // (N, 1)
            be.fill(ones, 0, rows, 1f);
            be.gemm(Gemm.of(false, false, rows, outF, 1, 0f), ones, bias.data(), out.data());
            be.release(ones);
            beta = 1f;
        }
        be.gemm(Gemm.of(false, true, rows, outF, in, beta), x.data(), weight.data(), out.data());
        if (rec) Tape.current().record(() -> {
            Buffer g = out.gradOrNull(); // (N, out)
            if (g == null) return;
            if (x.requiresGrad()) be.gemm(Gemm.of(false, false, rows, in, outF, 1f), g, weight.data(), x.grad());
            if (weight.requiresGrad()) be.gemm(Gemm.of(true, false, outF, in, rows, 1f), g, x.data(), weight.grad());
            if (bias != null && bias.requiresGrad())
                be.sumInto(new Broadcast(new int[] {1, 1, rows, outF}, new int[] {0, 0, 0, 1},
                        Broadcast.same(new int[] {rows, outF}).aStrides()), g, bias.grad());
        });
        return out;
    }

    private static IllegalArgumentException mismatch(Tensor a, Tensor b) {
        return new IllegalArgumentException("matmul: inner dimensions differ: " + Arrays.toString(a.shape()) + " x "
                + Arrays.toString(b.shape()));
    }
}
