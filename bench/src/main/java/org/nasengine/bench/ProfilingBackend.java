package org.nasengine.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.nasengine.backend.AdamConfig;
import org.nasengine.backend.Backend;
import org.nasengine.backend.BatchNormSpec;
import org.nasengine.backend.Binary;
import org.nasengine.backend.Broadcast;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.backend.Gemm;
import org.nasengine.backend.JoinGeometry;
import org.nasengine.backend.PoolGeometry;
import org.nasengine.backend.PoolStats;
import org.nasengine.backend.SgdConfig;
import org.nasengine.backend.Unary;

/**
 * A backend that times every call of the one it wraps, by op family, for a per-op profile of a
 * training step. CPU backends return when the work is done, so wall time per call is the op's
 * time; what a step spends outside these calls is the Java side (autograd, tape, scopes, pool).
 * Off unless a caller wraps a backend in it: the engine itself is untouched.
 */
public final class ProfilingBackend implements Backend {
    /** Accumulated wall time, calls and FLOPs of one op family. */
    public static final class Family {
        public long nanos, calls;
        public double flops;
    }

    private final Backend inner;
    private final boolean gemmShapes;
    private final Map<String, Family> families = new TreeMap<>();

    public ProfilingBackend(Backend inner) {
        this(inner, false);
    }

    /** With {@code gemmShapes}, each GEMM shape (m x n x k, transposes) is a family of its own. */
    public ProfilingBackend(Backend inner, boolean gemmShapes) {
        this.inner = inner;
        this.gemmShapes = gemmShapes;
    }

    public Map<String, Family> families() { return families; }

    public void reset() { families.clear(); }

    private void time(String family, double flops, Runnable call) {
        long t0 = System.nanoTime();
        call.run();
        Family f = families.computeIfAbsent(family, k -> new Family());
        f.nanos += System.nanoTime() - t0;
        f.calls++;
        f.flops += flops;
    }

    private <T> T time(String family, Supplier<T> call) {
        long t0 = System.nanoTime();
        T out = call.get();
        Family f = families.computeIfAbsent(family, k -> new Family());
        f.nanos += System.nanoTime() - t0;
        f.calls++;
        return out;
    }

    @Override public String name() { return inner.name(); }
    @Override public Buffer allocate(long length) { return time("memory: allocate", () -> inner.allocate(length)); }
    @Override public void release(Buffer b) { time("memory: release", 0, () -> inner.release(b)); }
    @Override public PoolStats poolStats() { return inner.poolStats(); }
    @Override public void releaseCached() { inner.releaseCached(); }
    @Override public void write(float[] src, Buffer dst, long off) { time("memory: write/read", 0, () -> inner.write(src, dst, off)); }
    @Override public void read(Buffer src, long off, float[] dst) { time("memory: write/read", 0, () -> inner.read(src, off, dst)); }
    @Override public void writeInts(int[] src, Buffer dst, long off) { time("memory: write/read", 0, () -> inner.writeInts(src, dst, off)); }
    @Override public void fill(Buffer dst, long off, long len, float v) { time("memory: fill", 0, () -> inner.fill(dst, off, len, v)); }
    @Override public void copy(Buffer s, long so, Buffer d, long dOff, long len) { time("memory: copy", 0, () -> inner.copy(s, so, d, dOff, len)); }

    @Override public void gemm(Gemm g, Buffer a, Buffer b, Buffer c) {
        String family = gemmShapes ? String.format("gemm %dx%dx%d%s%s", g.m(), g.n(), g.k(), g.transA() ? " tA" : "", g.transB() ? " tB" : "")
                : "gemm";
        time(family, g.flops(), () -> inner.gemm(g, a, b, c));
    }
    @Override public void unary(Unary op, long n, Buffer x, Buffer y) { time("unary " + op, 0, () -> inner.unary(op, n, x, y)); }
    @Override public void unaryBackward(Unary op, long n, Buffer x, Buffer y, Buffer dy, Buffer dx) {
        time("unary " + op + " backward", 0, () -> inner.unaryBackward(op, n, x, y, dy, dx));
    }
    @Override public void binary(Binary op, Broadcast s, Buffer a, Buffer b, Buffer out) { time("binary " + op, 0, () -> inner.binary(op, s, a, b, out)); }
    @Override public void sumInto(Broadcast s, Buffer src, Buffer dst) { time("sumInto", 0, () -> inner.sumInto(s, src, dst)); }
    @Override public void scale(long n, float f, Buffer x) { time("scale", 0, () -> inner.scale(n, f, x)); }
    @Override public double sumOfSquares(long n, Buffer x) { return time("sumOfSquares", () -> inner.sumOfSquares(n, x)); }

    @Override public void conv2d(ConvGeometry g, Buffer x, Buffer w, Buffer y) { time("conv2d", g.forwardFlops(), () -> inner.conv2d(g, x, w, y)); }
    @Override public void conv2dBackward(ConvGeometry g, Buffer x, Buffer w, Buffer dy, Buffer dx, Buffer dw) {
        double flops = (dx != null ? g.forwardFlops() : 0) + (dw != null ? g.forwardFlops() : 0);
        time("conv2d backward", flops, () -> inner.conv2dBackward(g, x, w, dy, dx, dw));
    }
    @Override public void pool2d(PoolGeometry g, Buffer x, Buffer y) { time("pool " + g.kind(), 0, () -> inner.pool2d(g, x, y)); }
    @Override public void pool2dBackward(PoolGeometry g, Buffer x, Buffer y, Buffer dy, Buffer dx) {
        time("pool " + g.kind() + " backward", 0, () -> inner.pool2dBackward(g, x, y, dy, dx));
    }
    @Override public void batchNorm(BatchNormSpec s, Buffer x, Buffer gamma, Buffer beta, Buffer rm, Buffer rv, Buffer sm, Buffer si, Buffer y) {
        time("batchNorm", 0, () -> inner.batchNorm(s, x, gamma, beta, rm, rv, sm, si, y));
    }
    @Override public void batchNormBackward(BatchNormSpec s, Buffer x, Buffer gamma, Buffer sm, Buffer si, Buffer dy, Buffer dx, Buffer dg, Buffer db) {
        time("batchNorm backward", 0, () -> inner.batchNormBackward(s, x, gamma, sm, si, dy, dx, dg, db));
    }
    @Override public void padConcat(JoinGeometry j, Buffer[] in, Buffer out) { time("padConcat", 0, () -> inner.padConcat(j, in, out)); }
    @Override public void padConcatBackward(JoinGeometry j, Buffer dOut, Buffer[] dIn) { time("padConcat backward", 0, () -> inner.padConcatBackward(j, dOut, dIn)); }

    @Override public void logSoftmax(int r, int c, Buffer x, Buffer y) { time("softmax/CE", 0, () -> inner.logSoftmax(r, c, x, y)); }
    @Override public void logSoftmaxBackward(int r, int c, Buffer y, Buffer dy, Buffer dx) { time("softmax/CE backward", 0, () -> inner.logSoftmaxBackward(r, c, y, dy, dx)); }
    @Override public void softmaxCrossEntropy(int r, int c, Buffer l, Buffer lb, Buffer p, Buffer loss) { time("softmax/CE", 0, () -> inner.softmaxCrossEntropy(r, c, l, lb, p, loss)); }
    @Override public void softmaxCrossEntropyBackward(int r, int c, Buffer p, Buffer lb, Buffer dl, Buffer dlog) {
        time("softmax/CE backward", 0, () -> inner.softmaxCrossEntropyBackward(r, c, p, lb, dl, dlog));
    }
    @Override public void gatherRows(int n, int w, Buffer t, Buffer ids, Buffer out) { time("gatherRows", 0, () -> inner.gatherRows(n, w, t, ids, out)); }
    @Override public void gatherRowsBackward(int n, int w, Buffer d, Buffer ids, Buffer dt) { time("gatherRows backward", 0, () -> inner.gatherRowsBackward(n, w, d, ids, dt)); }
    @Override public void dropoutMask(long n, float keep, long seed, Buffer m) { time("dropoutMask", 0, () -> inner.dropoutMask(n, keep, seed, m)); }
    @Override public void lstmCell(int n, int h, Buffer g, Buffer cp, Buffer c, Buffer hh) { time("lstmCell", 0, () -> inner.lstmCell(n, h, g, cp, c, hh)); }
    @Override public void lstmCellBackward(int n, int h, Buffer g, Buffer cp, Buffer c, Buffer dh, Buffer dc, Buffer dg, Buffer dcp) {
        time("lstmCell backward", 0, () -> inner.lstmCellBackward(n, h, g, cp, c, dh, dc, dg, dcp));
    }
    @Override public void sgdStep(long n, SgdConfig cfg, float lr, Buffer p, Buffer g, Buffer v) { time("sgdStep", 0, () -> inner.sgdStep(n, cfg, lr, p, g, v)); }
    @Override public void adamStep(long n, AdamConfig cfg, float lr, int step, Buffer p, Buffer g, Buffer m, Buffer v) {
        time("adamStep", 0, () -> inner.adamStep(n, cfg, lr, step, p, g, m, v));
    }

    @Override public void close() { inner.close(); }
}
