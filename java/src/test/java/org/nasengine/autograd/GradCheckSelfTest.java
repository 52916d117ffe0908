package org.nasengine.autograd;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.Backend;
import org.nasengine.backend.Unary;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tape;
import org.nasengine.tensor.Tensor;
import org.opentest4j.AssertionFailedError;

/** The checker itself must catch a wrong backward, or every passing check above means nothing. */
class GradCheckSelfTest {
    private final JavaBackend be = new JavaBackend();
    private final GradCheck gc = new GradCheck(be, 5);
    private final Scope scope = Scope.open();

    @AfterEach
    void close() {
        scope.close();
        be.close();
    }

    /** tanh whose backward is off by a factor (1 + eps): a subtle bug. */
    private static Tensor wrongTanh(Tensor x, double eps) {
        Backend b = x.backend();
        boolean rec = Tape.recording(x);
        Tensor y = Tensor.output(b, rec, x.shape());
        b.unary(Unary.TANH, x.size(), x.data(), y.data());
        if (rec) Tape.current().record(() -> {
            b.unaryBackward(Unary.TANH, x.size(), x.data(), y.data(), y.grad(), x.grad());
            Tensor extra = Tensor.output(b, false, x.shape());
            b.unaryBackward(Unary.TANH, x.size(), x.data(), y.data(), y.grad(), extra.data());
            b.scale(x.size(), (float) eps, extra.data());
            Grads.accumulate(b, x.size(), extra.data(), x.grad());
        });
        return y;
    }

    @Test
    void detectsAGradientOffByOnePercent() {
        var e = assertThrows(AssertionFailedError.class,
                () -> gc.check("wrong tanh", List.of(gc.input(3, 4)), in -> List.of(wrongTanh(in.get(0), 0.01))));
        assertTrue(e.getMessage().contains("gradient entries differ"), e.getMessage());
    }

    @Test
    void acceptsTheCorrectGradient() {
        gc.check("right tanh", List.of(gc.input(3, 4)), in -> List.of(wrongTanh(in.get(0), 0)));
    }

    @Test
    void refusesACheckWithNothingToCheck() {
        assertThrows(AssertionFailedError.class,
                () -> gc.check("constant", List.of(gc.constant(0, 1, 2)), in -> List.of(Activations.tanh(in.get(0)))));
    }
}
