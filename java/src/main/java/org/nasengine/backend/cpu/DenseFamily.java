package org.nasengine.backend.cpu;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.nasengine.backend.Binary;
import org.nasengine.backend.Broadcast;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.Gemm;
import org.nasengine.backend.OpChecks;
import org.nasengine.backend.Unary;

/** Dense algebra of {@link NativeBackend}: gemm, elementwise unary/binary with broadcasting, reductions. */
final class DenseFamily {
    private DenseFamily() {}

    static void gemm(NativeBackend be, Gemm g, Buffer a, Buffer b, Buffer c) {
        int m = g.m(), n = g.n(), k = g.k();
        g.checkStrides();
        MemorySegment sa = NativeArgs.need(be, "gemm", "A", a, g.aExtent());
        MemorySegment sb = NativeArgs.need(be, "gemm", "B", b, g.bExtent());
        MemorySegment sc = NativeArgs.need(be, "gemm", "C", c, g.cExtent());
        int rc;
        try {
            rc = (int) NativeCalls.GEMM.invokeExact(g.transA() ? 1 : 0, g.transB() ? 1 : 0, m, n, k, g.alpha(), sa, sb,
                    g.beta(), sc, g.batch(), g.strideA(), g.strideB(), g.strideC());
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_gemm", t);
        }
        NativeArgs.check("gemm", rc, g.toString());
    }

    static void unary(NativeBackend be, Unary op, long n, Buffer x, Buffer y) {
        String name = "unary " + op;
        OpChecks.nonNegative(name, "n", n);
        MemorySegment sx = NativeArgs.need(be, name, "x", x, n), sy = NativeArgs.need(be, name, "y", y, n);
        int rc;
        try {
            rc = (int) NativeCalls.UNARY.invokeExact(code(op), n, sx, sy);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_unary", t);
        }
        NativeArgs.check(name, rc, "n=" + n);
    }

    static void unaryBackward(NativeBackend be, Unary op, long n, Buffer x, Buffer y, Buffer dy, Buffer dx) {
        String name = "unaryBackward " + op;
        OpChecks.nonNegative(name, "n", n);
        boolean readsX = switch (op) { case RELU, LOG, SQUARE, LOG_SIGMOID -> true; default -> false; };
        boolean readsY = switch (op) { case TANH, SIGMOID, EXP -> true; default -> false; };
        MemorySegment sx = readsX ? NativeArgs.need(be, name, "x", x, n) : NativeArgs.optional(be, name, "x", x, n);
        MemorySegment sy = readsY ? NativeArgs.need(be, name, "y", y, n) : NativeArgs.optional(be, name, "y", y, n);
        MemorySegment sdy = NativeArgs.need(be, name, "dy", dy, n);
        MemorySegment sdx = NativeArgs.optional(be, name, "dx", dx, n);
        if (dx == null) return;
        int rc;
        try {
            rc = (int) NativeCalls.UNARY_BACKWARD.invokeExact(code(op), n, sx, sy, sdy, sdx);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_unary_backward", t);
        }
        NativeArgs.check(name, rc, "n=" + n);
    }

    /** nasengine.h's op codes, spelled out so that reordering the enum cannot silently change them. */
    private static int code(Unary op) {
        return switch (op) {
            case IDENTITY -> 0; case RELU -> 1; case TANH -> 2; case SIGMOID -> 3; case EXP -> 4;
            case LOG -> 5; case NEG -> 6; case SQUARE -> 7; case LOG_SIGMOID -> 8;
        };
    }

    static void binary(NativeBackend be, Binary op, Broadcast s, Buffer a, Buffer b, Buffer out) {
        String name = "binary " + op;
        int[] sh = s.shape(), as = s.aStrides(), bs = s.bStrides();
        MemorySegment sa = NativeArgs.need(be, name, "a", a, s.aExtent());
        MemorySegment sb = NativeArgs.need(be, name, "b", b, s.bExtent());
        MemorySegment so = NativeArgs.need(be, name, "out", out, s.size());
        int opCode = switch (op) { case ADD -> 0; case SUB -> 1; case MUL -> 2; case DIV -> 3; };
        int rc;
        try {
            rc = (int) NativeCalls.BINARY.invokeExact(opCode, sh[0], sh[1], sh[2], sh[3], as[0], as[1], as[2], as[3],
                    bs[0], bs[1], bs[2], bs[3], sa, sb, so);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_binary", t);
        }
        NativeArgs.check(name, rc, Arrays.toString(sh));
    }

    static void sumInto(NativeBackend be, Broadcast s, Buffer src, Buffer dst) {
        int[] sh = s.shape(), ds = s.aStrides();
        MemorySegment ss = NativeArgs.need(be, "sumInto", "src", src, s.size());
        MemorySegment sd = NativeArgs.need(be, "sumInto", "dst", dst, s.aExtent());
        try {
            NativeCalls.SUM_INTO.invokeExact(sh[0], sh[1], sh[2], sh[3], ds[0], ds[1], ds[2], ds[3], ss, sd);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_sum_into", t);
        }
    }

    static void scale(NativeBackend be, long n, float factor, Buffer x) {
        OpChecks.nonNegative("scale", "n", n);
        MemorySegment sx = NativeArgs.need(be, "scale", "x", x, n);
        try {
            NativeCalls.SCALE.invokeExact(n, factor, sx);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_scale", t);
        }
    }

    static double sumOfSquares(NativeBackend be, long n, Buffer x) {
        OpChecks.nonNegative("sumOfSquares", "n", n);
        MemorySegment sx = NativeArgs.need(be, "sumOfSquares", "x", x, n);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_DOUBLE);
            NativeCalls.SUM_OF_SQUARES.invokeExact(n, sx, out);
            return out.get(JAVA_DOUBLE, 0);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_sum_of_squares", t);
        }
    }
}
