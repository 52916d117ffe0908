package org.nasengine.backend.cpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
 * The CPU backend: libnasengine.so (OpenBLAS sgemm + OpenMP kernels) called through the FFM API.
 * Buffers are off-heap, 64-byte aligned, recycled through a {@link BufferPool}. Semantics are
 * those of the reference {@code JavaBackend}; the op families live in {@link DenseFamily},
 * {@link ConvFamily} and {@link RowFamily}. Check {@link #isAvailable()} first: without the library (or OpenBLAS) the
 * constructor throws with {@link #unavailableReason()}.
 */
public final class NativeBackend implements Backend {
    private final BufferPool<NativeBuffer> pool = new BufferPool<>(this::fresh, NativeBackend::free);
    final OpChecks<NativeBuffer> checks =
            new OpChecks<>("this native backend", NativeBuffer.class, b -> b.owner == this, b -> b.live);
    /** Conv scratch (column buffers, per-thread dw sums); one conv at a time uses it. */
    final MemorySegment workspace;
    final Object workspaceLock = new Object();
    private volatile boolean closed;

    public NativeBackend() {
        if (!isAvailable()) throw new IllegalStateException("native backend unavailable: " + unavailableReason());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            NativeArgs.check("NativeBackend", (int) NativeCalls.WS_CREATE.invokeExact(out), "workspace");
            workspace = out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_workspace_create", t);
        }
    }

    /** True when libnasengine.so and its dependencies (OpenBLAS, libgomp) loaded. */
    public static boolean isAvailable() {
        return NativeLibrary.available();
    }

    /** Why the backend is unavailable ("libopenblas.so.0 not found ..."), or null when it is available. */
    public static String unavailableReason() {
        return NativeLibrary.reason();
    }

    /** OpenBLAS configuration, core and thread counts, as the library reports them. */
    public static String blasInfo() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(512);
            int len = (int) NativeCalls.BLAS_INFO.invokeExact(buf, 512);
            return len < 0 ? "?" : buf.getString(0);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_blas_info", t);
        }
    }

    /** Threads of every native parallel region (process-wide). */
    public static void setThreads(int threads) {
        OpChecks.positive("setThreads", "threads", threads);
        try {
            NativeCalls.SET_THREADS.invokeExact(threads);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_set_threads", t);
        }
    }

    public static int threads() {
        try {
            return (int) NativeCalls.GET_THREADS.invokeExact();
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_get_threads", t);
        }
    }

    /**
     * Deterministic mode (process-wide, off by default): every sum in an order fixed by the thread
     * count alone, so runs with the same inputs and thread count agree to the bit. Off, the weight
     * gradient of a convolution sums per-thread partials over images handed out dynamically (a
     * thread the OS preempts does not hold the others up), and its last bits vary run to run.
     */
    public static void setDeterministic(boolean on) {
        try {
            NativeCalls.SET_DETERMINISTIC.invokeExact(on ? 1 : 0);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_set_deterministic", t);
        }
    }

    public static boolean deterministic() {
        try {
            return (int) NativeCalls.GET_DETERMINISTIC.invokeExact() != 0;
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_get_deterministic", t);
        }
    }

    /** Bytes of conv scratch this backend holds (grown to the largest layer seen, then reused). */
    public long workspaceBytes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            synchronized (workspaceLock) {
                NativeCalls.WS_BYTES.invokeExact(workspace, out);
            }
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_workspace_bytes", t);
        }
    }

    @Override
    public String name() {
        return "cpu";
    }

    // ---- memory ----

    private NativeBuffer fresh(long capacity) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            int rc = (int) NativeCalls.ALLOC.invokeExact(capacity * 4, out);
            if (rc != 0) throw new OutOfMemoryError("allocate: native allocation of " + capacity * 4 + " bytes failed");
            return new NativeBuffer(this, out.get(ADDRESS, 0).reinterpret(capacity * 4), capacity);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_alloc", t);
        }
    }

    private static void free(NativeBuffer b) {
        try {
            NativeCalls.FREE.invokeExact(b.segment);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_free", t);
        }
    }

    @Override
    public Buffer allocate(long length) {
        if (closed) throw new IllegalStateException("allocate: the cpu backend is closed");
        OpChecks.nonNegative("allocate", "length", length);
        NativeBuffer b = pool.take(length);
        b.live = true;
        fillRaw(b.segment, b.length(), 0f);   // a reused buffer still holds its last owner's values
        return b;
    }

    @Override
    public void release(Buffer buffer) {
        NativeArgs.need(this, "release", "buffer", buffer, 0);   // ours and live: a double release fails here
        NativeBuffer b = (NativeBuffer) buffer;
        b.live = false;
        if (closed) free(b);
        else pool.give(b);
    }

    @Override
    public PoolStats poolStats() {
        return pool.stats();
    }

    @Override
    public void write(float[] src, Buffer dst, long dstOffset) {
        MemorySegment d = NativeArgs.range(this, "write", "dst", dst, dstOffset, src.length);
        MemorySegment.copy(src, 0, d, JAVA_FLOAT, dstOffset * 4, src.length);
    }

    @Override
    public void read(Buffer src, long srcOffset, float[] dst) {
        MemorySegment s = NativeArgs.range(this, "read", "src", src, srcOffset, dst.length);
        MemorySegment.copy(s, JAVA_FLOAT, srcOffset * 4, dst, 0, dst.length);
    }

    @Override
    public void writeInts(int[] src, Buffer dst, long dstOffset) {
        MemorySegment d = NativeArgs.range(this, "writeInts", "dst", dst, dstOffset, src.length);
        MemorySegment.copy(src, 0, d, JAVA_INT, dstOffset * 4, src.length);
    }

    /** Reads int32 values (ids, labels) back; not part of {@link Backend}, used by tests. */
    public void readInts(Buffer src, long srcOffset, int[] dst) {
        MemorySegment s = NativeArgs.range(this, "readInts", "src", src, srcOffset, dst.length);
        MemorySegment.copy(s, JAVA_INT, srcOffset * 4, dst, 0, dst.length);
    }

    @Override
    public void fill(Buffer dst, long offset, long length, float value) {
        MemorySegment d = NativeArgs.range(this, "fill", "dst", dst, offset, length);
        fillRaw(d.asSlice(offset * 4), length, value);
    }

    private static void fillRaw(MemorySegment s, long length, float value) {
        try {
            NativeCalls.FILL.invokeExact(length, value, s);
        } catch (Throwable t) {
            throw NativeCalls.fail("nas_fill", t);
        }
    }

    @Override
    public void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long length) {
        MemorySegment s = NativeArgs.range(this, "copy", "src", src, srcOffset, length);
        MemorySegment d = NativeArgs.range(this, "copy", "dst", dst, dstOffset, length);
        MemorySegment.copy(s, srcOffset * 4, d, dstOffset * 4, length * 4);   // memmove: overlap-safe
    }

    // ---- dense algebra: DenseFamily ----

    @Override
    public void gemm(Gemm g, Buffer a, Buffer b, Buffer c) {
        DenseFamily.gemm(this, g, a, b, c);
    }

    @Override
    public void unary(Unary op, long n, Buffer x, Buffer y) {
        DenseFamily.unary(this, op, n, x, y);
    }

    @Override
    public void unaryBackward(Unary op, long n, Buffer x, Buffer y, Buffer dy, Buffer dx) {
        DenseFamily.unaryBackward(this, op, n, x, y, dy, dx);
    }

    @Override
    public void binary(Binary op, Broadcast shape, Buffer a, Buffer b, Buffer out) {
        DenseFamily.binary(this, op, shape, a, b, out);
    }

    @Override
    public void sumInto(Broadcast shape, Buffer src, Buffer dst) {
        DenseFamily.sumInto(this, shape, src, dst);
    }

    @Override
    public void scale(long n, float factor, Buffer x) {
        DenseFamily.scale(this, n, factor, x);
    }

    @Override
    public double sumOfSquares(long n, Buffer x) {
        return DenseFamily.sumOfSquares(this, n, x);
    }

    // ---- convolution family: ConvFamily ----

    @Override
    public void conv2d(ConvGeometry g, Buffer x, Buffer w, Buffer y) {
        ConvFamily.conv2d(this, g, x, w, y);
    }

    @Override
    public void conv2dBackward(ConvGeometry g, Buffer x, Buffer w, Buffer dy, Buffer dx, Buffer dw) {
        ConvFamily.conv2dBackward(this, g, x, w, dy, dx, dw);
    }

    @Override
    public void pool2d(PoolGeometry g, Buffer x, Buffer y) {
        ConvFamily.pool2d(this, g, x, y);
    }

    @Override
    public void pool2dBackward(PoolGeometry g, Buffer x, Buffer y, Buffer dy, Buffer dx) {
        ConvFamily.pool2dBackward(this, g, x, y, dy, dx);
    }

    @Override
    public void batchNorm(BatchNormSpec s, Buffer x, Buffer gamma, Buffer beta, Buffer runningMean,
                          Buffer runningVar, Buffer savedMean, Buffer savedInvStd, Buffer y) {
        ConvFamily.batchNorm(this, s, x, gamma, beta, runningMean, runningVar, savedMean, savedInvStd, y);
    }

    @Override
    public void batchNormBackward(BatchNormSpec s, Buffer x, Buffer gamma, Buffer savedMean, Buffer savedInvStd,
                                  Buffer dy, Buffer dx, Buffer dGamma, Buffer dBeta) {
        ConvFamily.batchNormBackward(this, s, x, gamma, savedMean, savedInvStd, dy, dx, dGamma, dBeta);
    }

    @Override
    public void padConcat(JoinGeometry j, Buffer[] inputs, Buffer out) {
        ConvFamily.padConcat(this, j, inputs, out);
    }

    @Override
    public void padConcatBackward(JoinGeometry j, Buffer dOut, Buffer[] dInputs) {
        ConvFamily.padConcatBackward(this, j, dOut, dInputs);
    }

    // ---- rows and optimizers: RowFamily ----

    @Override
    public void logSoftmax(int rows, int cols, Buffer x, Buffer y) {
        RowFamily.logSoftmax(this, rows, cols, x, y);
    }

    @Override
    public void logSoftmaxBackward(int rows, int cols, Buffer y, Buffer dy, Buffer dx) {
        RowFamily.logSoftmaxBackward(this, rows, cols, y, dy, dx);
    }

    @Override
    public void softmaxCrossEntropy(int rows, int cols, Buffer logits, Buffer labels, Buffer probs, Buffer loss) {
        RowFamily.softmaxCrossEntropy(this, rows, cols, logits, labels, probs, loss);
    }

    @Override
    public void softmaxCrossEntropyBackward(int rows, int cols, Buffer probs, Buffer labels, Buffer dLoss, Buffer dLogits) {
        RowFamily.softmaxCrossEntropyBackward(this, rows, cols, probs, labels, dLoss, dLogits);
    }

    @Override
    public void gatherRows(int count, int width, Buffer table, Buffer ids, Buffer out) {
        RowFamily.gatherRows(this, count, width, table, ids, out);
    }

    @Override
    public void gatherRowsBackward(int count, int width, Buffer dOut, Buffer ids, Buffer dTable) {
        RowFamily.gatherRowsBackward(this, count, width, dOut, ids, dTable);
    }

    @Override
    public void dropoutMask(long n, float keep, long seed, Buffer mask) {
        RowFamily.dropoutMask(this, n, keep, seed, mask);
    }

    @Override
    public void lstmCell(int n, int hidden, Buffer gates, Buffer cPrev, Buffer c, Buffer h) {
        RowFamily.lstmCell(this, n, hidden, gates, cPrev, c, h);
    }

    @Override
    public void lstmCellBackward(int n, int hidden, Buffer gates, Buffer cPrev, Buffer c, Buffer dh, Buffer dc,
                                 Buffer dGates, Buffer dcPrev) {
        RowFamily.lstmCellBackward(this, n, hidden, gates, cPrev, c, dh, dc, dGates, dcPrev);
    }

    @Override
    public void sgdStep(long n, SgdConfig cfg, float lr, Buffer param, Buffer grad, Buffer velocity) {
        RowFamily.sgdStep(this, n, cfg, lr, param, grad, velocity);
    }

    @Override
    public void adamStep(long n, AdamConfig cfg, float lr, int step, Buffer param, Buffer grad, Buffer m, Buffer v) {
        RowFamily.adamStep(this, n, cfg, lr, step, param, grad, m, v);
    }

    /** Frees the pooled buffers and the conv scratch; buffers still out are freed when released. */
    @Override
    public void close() {
        synchronized (workspaceLock) {
            if (closed) return;
            closed = true;
            pool.drain();
            try {
                NativeCalls.WS_DESTROY.invokeExact(workspace);
            } catch (Throwable t) {
                throw NativeCalls.fail("nas_workspace_destroy", t);
            }
        }
    }

    boolean closed() {
        return closed;
    }
}
