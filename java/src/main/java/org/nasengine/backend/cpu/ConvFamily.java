package org.nasengine.backend.cpu;

import java.lang.foreign.MemorySegment;
import org.nasengine.backend.BatchNormSpec;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.backend.JoinGeometry;
import org.nasengine.backend.PoolGeometry;

/** Convolution, pooling, batch norm and the pad-join of {@link NativeBackend}: checks, then one downcall. */
final class ConvFamily {
    private ConvFamily() {}

    static void conv2d(NativeBackend be, ConvGeometry g, Buffer x, Buffer w, Buffer y) {
        MemorySegment sx = NativeArgs.need(be, "conv2d", "x", x, g.inputLength());    // (n, cin, h, w)
        MemorySegment sw = NativeArgs.need(be, "conv2d", "w", w, g.weightLength());   // (cout, cin/groups, kh, kw)
        MemorySegment sy = NativeArgs.need(be, "conv2d", "y", y, g.outputLength());   // (n, cout, outH, outW)
        int rc;
        synchronized (be.workspaceLock) {
            if (be.closed()) throw new IllegalStateException("conv2d: the cpu backend is closed");
            try {
                rc = (int) NativeCalls.CONV.invokeExact(be.workspace, g.n(), g.cin(), g.h(), g.w(), g.cout(), g.kh(),
                        g.kw(), g.strideH(), g.strideW(), g.padH(), g.padW(), g.dilH(), g.dilW(), g.groups(), sx, sw, sy);
            } catch (Throwable t) {
                throw NativeCalls.fail("nas_conv2d", t);
            }
        }
        NativeArgs.check("conv2d", rc, g.toString());
    }

    static void conv2dBackward(NativeBackend be, ConvGeometry g, Buffer x, Buffer w, Buffer dy, Buffer dx, Buffer dw) {
        String op = "conv2dBackward";
        MemorySegment sdx = NativeArgs.optional(be, op, "dx", dx, g.inputLength());
        MemorySegment sdw = NativeArgs.optional(be, op, "dw", dw, g.weightLength());
        // x is read only for dw and w only for dx
        MemorySegment sx = dw != null ? NativeArgs.need(be, op, "x", x, g.inputLength())
                : NativeArgs.optional(be, op, "x", x, g.inputLength());
        MemorySegment sw = dx != null ? NativeArgs.need(be, op, "w", w, g.weightLength())
                : NativeArgs.optional(be, op, "w", w, g.weightLength());
        MemorySegment sdy = NativeArgs.need(be, op, "dy", dy, g.outputLength());
        if (dx == null && dw == null) return;
        int rc;
        synchronized (be.workspaceLock) {
            if (be.closed()) throw new IllegalStateException(op + ": the cpu backend is closed");
            try {
                rc = (int) NativeCalls.CONV_BACKWARD.invokeExact(be.workspace, g.n(), g.cin(), g.h(), g.w(), g.cout(),
                        g.kh(), g.kw(), g.strideH(), g.strideW(), g.padH(), g.padW(), g.dilH(), g.dilW(), g.groups(),
                        sx, sw, sdy, sdx, sdw);
            } catch (Throwable t) {
                throw NativeCalls.fail("nas_conv2d_backward", t);
            }
        }
        NativeArgs.check(op, rc, g.toString());
    }

    private static int kind(PoolGeometry g) {
        return g.kind() == PoolGeometry.Kind.MAX ? 0 : 1;
    }

    static void pool2d(NativeBackend be, PoolGeometry g, Buffer x, Buffer y) {
        MemorySegment sx = NativeArgs.need(be, "pool2d", "x", x, g.inputLength());    // (n, c, h, w)
        MemorySegment sy = NativeArgs.need(be, "pool2d", "y", y, g.outputLength());   // (n, c, outH, outW)
        int rc;
        try {
            rc = (int) NativeCalls.POOL.invokeExact(kind(g), g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.stride(),
                    g.padH(), g.padW(), sx, sy);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_pool2d", t);
        }
        NativeArgs.check("pool2d", rc, g.toString());
    }

    static void pool2dBackward(NativeBackend be, PoolGeometry g, Buffer x, Buffer y, Buffer dy, Buffer dx) {
        String op = "pool2dBackward";
        // max recomputes the window's argmax from x; y is only length-checked (as the reference does)
        MemorySegment sx = g.kind() == PoolGeometry.Kind.MAX ? NativeArgs.need(be, op, "x", x, g.inputLength())
                : NativeArgs.optional(be, op, "x", x, g.inputLength());
        MemorySegment sy = NativeArgs.optional(be, op, "y", y, g.outputLength());
        MemorySegment sdy = NativeArgs.need(be, op, "dy", dy, g.outputLength());
        MemorySegment sdx = NativeArgs.optional(be, op, "dx", dx, g.inputLength());
        if (dx == null) return;
        int rc;
        try {
            rc = (int) NativeCalls.POOL_BACKWARD.invokeExact(kind(g), g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(),
                    g.stride(), g.padH(), g.padW(), sx, sy, sdy, sdx);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_pool2d_backward", t);
        }
        NativeArgs.check(op, rc, g.toString());
    }

    static void batchNorm(NativeBackend be, BatchNormSpec s, Buffer x, Buffer gamma, Buffer beta, Buffer runningMean,
                          Buffer runningVar, Buffer savedMean, Buffer savedInvStd, Buffer y) {
        String op = "batchNorm";
        MemorySegment sx = NativeArgs.need(be, op, "x", x, s.length());          // (n, c, spatial)
        MemorySegment sg = NativeArgs.need(be, op, "gamma", gamma, s.c());       // (c)
        MemorySegment sb = NativeArgs.need(be, op, "beta", beta, s.c());         // (c)
        MemorySegment rm = NativeArgs.need(be, op, "runningMean", runningMean, s.c());
        MemorySegment rv = NativeArgs.need(be, op, "runningVar", runningVar, s.c());
        // evaluation leaves the saved statistics untouched, so it may go without them
        MemorySegment sm = s.training() ? NativeArgs.need(be, op, "savedMean", savedMean, s.c())
                : NativeArgs.optional(be, op, "savedMean", savedMean, s.c());
        MemorySegment si = s.training() ? NativeArgs.need(be, op, "savedInvStd", savedInvStd, s.c())
                : NativeArgs.optional(be, op, "savedInvStd", savedInvStd, s.c());
        MemorySegment sy = NativeArgs.need(be, op, "y", y, s.length());          // (n, c, spatial)
        int rc;
        try {
            rc = (int) NativeCalls.BATCHNORM.invokeExact(s.n(), s.c(), s.spatial(), s.eps(), s.momentum(),
                    s.training() ? 1 : 0, sx, sg, sb, rm, rv, sm, si, sy);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_batchnorm", t);
        }
        NativeArgs.check(op, rc, s.toString());
    }

    static void batchNormBackward(NativeBackend be, BatchNormSpec s, Buffer x, Buffer gamma, Buffer savedMean,
                                  Buffer savedInvStd, Buffer dy, Buffer dx, Buffer dGamma, Buffer dBeta) {
        String op = "batchNormBackward";
        if (!s.training())
            throw new IllegalArgumentException(op + ": defined for training mode only (the spec has training=false)");
        MemorySegment sx = NativeArgs.need(be, op, "x", x, s.length());
        MemorySegment sg = NativeArgs.need(be, op, "gamma", gamma, s.c());
        MemorySegment sm = NativeArgs.need(be, op, "savedMean", savedMean, s.c());
        MemorySegment si = NativeArgs.need(be, op, "savedInvStd", savedInvStd, s.c());
        MemorySegment sdy = NativeArgs.need(be, op, "dy", dy, s.length());
        MemorySegment sdx = NativeArgs.optional(be, op, "dx", dx, s.length());
        MemorySegment sdg = NativeArgs.optional(be, op, "dGamma", dGamma, s.c());
        MemorySegment sdb = NativeArgs.optional(be, op, "dBeta", dBeta, s.c());
        int rc;
        try {
            rc = (int) NativeCalls.BATCHNORM_BACKWARD.invokeExact(s.n(), s.c(), s.spatial(), sx, sg, sm, si, sdy, sdx,
                    sdg, sdb);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_batchnorm_backward", t);
        }
        NativeArgs.check(op, rc, s.toString());
    }

    static void padConcat(NativeBackend be, JoinGeometry j, Buffer[] inputs, Buffer out) {
        checkCount("padConcat", j, inputs);
        MemorySegment so = NativeArgs.need(be, "padConcat", "out", out, j.outputLength());   // (n, sum c_i, outH, outW)
        MemorySegment[] in = new MemorySegment[j.inputs()];
        for (int k = 0; k < in.length; k++)   // all checked before anything is written
            in[k] = NativeArgs.need(be, "padConcat", "inputs[" + k + "]", inputs[k], j.inputLength(k));
        for (int k = 0; k < in.length; k++) {
            int rc;
            try {
                rc = (int) NativeCalls.PAD_INTO.invokeExact(j.n(), j.channels()[k], j.heights()[k], j.widths()[k],
                        j.outChannels(), j.outH(), j.outW(), j.channelOffset(k), j.top(k), j.left(k), in[k], so);
            } catch (Throwable t) {
                throw NativeCalls.fail("nas_pad_into", t);
            }
            NativeArgs.check("padConcat", rc, "input " + k);
        }
    }

    static void padConcatBackward(NativeBackend be, JoinGeometry j, Buffer dOut, Buffer[] dInputs) {
        checkCount("padConcatBackward", j, dInputs);
        MemorySegment so = NativeArgs.need(be, "padConcatBackward", "dOut", dOut, j.outputLength());
        MemorySegment[] din = new MemorySegment[j.inputs()];
        for (int k = 0; k < din.length; k++)
            din[k] = NativeArgs.optional(be, "padConcatBackward", "dInputs[" + k + "]", dInputs[k], j.inputLength(k));
        for (int k = 0; k < din.length; k++) {
            if (dInputs[k] == null) continue;
            int rc;
            try {
                rc = (int) NativeCalls.PAD_INTO_BACKWARD.invokeExact(j.n(), j.channels()[k], j.heights()[k],
                        j.widths()[k], j.outChannels(), j.outH(), j.outW(), j.channelOffset(k), j.top(k), j.left(k),
                        so, din[k]);
            } catch (Throwable t) {
                throw NativeCalls.fail("nas_pad_into_backward", t);
            }
            NativeArgs.check("padConcatBackward", rc, "input " + k);
        }
    }

    private static void checkCount(String op, JoinGeometry j, Buffer[] buffers) {
        if (j.n() <= 0) throw new IllegalArgumentException(op + ": batch n (" + j.n() + ") must be > 0");
        if (buffers == null || buffers.length != j.inputs())
            throw new IllegalArgumentException(op + ": " + (buffers == null ? "null" : buffers.length)
                    + " buffers for a join of " + j.inputs() + " inputs");
    }
}
