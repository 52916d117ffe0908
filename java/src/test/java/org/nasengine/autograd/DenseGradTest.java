package org.nasengine.autograd;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.Unary;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tensor;

/** Gradient checks of arithmetic (with broadcasting), matrix products and elementwise functions. */
class DenseGradTest {
    private final JavaBackend be = new JavaBackend();
    private final GradCheck gc = new GradCheck(be, 11);
    private final Scope scope = Scope.open();

    @AfterEach
    void close() {
        scope.close();
        be.close();
    }

    @Test
    void arithmeticSameShape() {
        Tensor a = gc.input(2, 3), b = gc.uniform(0.5, 2, 2, 3);
        gc.check("add", List.of(a, b), in -> List.of(Arithmetic.add(in.get(0), in.get(1))));
        gc.check("sub", List.of(a, b), in -> List.of(Arithmetic.sub(in.get(0), in.get(1))));
        gc.check("mul", List.of(a, b), in -> List.of(Arithmetic.mul(in.get(0), in.get(1))));
        gc.check("div", List.of(a, b), in -> List.of(Arithmetic.div(in.get(0), in.get(1))));
    }

    @Test
    void arithmeticBroadcasting() {
        // (2, 3, 4) with (3, 1): b broadcast over the batch and the last axis
        Tensor a = gc.input(2, 3, 4), b = gc.uniform(0.5, 2, 3, 1);
        for (var op : List.of("add", "sub", "mul", "div"))
            gc.check(op + " (2,3,4)x(3,1)", List.of(a, b), in -> List.of(binary(op, in.get(0), in.get(1))));
        // both sides broadcast: (2, 3, 1, 5) with (3, 4, 1) -> (2, 3, 4, 5)
        Tensor c = gc.uniform(0.5, 2, 2, 3, 1, 5), d = gc.uniform(0.5, 2, 3, 4, 1);
        for (var op : List.of("add", "sub", "mul", "div"))
            gc.check(op + " (2,3,1,5)x(3,4,1)", List.of(c, d), in -> List.of(binary(op, in.get(0), in.get(1))));
        // a scalar-like (1) operand on the left
        Tensor s = gc.uniform(0.5, 2, 1), m = gc.uniform(0.5, 2, 3, 2);
        gc.check("div (1)x(3,2)", List.of(s, m), in -> List.of(Arithmetic.div(in.get(0), in.get(1))));
    }

    @Test
    void onlyOneSideWantsAGradient() {
        Tensor a = gc.input(2, 3), k = gc.constant(0.5, 2, 2, 3);
        gc.check("mul by constant", List.of(a, k), in -> List.of(Arithmetic.mul(in.get(0), in.get(1))));
        gc.check("constant / x", List.of(k, gc.uniform(0.5, 2, 3)),
                in -> List.of(Arithmetic.div(in.get(0), in.get(1))));
    }

    @Test
    void scale() {
        gc.check("scale", List.of(gc.input(3, 2)), in -> List.of(Arithmetic.scale(in.get(0), -2.5f)));
    }

    @Test
    void fanOutAccumulates() {
        // x feeds four uses: x*x + tanh(x) + x, and x again as a second output
        gc.check("fan-out", List.of(gc.input(2, 3)), in -> {
            Tensor x = in.get(0);
            return List.of(Arithmetic.add(Arithmetic.add(Arithmetic.mul(x, x), Activations.tanh(x)), x), Activations.sigmoid(x));
        });
    }

    @Test
    void matmul2d() {
        gc.check("matmul (3,4)x(4,5)", List.of(gc.input(3, 4), gc.input(4, 5)),
                in -> List.of(MatMul.matmul(in.get(0), in.get(1))));
    }

    @Test
    void matmulBatched() {
        gc.check("matmul (2,3,4)x(2,4,5)", List.of(gc.input(2, 3, 4), gc.input(2, 4, 5)),
                in -> List.of(MatMul.matmul(in.get(0), in.get(1))));
        gc.check("matmul (2,3,4)x(4,5) shared", List.of(gc.input(2, 3, 4), gc.input(4, 5)),
                in -> List.of(MatMul.matmul(in.get(0), in.get(1))));
    }

    @Test
    void linear() {
        gc.check("linear with bias", List.of(gc.input(4, 3), gc.input(5, 3), gc.input(5)),
                in -> List.of(MatMul.linear(in.get(0), in.get(1), in.get(2))));
        gc.check("linear without bias", List.of(gc.input(4, 3), gc.input(5, 3)),
                in -> List.of(MatMul.linear(in.get(0), in.get(1), null)));
    }

    @Test
    void activations() {
        for (Unary op : Unary.values()) {
            Tensor x = switch (op) {
                case RELU -> gc.awayFromZero(3, 4);
                case LOG -> gc.uniform(0.2, 2, 3, 4);
                default -> gc.uniform(-2, 2, 3, 4);
            };
            gc.check("unary " + op, List.of(x), in -> List.of(Activations.apply(op, in.get(0))));
        }
    }

    @Test
    void tensorMethodsDelegate() {
        gc.check("x.matmul(w).relu().square().mean()", List.of(gc.input(3, 4), gc.input(4, 2)),
                in -> List.of(in.get(0).matmul(in.get(1)).tanh().square().mean()));
    }

    private static Tensor binary(String op, Tensor a, Tensor b) {
        return switch (op) {
            case "add" -> a.add(b);
            case "sub" -> a.sub(b);
            case "mul" -> a.mul(b);
            case "div" -> a.div(b);
            default -> throw new IllegalArgumentException(op);
        };
    }
}
