package org.nasengine.backend.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nasengine.backend.ref.RefFixture.assertClose;
import static org.nasengine.backend.ref.RefFixture.buf;
import static org.nasengine.backend.ref.RefFixture.get;

import org.junit.jupiter.api.Test;
import org.nasengine.backend.Binary;
import org.nasengine.backend.Broadcast;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.Gemm;
import org.nasengine.backend.Unary;

class JavaBackendDenseTest {
    private final JavaBackend be = new JavaBackend();

    // A (2, 3) = [1..6], B (3, 2) = [7..12]: A*B = [[58, 64], [139, 154]]
    private static final double[] A = {1, 2, 3, 4, 5, 6};
    private static final double[] A_T = {1, 4, 2, 5, 3, 6};       // (3, 2)
    private static final double[] B = {7, 8, 9, 10, 11, 12};
    private static final double[] B_T = {7, 9, 11, 8, 10, 12};    // (2, 3)
    private static final double[] AB = {58, 64, 139, 154};

    @Test
    void gemmAllFourTransposeCombinations() {
        for (boolean ta : new boolean[] {false, true})
            for (boolean tb : new boolean[] {false, true}) {
                Buffer c = be.allocate(4);
                be.gemm(Gemm.of(ta, tb, 2, 2, 3, 0f), buf(be, ta ? A_T : A), buf(be, tb ? B_T : B), c);
                assertClose("gemm transA=" + ta + " transB=" + tb + " (2x2)", AB, get(be, c, 4));
            }
    }

    @Test
    void gemmAlphaBetaAccumulateAndBetaZeroIgnoresGarbage() {
        Buffer c = buf(be, 1, 1, 1, 1);
        be.gemm(new Gemm(false, false, 2, 2, 3, 2f, 1f, 1, 0, 0, 0), buf(be, A), buf(be, B), c);
        assertClose("gemm alpha=2 beta=1", new double[] {117, 129, 279, 309}, get(be, c, 4));
        Buffer garbage = buf(be, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        be.gemm(Gemm.of(false, false, 2, 2, 3, 0f), buf(be, A), buf(be, B), garbage);
        assertClose("gemm beta=0 over NaN", AB, get(be, garbage, 4));
    }

    @Test
    void gemmBatchedWithSharedOperand() {
        // A_0 = A, A_1 = 2A (stride 6); B shared (stride 0): C_1 = 2 * C_0
        double[] a2 = {1, 2, 3, 4, 5, 6, 2, 4, 6, 8, 10, 12};
        Buffer c = be.allocate(8);
        be.gemm(new Gemm(false, false, 2, 2, 3, 1f, 0f, 2, 6, 0, 4), buf(be, a2), buf(be, B), c);
        assertClose("gemm batch 2, B stride 0 (2, 2x2)", new double[] {58, 64, 139, 154, 116, 128, 278, 308}, get(be, c, 8));
        // shared A with transposed B per batch: B_1 = B_T of the doubled B
        double[] bt2 = {7, 9, 11, 8, 10, 12, 14, 18, 22, 16, 20, 24};
        Buffer c2 = be.allocate(8);
        be.gemm(new Gemm(false, true, 2, 2, 3, 1f, 0f, 2, 0, 6, 4), buf(be, A), buf(be, bt2), c2);
        assertClose("gemm batch 2, A stride 0, transB", new double[] {58, 64, 139, 154, 116, 128, 278, 308}, get(be, c2, 8));
    }

    @Test
    void gemmRejectsShortOperand() {
        Buffer a = be.allocate(16);   // needs 4*5 = 20
        var e = assertThrows(IllegalArgumentException.class,
                () -> be.gemm(Gemm.of(false, false, 4, 4, 5, 0f), a, be.allocate(20), be.allocate(16)));
        assertTrue(e.getMessage().contains("gemm") && e.getMessage().contains("A") && e.getMessage().contains("20"),
                e.getMessage());
    }

    @Test
    void unaryForwardValues() {
        double[] x = {-2, -0.5, 0, 0.5, 3};
        Buffer xb = buf(be, x), y = be.allocate(5);
        be.unary(Unary.RELU, 5, xb, y);
        assertClose("relu", new double[] {0, 0, 0, 0.5, 3}, get(be, y, 5));
        be.unary(Unary.NEG, 5, xb, y);
        assertClose("neg", new double[] {2, 0.5, 0, -0.5, -3}, get(be, y, 5));
        be.unary(Unary.SQUARE, 5, xb, y);
        assertClose("square", new double[] {4, 0.25, 0, 0.25, 9}, get(be, y, 5));
        be.unary(Unary.IDENTITY, 5, xb, y);
        assertClose("identity", x, get(be, y, 5));
        be.unary(Unary.SIGMOID, 5, xb, y);
        double[] sig = new double[5];
        for (int i = 0; i < 5; i++) sig[i] = 1 / (1 + Math.exp(-x[i]));
        assertClose("sigmoid", sig, get(be, y, 5), 1e-15, 1e-14);
        be.unary(Unary.TANH, 5, xb, y);
        assertClose("tanh", new double[] {Math.tanh(-2), Math.tanh(-0.5), 0, Math.tanh(0.5), Math.tanh(3)}, get(be, y, 5));
        be.unary(Unary.EXP, 5, xb, y);
        assertClose("exp", new double[] {Math.exp(-2), Math.exp(-0.5), 1, Math.exp(0.5), Math.exp(3)}, get(be, y, 5));
        Buffer pos = buf(be, 1, Math.E, 0.5), ly = be.allocate(3);
        be.unary(Unary.LOG, 3, pos, ly);
        assertClose("log", new double[] {0, 1, Math.log(0.5)}, get(be, ly, 3));
    }

    @Test
    void logSigmoidIsStableAtBothEnds() {
        Buffer x = buf(be, -800, 0, 800, -1), y = be.allocate(4);
        be.unary(Unary.LOG_SIGMOID, 4, x, y);
        // naive log(1/(1+exp(800))) is -inf; log(sigmoid(800)) is -exp(-800) = 0 in double
        assertClose("logSigmoid", new double[] {-800, -Math.log(2), 0, -Math.log1p(Math.E)}, get(be, y, 4), 1e-15, 1e-14);
    }

    @Test
    void unaryInPlace() {
        Buffer x = buf(be, -1, 2);
        be.unary(Unary.SQUARE, 2, x, x);
        assertClose("square in place", new double[] {1, 4}, get(be, x, 2));
    }

    @Test
    void unaryBackwardAccumulatesDerivativeTimesDy() {
        double[] x = {-2, -0.5, 0, 0.5, 3};
        double[] dy = {1, 2, 3, 4, 5};
        for (Unary op : Unary.values()) {
            double[] xs = op == Unary.LOG ? new double[] {0.5, 1, 2, 4, 8} : x;
            Buffer xb = buf(be, xs), y = be.allocate(5), dx = buf(be, 1, 1, 1, 1, 1);
            be.unary(op, 5, xb, y);
            be.unaryBackward(op, 5, xb, y, buf(be, dy), dx);
            double[] expected = new double[5];
            for (int i = 0; i < 5; i++) expected[i] = 1 + dy[i] * derivative(op, xs[i]);
            assertClose("unaryBackward " + op + " (5)", expected, get(be, dx, 5), 1e-14, 1e-13);
        }
    }

    /** Hand derivatives, written from x alone (the backend may use y). */
    private static double derivative(Unary op, double x) {
        double s = 1 / (1 + Math.exp(-x));
        return switch (op) {
            case IDENTITY -> 1;
            case RELU -> x > 0 ? 1 : 0;   // 0 at x = 0
            case TANH -> 1 - Math.tanh(x) * Math.tanh(x);
            case SIGMOID -> s * (1 - s);
            case EXP -> Math.exp(x);
            case LOG -> 1 / x;
            case NEG -> -1;
            case SQUARE -> 2 * x;
            case LOG_SIGMOID -> 1 - s;
        };
    }

    @Test
    void binaryBroadcastsRowsAndColumns() {
        double[] a = {1, 2, 3, 4, 5, 6};   // (2, 3)
        Buffer ab = buf(be, a), out = be.allocate(6);
        be.binary(Binary.ADD, Broadcast.of(new int[] {2, 3}, new int[] {3}), ab, buf(be, 10, 20, 30), out);
        assertClose("add (2,3)+(3)", new double[] {11, 22, 33, 14, 25, 36}, get(be, out, 6));
        be.binary(Binary.SUB, Broadcast.of(new int[] {2, 3}, new int[] {2, 1}), ab, buf(be, 1, 2), out);
        assertClose("sub (2,3)-(2,1)", new double[] {0, 1, 2, 2, 3, 4}, get(be, out, 6));
        be.binary(Binary.MUL, Broadcast.of(new int[] {2, 1}, new int[] {1, 3}), buf(be, 2, 3), buf(be, 1, 10, 100), out);
        assertClose("mul (2,1)*(1,3)", new double[] {2, 20, 200, 3, 30, 300}, get(be, out, 6));
        be.binary(Binary.DIV, Broadcast.same(new int[] {2, 3}), ab, buf(be, 1, 4, 2, 8, 5, 3), out);
        assertClose("div same (2,3)", new double[] {1, 0.5, 1.5, 0.5, 1, 2}, get(be, out, 6));
    }

    @Test
    void sumIntoReducesBroadcastDimensionsAndAccumulates() {
        Buffer src = buf(be, 1, 2, 3, 4, 5, 6);   // (2, 3)
        Buffer cols = buf(be, 100, 100, 100);     // (3)
        be.sumInto(new Broadcast(new int[] {1, 1, 2, 3}, new int[] {0, 0, 0, 1}, new int[] {0, 0, 0, 0}), src, cols);
        assertClose("sumInto over rows", new double[] {105, 107, 109}, get(be, cols, 3));
        Buffer rows = be.allocate(2);             // (2, 1)
        be.sumInto(new Broadcast(new int[] {1, 1, 2, 3}, new int[] {0, 0, 1, 0}, new int[] {0, 0, 0, 0}), src, rows);
        assertClose("sumInto over columns", new double[] {6, 15}, get(be, rows, 2));
    }

    @Test
    void scaleAndSumOfSquares() {
        Buffer x = buf(be, 1, -2, 3, 100);
        be.scale(3, -0.5f, x);
        assertClose("scale first 3", new double[] {-0.5, 1, -1.5, 100}, get(be, x, 4));
        assertEquals(0.25 + 1 + 2.25, be.sumOfSquares(3, x), 0.0);
    }

    @Test
    void binaryRejectsShortOperandNamingIt() {
        var e = assertThrows(IllegalArgumentException.class, () -> be.binary(Binary.ADD,
                Broadcast.same(new int[] {5, 5}), be.allocate(25), be.allocate(16), be.allocate(25)));
        assertTrue(e.getMessage().contains("binary ADD") && e.getMessage().contains("b"), e.getMessage());
    }
}
