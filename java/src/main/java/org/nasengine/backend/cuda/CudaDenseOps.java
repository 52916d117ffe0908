package org.nasengine.backend.cuda;

import static org.nasengine.backend.OpChecks.nonNegative;
import static org.nasengine.backend.cuda.CudaChecks.need;
import static org.nasengine.backend.cuda.CudaChecks.optional;

import java.util.Arrays;
import org.nasengine.backend.Binary;
import org.nasengine.backend.Broadcast;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.Gemm;
import org.nasengine.backend.Unary;

/** The dense algebra of {@link CudaBackend} (kernels/elementwise.cu and the GEMM engine): checks on entry, then launches. */
final class CudaDenseOps {
    private final CudaBackend be;
    private final DeviceApi device;
    private final CudaMemory mem;
    private final GemmEngine gemm;

    CudaDenseOps(CudaBackend be, DeviceApi device, CudaMemory memory, GemmEngine gemm) {
        this.be = be;
        this.device = device;
        this.mem = memory;
        this.gemm = gemm;
    }

    void gemm(Gemm g, Buffer a, Buffer b, Buffer c) {
        g.checkStrides();
        CudaBuffer da = need(mem, "gemm", "A", a, g.aExtent());
        CudaBuffer db = need(mem, "gemm", "B", b, g.bExtent());
        CudaBuffer dc = need(mem, "gemm", "C", c, g.cExtent());
        GemmCall call = GemmCall.of(g, da.ptr, db.ptr, dc.ptr);
        be.runOp("gemm", call::describe, () -> gemm.run(call));
    }

    void unary(Unary op, long n, Buffer x, Buffer y) {
        String name = "unary " + op;
        nonNegative(name, "n", n);
        CudaBuffer bx = need(mem, name, "x", x, n), by = need(mem, name, "y", y, n);
        be.runOp(name, () -> "n=" + n, () -> device.launch1d(Kernel.UNARY_FWD, n, op.ordinal(), n, bx, by));
    }

    void unaryBackward(Unary op, long n, Buffer x, Buffer y, Buffer dy, Buffer dx) {
        String name = "unaryBackward " + op;
        nonNegative(name, "n", n);
        boolean readsX = switch (op) { case RELU, LOG, SQUARE, LOG_SIGMOID -> true; default -> false; };
        boolean readsY = switch (op) { case TANH, SIGMOID, EXP -> true; default -> false; };
        CudaBuffer bx = readsX ? need(mem, name, "x", x, n) : optional(mem, name, "x", x, n);
        CudaBuffer by = readsY ? need(mem, name, "y", y, n) : optional(mem, name, "y", y, n);
        CudaBuffer bdy = need(mem, name, "dy", dy, n);
        CudaBuffer bdx = optional(mem, name, "dx", dx, n);
        if (bdx == null) return;
        be.runOp(name, () -> "n=" + n, () -> device.launch1d(Kernel.UNARY_BWD, n, op.ordinal(), n, bx, by, bdy, bdx));
    }

    void binary(Binary op, Broadcast shape, Buffer a, Buffer b, Buffer out) {
        String name = "binary " + op;
        CudaBuffer ba = need(mem, name, "a", a, shape.aExtent());
        CudaBuffer bb = need(mem, name, "b", b, shape.bExtent());
        CudaBuffer bo = need(mem, name, "out", out, shape.size());
        long n = shape.size();
        be.runOp(name, () -> describe(shape), () -> device.launch1d(Kernel.BINARY_BCAST, n, op.ordinal(),
                CudaStructs.broadcast(shape), n, ba, bb, bo));
    }

    void sumInto(Broadcast shape, Buffer src, Buffer dst) {
        CudaBuffer bs = need(mem, "sumInto", "src", src, shape.size());
        CudaBuffer bd = need(mem, "sumInto", "dst", dst, shape.aExtent());
        long n = shape.size();
        int unique = CudaChecks.distinctOffsets(shape.shape(), shape.aStrides()) ? 1 : 0;
        be.runOp("sumInto", () -> describe(shape), () -> device.launch1d(Kernel.SUM_INTO, n,
                CudaStructs.broadcast(shape), n, unique, bs, bd));
    }

    void scale(long n, float factor, Buffer x) {
        nonNegative("scale", "n", n);
        CudaBuffer bx = need(mem, "scale", "x", x, n);
        be.runOp("scale", () -> "n=" + n, () -> device.launch1d(Kernel.SCALE, n, n, factor, bx));
    }

    double sumOfSquares(long n, Buffer x) {
        nonNegative("sumOfSquares", "n", n);
        CudaBuffer bx = need(mem, "sumOfSquares", "x", x, n);
        double[] out = new double[1];
        be.runOp("sumOfSquares", () -> "n=" + n, () -> {
            DevicePtr acc = mem.zeroedDouble();
            device.launch1d(Kernel.SUM_OF_SQUARES, n, n, bx, acc);
            out[0] = mem.takeDouble();
        });
        return out[0];
    }

    private static String describe(Broadcast s) {
        return "shape=" + Arrays.toString(s.shape()) + " a=" + Arrays.toString(s.aStrides())
                + " b=" + Arrays.toString(s.bStrides());
    }
}
