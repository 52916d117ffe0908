package org.nasengine.autograd;

import org.nasengine.backend.Backend;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.Unary;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/** Elementwise functions through {@link Backend#unary}; any shape, the output has the input's shape. */
public final class Activations {
    private Activations() {}

    public static Tensor relu(Tensor x) { return apply(Unary.RELU, x); }
    public static Tensor tanh(Tensor x) { return apply(Unary.TANH, x); }
    public static Tensor sigmoid(Tensor x) { return apply(Unary.SIGMOID, x); }
    public static Tensor identity(Tensor x) { return apply(Unary.IDENTITY, x); }
    public static Tensor exp(Tensor x) { return apply(Unary.EXP, x); }
    public static Tensor log(Tensor x) { return apply(Unary.LOG, x); }
    public static Tensor neg(Tensor x) { return apply(Unary.NEG, x); }
    public static Tensor square(Tensor x) { return apply(Unary.SQUARE, x); }
    public static Tensor logSigmoid(Tensor x) { return apply(Unary.LOG_SIGMOID, x); }

    public static Tensor apply(Unary op, Tensor x) {
        Grads.requireFloat("unary " + op, "x", x);
        Backend be = x.backend();
        boolean rec = Tape.recording(x);
        Tensor y = Tensor.output(be, rec, x.shape());
        be.unary(op, x.size(), x.data(), y.data());
        if (rec) Tape.current().record(() -> {
            Buffer g = y.gradOrNull();
            if (g != null) be.unaryBackward(op, x.size(), x.data(), y.data(), g, x.grad());
        });
        return y;
    }
}
