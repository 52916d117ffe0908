package org.nasengine.backend.ref;

import java.util.Arrays;
import org.nasengine.backend.AdamConfig;
import org.nasengine.backend.Backend;
import org.nasengine.backend.BatchNormSpec;
import org.nasengine.backend.Binary;
import org.nasengine.backend.Broadcast;
import org.nasengine.backend.Buffer;
import org.nasengine.backend.BufferPool;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.backend.Gemm;
import org.nasengine.backend.JoinGeometry;
import org.nasengine.backend.OpChecks;
import org.nasengine.backend.PoolGeometry;
import org.nasengine.backend.PoolStats;
import org.nasengine.backend.SgdConfig;
import org.nasengine.backend.Unary;

/**
 * The REFERENCE backend: pure Java, plain loops, no tricks, clarity over speed. It defines the
 * meaning of every {@link Backend} method; the C and CUDA backends are tested against it.
 * Storage is {@code double[]} and all arithmetic is in double, so finite-difference gradient
 * checks can run through {@link #writeDoubles} and {@link #readDoubles} without float round-off;
 * {@link #write}/{@link #read} widen and narrow float32 at the boundary. The op families live in
 * package-private classes beside this one (DenseOps, ConvOps, NormJoinOps, RowOps, OptimOps),
 * each checking its buffers on entry (ownership, not released, long enough for the geometry).
 */
public final class JavaBackend implements Backend {
    private final BufferPool<HostBuffer> pool =
            new BufferPool<>(capacity -> new HostBuffer(capacityOf(capacity)), buffer -> buffer.live = false);
    private boolean closed;

    @Override
    public String name() {
        return "java";
    }

    // ---- memory ----

    @Override
    public Buffer allocate(long length) {
        if (closed) throw new IllegalStateException("allocate: the java backend is closed");
        OpChecks.nonNegative("allocate", "length", length);
        HostBuffer b = pool.take(length);
        Arrays.fill(b.data, 0.0);   // a reused buffer still holds its last owner's values
        b.live = true;
        return b;
    }

    @Override
    public void release(Buffer buffer) {
        Args.need("release", "buffer", buffer, 0);   // ours and live: a double release fails here
        HostBuffer b = (HostBuffer) buffer;
        b.live = false;
        if (!closed) pool.give(b);   // after close the pool stays empty; the array goes to the GC
    }

    @Override
    public PoolStats poolStats() {
        return pool.stats();
    }

    @Override
    public void write(float[] src, Buffer dst, long dstOffset) {
        double[] d = Args.range("write", "dst", dst, dstOffset, src.length);
        for (int i = 0; i < src.length; i++) d[(int) dstOffset + i] = src[i];
    }

    @Override
    public void read(Buffer src, long srcOffset, float[] dst) {
        double[] s = Args.range("read", "src", src, srcOffset, dst.length);
        for (int i = 0; i < dst.length; i++) dst[i] = (float) s[(int) srcOffset + i];
    }

    @Override
    public void writeInts(int[] src, Buffer dst, long dstOffset) {
        double[] d = Args.range("writeInts", "dst", dst, dstOffset, src.length);
        for (int i = 0; i < src.length; i++) d[(int) dstOffset + i] = src[i];   // exact: |int| < 2^53
    }

    /** Reference-only: writes doubles without rounding to float (for gradient checks). */
    public void writeDoubles(double[] src, Buffer dst, long dstOffset) {
        double[] d = Args.range("writeDoubles", "dst", dst, dstOffset, src.length);
        System.arraycopy(src, 0, d, (int) dstOffset, src.length);
    }

    /** Reference-only: reads doubles without rounding to float (for gradient checks). */
    public void readDoubles(Buffer src, long srcOffset, double[] dst) {
        double[] s = Args.range("readDoubles", "src", src, srcOffset, dst.length);
        System.arraycopy(s, (int) srcOffset, dst, 0, dst.length);
    }

    @Override
    public void fill(Buffer dst, long offset, long length, float value) {
        double[] d = Args.range("fill", "dst", dst, offset, length);
        Arrays.fill(d, (int) offset, (int) (offset + length), value);
    }

    @Override
    public void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long length) {
        double[] s = Args.range("copy", "src", src, srcOffset, length);
        double[] d = Args.range("copy", "dst", dst, dstOffset, length);
        System.arraycopy(s, (int) srcOffset, d, (int) dstOffset, (int) length);   // overlap-safe
    }

    private static int capacityOf(long capacity) {
        if (capacity > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("allocate: capacity (" + capacity + ") exceeds a Java array");
        return (int) capacity;
    }

    // ---- dense algebra ----

    @Override
    public void gemm(Gemm g, Buffer a, Buffer b, Buffer c) {
        DenseOps.gemm(g, a, b, c);
    }

    @Override
    public void unary(Unary op, long n, Buffer x, Buffer y) {
        DenseOps.unary(op, n, x, y);
    }

    @Override
    public void unaryBackward(Unary op, long n, Buffer x, Buffer y, Buffer dy, Buffer dx) {
        DenseOps.unaryBackward(op, n, x, y, dy, dx);
    }

    @Override
    public void binary(Binary op, Broadcast shape, Buffer a, Buffer b, Buffer out) {
        DenseOps.binary(op, shape, a, b, out);
    }

    @Override
    public void sumInto(Broadcast shape, Buffer src, Buffer dst) {
        DenseOps.sumInto(shape, src, dst);
    }

    @Override
    public void scale(long n, float factor, Buffer x) {
        DenseOps.scale(n, factor, x);
    }

    @Override
    public double sumOfSquares(long n, Buffer x) {
        return DenseOps.sumOfSquares(n, x);
    }

    // ---- convolution family ----

    @Override
    public void conv2d(ConvGeometry g, Buffer x, Buffer w, Buffer y) {
        ConvOps.conv2d(g, x, w, y);
    }

    @Override
    public void conv2dBackward(ConvGeometry g, Buffer x, Buffer w, Buffer dy, Buffer dx, Buffer dw) {
        ConvOps.conv2dBackward(g, x, w, dy, dx, dw);
    }

    @Override
    public void pool2d(PoolGeometry g, Buffer x, Buffer y) {
        ConvOps.pool2d(g, x, y);
    }

    @Override
    public void pool2dBackward(PoolGeometry g, Buffer x, Buffer y, Buffer dy, Buffer dx) {
        ConvOps.pool2dBackward(g, x, y, dy, dx);
    }

    @Override
    public void batchNorm(BatchNormSpec s, Buffer x, Buffer gamma, Buffer beta, Buffer runningMean,
                          Buffer runningVar, Buffer savedMean, Buffer savedInvStd, Buffer y) {
        NormJoinOps.batchNorm(s, x, gamma, beta, runningMean, runningVar, savedMean, savedInvStd, y);
    }

    @Override
    public void batchNormBackward(BatchNormSpec s, Buffer x, Buffer gamma, Buffer savedMean, Buffer savedInvStd,
                                  Buffer dy, Buffer dx, Buffer dGamma, Buffer dBeta) {
        NormJoinOps.batchNormBackward(s, x, gamma, savedMean, savedInvStd, dy, dx, dGamma, dBeta);
    }

    @Override
    public void padConcat(JoinGeometry j, Buffer[] inputs, Buffer out) {
        NormJoinOps.padConcat(j, inputs, out);
    }

    @Override
    public void padConcatBackward(JoinGeometry j, Buffer dOut, Buffer[] dInputs) {
        NormJoinOps.padConcatBackward(j, dOut, dInputs);
    }

    // ---- rows ----

    @Override
    public void logSoftmax(int rows, int cols, Buffer x, Buffer y) {
        RowOps.logSoftmax(rows, cols, x, y);
    }

    @Override
    public void logSoftmaxBackward(int rows, int cols, Buffer y, Buffer dy, Buffer dx) {
        RowOps.logSoftmaxBackward(rows, cols, y, dy, dx);
    }

    @Override
    public void softmaxCrossEntropy(int rows, int cols, Buffer logits, Buffer labels, Buffer probs, Buffer loss) {
        RowOps.softmaxCrossEntropy(rows, cols, logits, labels, probs, loss);
    }

    @Override
    public void softmaxCrossEntropyBackward(int rows, int cols, Buffer probs, Buffer labels, Buffer dLoss, Buffer dLogits) {
        RowOps.softmaxCrossEntropyBackward(rows, cols, probs, labels, dLoss, dLogits);
    }

    @Override
    public void gatherRows(int count, int width, Buffer table, Buffer ids, Buffer out) {
        RowOps.gatherRows(count, width, table, ids, out);
    }

    @Override
    public void gatherRowsBackward(int count, int width, Buffer dOut, Buffer ids, Buffer dTable) {
        RowOps.gatherRowsBackward(count, width, dOut, ids, dTable);
    }

    @Override
    public void dropoutMask(long n, float keep, long seed, Buffer mask) {
        RowOps.dropoutMask(n, keep, seed, mask);
    }

    @Override
    public void lstmCell(int n, int hidden, Buffer gates, Buffer cPrev, Buffer c, Buffer h) {
        RowOps.lstmCell(n, hidden, gates, cPrev, c, h);
    }

    @Override
    public void lstmCellBackward(int n, int hidden, Buffer gates, Buffer cPrev, Buffer c, Buffer dh, Buffer dc,
                                 Buffer dGates, Buffer dcPrev) {
        RowOps.lstmCellBackward(n, hidden, gates, cPrev, c, dh, dc, dGates, dcPrev);
    }

    // ---- optimizers ----

    @Override
    public void sgdStep(long n, SgdConfig cfg, float lr, Buffer param, Buffer grad, Buffer velocity) {
        OptimOps.sgdStep(n, cfg, lr, param, grad, velocity);
    }

    @Override
    public void adamStep(long n, AdamConfig cfg, float lr, int step, Buffer param, Buffer grad, Buffer m, Buffer v) {
        OptimOps.adamStep(n, cfg, lr, step, param, grad, m, v);
    }

    /** Drops the pooled buffers; buffers still out stay usable until released, then they are dropped too. */
    @Override
    public void close() {
        closed = true;
        pool.drain();
    }
}
