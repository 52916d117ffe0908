package org.nasengine.backend.ref;

import org.nasengine.backend.Binary;
import org.nasengine.backend.Broadcast;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.Gemm;
import org.nasengine.backend.OpChecks;
import org.nasengine.backend.Unary;

/** Reference dense algebra: gemm, elementwise unary/binary with broadcasting, reductions. Plain loops. */
final class DenseOps {
    private DenseOps() {}

    static void gemm(Gemm g, Buffer aBuf, Buffer bBuf, Buffer cBuf) {
        int m = g.m(), n = g.n(), k = g.k();
        g.checkStrides();
        double[] a = Args.need("gemm", "A", aBuf, g.aExtent());   // (batch, m, k) or (batch, k, m)
        double[] b = Args.need("gemm", "B", bBuf, g.bExtent());   // (batch, k, n) or (batch, n, k)
        double[] c = Args.need("gemm", "C", cBuf, g.cExtent());   // (batch, m, n)
        for (int bi = 0; bi < g.batch(); bi++) {
            long offA = bi * g.strideA(), offB = bi * g.strideB(), offC = bi * g.strideC();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        double av = g.transA() ? a[(int) (offA + (long) p * m + i)] : a[(int) (offA + (long) i * k + p)];
                        double bv = g.transB() ? b[(int) (offB + (long) j * k + p)] : b[(int) (offB + (long) p * n + j)];
                        sum += av * bv;
                    }
                    int ci = (int) (offC + (long) i * n + j);
                    // beta == 0 overwrites without reading C, which may hold garbage (NaN * 0 is NaN)
                    c[ci] = g.beta() == 0 ? g.alpha() * sum : g.alpha() * sum + g.beta() * c[ci];
                }
            }
        }
    }

    static void unary(Unary op, long n, Buffer xBuf, Buffer yBuf) {
        String name = "unary " + op;
        OpChecks.nonNegative(name, "n", n);
        double[] x = Args.need(name, "x", xBuf, n);
        double[] y = Args.need(name, "y", yBuf, n);
        for (int i = 0; i < n; i++) y[i] = apply(op, x[i]);
    }

    static double apply(Unary op, double x) {
        return switch (op) {
            case IDENTITY -> x;
            case RELU -> x > 0 ? x : 0;
            case TANH -> Math.tanh(x);
            case SIGMOID -> sigmoid(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case NEG -> -x;
            case SQUARE -> x * x;
            // log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)): never exponentiates a large positive number
            case LOG_SIGMOID -> Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
        };
    }

    static double sigmoid(double x) {
        // the two branches keep exp's argument <= 0, so neither overflows
        if (x >= 0) return 1 / (1 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** dx += f'(x) * dy; x or y may be null when the function's derivative does not read it. */
    static void unaryBackward(Unary op, long n, Buffer xBuf, Buffer yBuf, Buffer dyBuf, Buffer dxBuf) {
        String name = "unaryBackward " + op;
        OpChecks.nonNegative(name, "n", n);
        boolean readsX = switch (op) { case RELU, LOG, SQUARE, LOG_SIGMOID -> true; default -> false; };
        boolean readsY = switch (op) { case TANH, SIGMOID, EXP -> true; default -> false; };
        double[] x = readsX ? Args.need(name, "x", xBuf, n) : Args.optional(name, "x", xBuf, n);
        double[] y = readsY ? Args.need(name, "y", yBuf, n) : Args.optional(name, "y", yBuf, n);
        double[] dy = Args.need(name, "dy", dyBuf, n);
        double[] dx = Args.optional(name, "dx", dxBuf, n);
        if (dx == null) return;
        for (int i = 0; i < n; i++) {
            double d = switch (op) {
                case IDENTITY -> dy[i];
                case RELU -> x[i] > 0 ? dy[i] : 0;
                case TANH -> dy[i] * (1 - y[i] * y[i]);
                case SIGMOID -> dy[i] * y[i] * (1 - y[i]);
                case EXP -> dy[i] * y[i];
                case LOG -> dy[i] / x[i];
                case NEG -> -dy[i];
                case SQUARE -> 2 * x[i] * dy[i];
                case LOG_SIGMOID -> dy[i] * sigmoid(-x[i]);   // 1 - sigmoid(x), without cancellation
            };
            dx[i] += d;
        }
    }

    /** out[i] = a[i . aStrides] op b[i . bStrides], out contiguous over the shape. */
    static void binary(Binary op, Broadcast s, Buffer aBuf, Buffer bBuf, Buffer outBuf) {
        String name = "binary " + op;
        double[] a = Args.need(name, "a", aBuf, s.aExtent());
        double[] b = Args.need(name, "b", bBuf, s.bExtent());
        double[] out = Args.need(name, "out", outBuf, s.size());
        int[] sh = s.shape(), as = s.aStrides(), bs = s.bStrides();
        int i = 0;
        for (int d0 = 0; d0 < sh[0]; d0++)
            for (int d1 = 0; d1 < sh[1]; d1++)
                for (int d2 = 0; d2 < sh[2]; d2++)
                    for (int d3 = 0; d3 < sh[3]; d3++) {
                        double av = a[d0 * as[0] + d1 * as[1] + d2 * as[2] + d3 * as[3]];
                        double bv = b[d0 * bs[0] + d1 * bs[1] + d2 * bs[2] + d3 * bs[3]];
                        out[i++] = switch (op) {
                            case ADD -> av + bv;
                            case SUB -> av - bv;
                            case MUL -> av * bv;
                            case DIV -> av / bv;
                        };
                    }
    }

    /** dst[i . aStrides] += src[i], src contiguous over the shape. */
    static void sumInto(Broadcast s, Buffer srcBuf, Buffer dstBuf) {
        double[] src = Args.need("sumInto", "src", srcBuf, s.size());
        double[] dst = Args.need("sumInto", "dst", dstBuf, s.aExtent());
        int[] sh = s.shape(), as = s.aStrides();
        int i = 0;
        for (int d0 = 0; d0 < sh[0]; d0++)
            for (int d1 = 0; d1 < sh[1]; d1++)
                for (int d2 = 0; d2 < sh[2]; d2++)
                    for (int d3 = 0; d3 < sh[3]; d3++)
                        dst[d0 * as[0] + d1 * as[1] + d2 * as[2] + d3 * as[3]] += src[i++];
    }

    static void scale(long n, float factor, Buffer xBuf) {
        OpChecks.nonNegative("scale", "n", n);
        double[] x = Args.need("scale", "x", xBuf, n);
        for (int i = 0; i < n; i++) x[i] *= factor;
    }

    static double sumOfSquares(long n, Buffer xBuf) {
        OpChecks.nonNegative("sumOfSquares", "n", n);
        double[] x = Args.need("sumOfSquares", "x", xBuf, n);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += x[i] * x[i];
        return sum;
    }
}
