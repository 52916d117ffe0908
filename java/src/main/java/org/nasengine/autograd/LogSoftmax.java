package org.nasengine.autograd;

import org.nasengine.backend.Backend;
import org.nasengine.backend.Buffer;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/** Log-softmax over the last axis: every other axis counts as rows. */
public final class LogSoftmax {
    private LogSoftmax() {}

    public static Tensor logSoftmax(Tensor x) {
        Grads.requireFloat("logSoftmax", "x", x);
        int cols = x.dim(-1);
        int rows = Math.toIntExact(x.size() / cols);
        Backend be = x.backend();
        boolean rec = Tape.recording(x);
        Tensor y = Tensor.output(be, rec, x.shape());
        be.logSoftmax(rows, cols, x.data(), y.data());
        if (rec) Tape.current().record(() -> {
            Buffer dy = y.gradOrNull();
            if (dy != null) be.logSoftmaxBackward(rows, cols, y.data(), dy, x.grad());
        });
        return y;
    }
}
