package org.nasengine.autograd;

import java.util.Arrays;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Buffer;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;

/**
 * The fused LSTM pointwise step: gates (N, 4H) laid out [i | f | g | o] and cPrev (N, H) give
 * c = sigmoid(f) cPrev + sigmoid(i) tanh(g) and h = sigmoid(o) tanh(c). One op with two outputs,
 * recorded once: its backward reads the gradients of both (either may be absent).
 */
public final class LstmCell {
    private LstmCell() {}

    /** The new cell state c and output h, both (N, H). */
    public record State(Tensor c, Tensor h) {}

    public static State step(Tensor gates, Tensor cPrev) {
        Grads.requireRank("lstmCell", "gates (N, 4H)", gates, 2);
        Grads.requireRank("lstmCell", "cPrev (N, H)", cPrev, 2);
        Grads.requireSameBackend("lstmCell", gates, cPrev);
        int n = cPrev.dim(0), hidden = cPrev.dim(1);
        if (gates.dim(0) != n || gates.dim(1) != 4 * hidden)
            throw new IllegalArgumentException("lstmCell: gates " + Arrays.toString(gates.shape()) + " must be (" + n
                    + ", " + 4 * hidden + ") for cPrev " + Arrays.toString(cPrev.shape()));
        Backend be = gates.backend();
        boolean rec = Tape.recording(gates, cPrev);
        Tensor c = Tensor.output(be, rec, n, hidden);
        Tensor h = Tensor.output(be, rec, n, hidden);
        be.lstmCell(n, hidden, gates.data(), cPrev.data(), c.data(), h.data());
        if (rec) Tape.current().record(() -> {
            Buffer dh = h.gradOrNull(), dc = c.gradOrNull();
            if (dh == null && dc == null) return;
            be.lstmCellBackward(n, hidden, gates.data(), cPrev.data(), c.data(), dh, dc,
                    Grads.of(gates), Grads.of(cPrev));
        });
        return new State(c, h);
    }
}
