package org.nasengine.autograd;

import org.nasengine.backend.Backend;
import org.nasengine.backend.Binary;
import org.nasengine.backend.Broadcast;
import org.nasengine.backend.Buffer;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/** Broadcasting add, sub, mul, div (numpy rules, rank up to 4) with their backward. */
public final class Arithmetic {
    private Arithmetic() {}

    public static Tensor add(Tensor a, Tensor b) { return apply(Binary.ADD, a, b); }
    public static Tensor sub(Tensor a, Tensor b) { return apply(Binary.SUB, a, b); }
    public static Tensor mul(Tensor a, Tensor b) { return apply(Binary.MUL, a, b); }
    public static Tensor div(Tensor a, Tensor b) { return apply(Binary.DIV, a, b); }

    /** x * factor, any shape. */
    public static Tensor scale(Tensor x, float factor) {
        Backend be = x.backend();
        boolean rec = Tape.recording(x);
        Tensor out = Tensor.output(be, rec, x.shape());
        be.copy(x.data(), 0, out.data(), 0, x.size());
        be.scale(x.size(), factor, out.data());
        if (rec) Tape.current().record(() -> {
            Buffer g = out.gradOrNull();
            if (g == null) return;
            Buffer t = be.allocate(x.size());
            be.copy(g, 0, t, 0, x.size());
            be.scale(x.size(), factor, t);
            Grads.accumulate(be, x.size(), t, x.grad());
            be.release(t);
        });
        return out;
    }

    public static Tensor apply(Binary op, Tensor a, Tensor b) {
        Grads.requireSameBackend("binary " + op, a, b);
        Backend be = a.backend();
        Broadcast bc = Broadcast.of(a.shape(), b.shape());
        boolean rec = Tape.recording(a, b);
        Tensor out = Tensor.output(be, rec, outShape(a.shape(), b.shape()));
        be.binary(op, bc, a.data(), b.data(), out.data());
        if (rec) Tape.current().record(() -> backward(op, bc, a, b, out));
        return out;
    }

    private static void backward(Binary op, Broadcast bc, Tensor a, Tensor b, Tensor out) {
        Backend be = out.backend();
        Buffer g = out.gradOrNull();
        if (g == null) return; // nothing downstream used the output
        int[] dense = Broadcast.same(bc.shape()).aStrides();
        if (a.requiresGrad()) {
            switch (op) {
                case ADD, SUB -> be.sumInto(new Broadcast(bc.shape(), bc.aStrides(), dense), g, a.grad());
                case MUL -> reduceProduct(be, bc, Binary.MUL, g, b.data(), bc.bStrides(), bc.aStrides(), a.grad());
                case DIV -> reduceProduct(be, bc, Binary.DIV, g, b.data(), bc.bStrides(), bc.aStrides(), a.grad());
            }
        }
        if (b.requiresGrad()) {
            switch (op) {
                case ADD -> be.sumInto(new Broadcast(bc.shape(), bc.bStrides(), dense), g, b.grad());
                case SUB -> {
                    Buffer neg = be.allocate(bc.size());
                    be.copy(g, 0, neg, 0, bc.size());
                    be.scale(bc.size(), -1f, neg);
                    be.sumInto(new Broadcast(bc.shape(), bc.bStrides(), dense), neg, b.grad());
                    be.release(neg);
                }
                case MUL -> reduceProduct(be, bc, Binary.MUL, g, a.data(), bc.aStrides(), bc.bStrides(), b.grad());
                case DIV -> {
                    // d(a/b)/db = -(a/b)/b = -out/b
                    Buffer t = be.allocate(bc.size());
                    be.binary(Binary.MUL, new Broadcast(bc.shape(), dense, dense), g, out.data(), t);
                    be.scale(bc.size(), -1f, t);
                    reduceProduct(be, bc, Binary.DIV, t, b.data(), bc.bStrides(), bc.bStrides(), b.grad());
                    be.release(t);
                }
            }
        }
    }

    /** dst[broadcast] += g (op) other, where g is dense over the output shape. */
    private static void reduceProduct(Backend be, Broadcast bc, Binary op, Buffer g, Buffer other,
                                      int[] otherStrides, int[] dstStrides, Buffer dst) {
        int[] dense = Broadcast.same(bc.shape()).aStrides();
        Buffer t = be.allocate(bc.size());
        be.binary(op, new Broadcast(bc.shape(), dense, otherStrides), g, other, t);
        be.sumInto(new Broadcast(bc.shape(), dstStrides, dense), t, dst);
        be.release(t);
    }

    static int[] outShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)] : 1;
            int db = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)] : 1;
            out[i] = Math.max(da, db);
        }
        return out;
    }
}
