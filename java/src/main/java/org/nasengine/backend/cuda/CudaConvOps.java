package org.nasengine.backend.cuda;

import static org.nasengine.backend.cuda.CudaChecks.need;
import static org.nasengine.backend.cuda.CudaChecks.optional;

import java.util.List;
import org.nasengine.backend.BatchNormSpec;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.backend.JoinGeometry;
import org.nasengine.backend.PoolGeometry;

/**
 * The convolution family of {@link CudaBackend}: convolution through the first engine that
 * supports the geometry, pooling, batch norm and the pad-join. Checks on entry, then launches.
 */
final class CudaConvOps {
    private static final int REDUCE_BLOCK = 512;

    private final CudaBackend be;
    private final DeviceApi device;
    private final CudaMemory mem;
    /** First match wins: a cuDNN engine would go at the front. */
    private final List<ConvEngine> convEngines;

    CudaConvOps(CudaBackend be, DeviceApi device, CudaMemory memory, GemmEngine gemm) {
        this.be = be;
        this.device = device;
        this.mem = memory;
        this.convEngines = List.of(new DepthwiseConv(device), new Im2colConv(device, memory, gemm));
    }

    void conv2d(ConvGeometry g, Buffer x, Buffer w, Buffer y) {
        CudaBuffer bx = need(mem, "conv2d", "x", x, g.inputLength());    // (n, cin, h, w)
        CudaBuffer bw = need(mem, "conv2d", "w", w, g.weightLength());   // (cout, cin/groups, kh, kw)
        CudaBuffer by = need(mem, "conv2d", "y", y, g.outputLength());   // (n, cout, outH, outW)
        be.runOp("conv2d", g::toString, () -> convEngine(g).forward(g, bx, bw, by));
    }

    void conv2dBackward(ConvGeometry g, Buffer x, Buffer w, Buffer dy, Buffer dx, Buffer dw) {
        String op = "conv2dBackward";
        CudaBuffer bdx = optional(mem, op, "dx", dx, g.inputLength());
        CudaBuffer bdw = optional(mem, op, "dw", dw, g.weightLength());
        // x is read only for dw, w only for dx
        CudaBuffer bx = bdw != null ? need(mem, op, "x", x, g.inputLength()) : optional(mem, op, "x", x, g.inputLength());
        CudaBuffer bw = bdx != null ? need(mem, op, "w", w, g.weightLength()) : optional(mem, op, "w", w, g.weightLength());
        CudaBuffer bdy = need(mem, op, "dy", dy, g.outputLength());
        if (bdx == null && bdw == null) return;
        be.runOp(op, g::toString, () -> convEngine(g).backward(g, bx, bw, bdy, bdx, bdw));
    }

    private ConvEngine convEngine(ConvGeometry g) {
        for (ConvEngine e : convEngines) if (e.supports(g)) return e;
        throw new IllegalStateException("no convolution engine supports " + g);   // Im2colConv supports all
    }

    void pool2d(PoolGeometry g, Buffer x, Buffer y) {
        CudaBuffer bx = need(mem, "pool2d", "x", x, g.inputLength());    // (n, c, h, w)
        CudaBuffer by = need(mem, "pool2d", "y", y, g.outputLength());   // (n, c, outH, outW)
        Kernel k = g.kind() == PoolGeometry.Kind.MAX ? Kernel.MAX_POOL_FWD : Kernel.AVG_POOL_FWD;
        be.runOp("pool2d", g::toString, () -> device.launch1d(k, g.outputLength(), CudaStructs.pool(g), bx, by));
    }

    void pool2dBackward(PoolGeometry g, Buffer x, Buffer y, Buffer dy, Buffer dx) {
        String op = "pool2dBackward";
        boolean max = g.kind() == PoolGeometry.Kind.MAX;
        CudaBuffer bx = max ? need(mem, op, "x", x, g.inputLength()) : optional(mem, op, "x", x, g.inputLength());
        optional(mem, op, "y", y, g.outputLength());   // the argmax is recomputed from x
        CudaBuffer bdy = need(mem, op, "dy", dy, g.outputLength());
        CudaBuffer bdx = optional(mem, op, "dx", dx, g.inputLength());
        if (bdx == null) return;
        byte[] args = CudaStructs.pool(g);
        be.runOp(op, g::toString, () -> {
            if (max) device.launch1d(Kernel.MAX_POOL_BWD, g.outputLength(), args, bx, bdy, bdx);
            else device.launch1d(Kernel.AVG_POOL_BWD, g.inputLength(), args, bdy, bdx);
        });
    }

    void batchNorm(BatchNormSpec s, Buffer x, Buffer gamma, Buffer beta, Buffer runningMean,
                   Buffer runningVar, Buffer savedMean, Buffer savedInvStd, Buffer y) {
        String op = "batchNorm";
        CudaBuffer bx = need(mem, op, "x", x, s.length());            // (n, c, spatial)
        CudaBuffer bg = need(mem, op, "gamma", gamma, s.c());         // (c)
        CudaBuffer bb = need(mem, op, "beta", beta, s.c());           // (c)
        CudaBuffer rm = need(mem, op, "runningMean", runningMean, s.c());
        CudaBuffer rv = need(mem, op, "runningVar", runningVar, s.c());
        CudaBuffer sm = s.training() ? need(mem, op, "savedMean", savedMean, s.c()) : null;
        CudaBuffer si = s.training() ? need(mem, op, "savedInvStd", savedInvStd, s.c()) : null;
        CudaBuffer by = need(mem, op, "y", y, s.length());            // (n, c, spatial)
        byte[] args = CudaStructs.batchNorm(s);
        be.runOp(op, s::toString, () -> {
            if (s.training()) {
                device.launch(Kernel.BN_STATS, s.c(), 1, 1, REDUCE_BLOCK, args, bx, sm, si, rm, rv);
                device.launch1d(Kernel.BN_APPLY_TRAIN, s.length(), args, bx, sm, si, bg, bb, by);
            } else {
                device.launch1d(Kernel.BN_APPLY_EVAL, s.length(), args, bx, rm, rv, bg, bb, by);
            }
        });
    }

    void batchNormBackward(BatchNormSpec s, Buffer x, Buffer gamma, Buffer savedMean, Buffer savedInvStd,
                           Buffer dy, Buffer dx, Buffer dGamma, Buffer dBeta) {
        String op = "batchNormBackward";
        if (!s.training())
            throw new IllegalArgumentException(op + ": defined for training mode only (the spec has training=false)");
        CudaBuffer bx = need(mem, op, "x", x, s.length());
        CudaBuffer bg = need(mem, op, "gamma", gamma, s.c());
        CudaBuffer sm = need(mem, op, "savedMean", savedMean, s.c());
        CudaBuffer si = need(mem, op, "savedInvStd", savedInvStd, s.c());
        CudaBuffer bdy = need(mem, op, "dy", dy, s.length());
        CudaBuffer bdx = optional(mem, op, "dx", dx, s.length());
        CudaBuffer bdg = optional(mem, op, "dGamma", dGamma, s.c());
        CudaBuffer bdb = optional(mem, op, "dBeta", dBeta, s.c());
        if (bdx == null && bdg == null && bdb == null) return;
        be.runOp(op, s::toString, () -> device.launch(Kernel.BN_BWD, s.c(), 1, 1, REDUCE_BLOCK,
                CudaStructs.batchNorm(s), bx, bg, sm, si, bdy, bdx, bdg, bdb));
    }

    void padConcat(JoinGeometry j, Buffer[] inputs, Buffer out) {
        CudaBuffer[] in = joinBuffers("padConcat", "inputs", j, inputs, true);
        CudaBuffer bo = need(mem, "padConcat", "out", out, j.outputLength());   // (n, sum c_i, outH, outW)
        be.runOp("padConcat", () -> CudaJoin.describe(j), () -> CudaJoin.forward(device, j, in, bo));
    }

    void padConcatBackward(JoinGeometry j, Buffer dOut, Buffer[] dInputs) {
        CudaBuffer[] din = joinBuffers("padConcatBackward", "dInputs", j, dInputs, false);
        CudaBuffer bdo = need(mem, "padConcatBackward", "dOut", dOut, j.outputLength());
        be.runOp("padConcatBackward", () -> CudaJoin.describe(j), () -> CudaJoin.backward(device, j, bdo, din));
    }

    private CudaBuffer[] joinBuffers(String op, String role, JoinGeometry j, Buffer[] buffers, boolean required) {
        if (j.n() <= 0) throw new IllegalArgumentException(op + ": batch n (" + j.n() + ") must be > 0");
        if (buffers == null || buffers.length != j.inputs())
            throw new IllegalArgumentException(op + ": " + (buffers == null ? "null" : buffers.length)
                    + " buffers for a join of " + j.inputs() + " inputs");
        CudaBuffer[] out = new CudaBuffer[buffers.length];
        for (int k = 0; k < buffers.length; k++) {
            String r = role + "[" + k + "]";
            out[k] = required ? need(mem, op, r, buffers[k], j.inputLength(k))
                    : optional(mem, op, r, buffers[k], j.inputLength(k));
        }
        return out;
    }
}
