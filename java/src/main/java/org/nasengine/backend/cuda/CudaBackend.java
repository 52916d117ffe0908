package org.nasengine.backend.cuda;

import static org.nasengine.backend.OpChecks.nonNegative;
import static org.nasengine.backend.OpChecks.positive;
import static org.nasengine.backend.cuda.CudaChecks.need;

import java.util.function.Function;
import java.util.function.Supplier;
import jcuda.CudaException;
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
 * The CUDA backend over JCuda's driver API: our kernels (kernels/*.cu, one fatbin in the jar),
 * GEMM through cuBLAS 12 or our own kernel, all work queued on one stream. Only {@link #read}
 * (and {@link #sumOfSquares}) wait for the device. Semantics are the reference backend's
 * (org.nasengine.backend.ref.JavaBackend); the conformance suite checks them op by op.
 * Not thread-safe: one backend serves one thread at a time (any thread; the context follows).
 * Failures are {@link CudaOpException}s naming the op, its shapes and the device.
 */
public final class CudaBackend implements Backend {
    /** -Dnasengine.cuda.sync=true: wait after every op, so an asynchronous fault names its own op. */
    private static final boolean SYNC_EACH_OP = Boolean.getBoolean("nasengine.cuda.sync");

    private final DeviceApi device;
    private final CudaMemory memory;
    private final GemmEngine gemm;
    private final CudaDenseOps denseOps;
    private final CudaConvOps convOps;
    private boolean closed;

    /** Device 0, cuBLAS when it loads. */
    public CudaBackend() {
        this(0, GemmPath.AUTO);
    }

    /**
     * Opens the backend on device {@code ordinal}. {@link GemmPath#CUBLAS} fails when
     * libcublas.so.12 does not load; {@link GemmPath#AUTO} falls back to our kernel and logs why.
     */
    public CudaBackend(int ordinal, GemmPath gemmPath) {
        this(openDevice(ordinal), gemmPath);
    }

    private static CudaDevice openDevice(int ordinal) {
        String reason = unavailableReason();
        if (reason != null) throw new IllegalStateException("cuda backend unavailable: " + reason);
        try {
            return new CudaDevice(ordinal);
        } catch (CudaException e) {
            throw new CudaOpException("cuda: opening device " + ordinal + " (context, stream, kernel module) failed: "
                    + e.getMessage(), e);
        }
    }

    /** The backend on any implementation of the driver operations (the tests' kernel emulator among them). */
    CudaBackend(DeviceApi dev, GemmPath gemmPath) {
        this(dev, d -> GemmChoice.open(d, gemmPath));
    }

    /** The backend with the GEMM that {@code gemmOpener} makes on the device (a seam for the tests). */
    CudaBackend(DeviceApi dev, Function<DeviceApi, GemmEngine> gemmOpener) {
        CudaMemory mem = null;
        try {
            mem = new CudaMemory(dev);
            this.gemm = gemmOpener.apply(dev);
        } catch (RuntimeException | LinkageError e) {
            if (mem != null) mem.close();
            dev.close();
            if (e instanceof CudaException ce)
                throw new CudaOpException("cuda: setting up memory and GEMM on " + dev.describe() + " failed: "
                        + ce.getMessage(), ce);
            throw e;
        }
        this.device = dev;
        this.memory = mem;
        this.denseOps = new CudaDenseOps(this, dev, mem, gemm);
        this.convOps = new CudaConvOps(this, dev, mem, gemm);
    }

    /** True when a backend can open on device 0: driver, device, compute capability 8.0+, kernels. Never throws. */
    public static boolean isAvailable() {
        return unavailableReason() == null;
    }

    /** Why no backend can open here (e.g. "no CUDA driver (libcuda.so.1 not found)"), or null if one can. Never throws. */
    public static String unavailableReason() {
        try {
            return CudaProbe.deviceUnavailableReason();
        } catch (Throwable t) {   // the promise is not to throw, whatever JCuda does
            return "CUDA probe failed: " + t;
        }
    }

    /** CUDA devices a backend can open on (cuda:0 to cuda:N-1); 0 where {@link #isAvailable()} is false. Never throws. */
    public static int deviceCount() {
        try {
            return CudaProbe.deviceCount();
        } catch (Throwable t) {
            return 0;
        }
    }

    /** Why cuBLAS (libcublas.so.12, through JCublas2) cannot be used here, or null if it can. Never throws. */
    public static String cublasUnavailableReason() {
        try {
            return CudaProbe.cublasUnavailableReason();
        } catch (Throwable t) {
            return "cuBLAS probe failed: " + t;
        }
    }

    /** The GEMM in use: {@link GemmPath#CUBLAS} or {@link GemmPath#KERNEL}. */
    public GemmPath gemmPath() {
        return gemm.path();
    }

    /** "device 0 (NVIDIA H100 80GB HBM3, sm_90)". */
    public String deviceDescription() {
        return device.describe();
    }

    @Override
    public String name() {
        return "cuda";
    }

    /** Runs one op with its context current, turning CUDA failures into messages with op, shapes and device. */
    private void run(String op, Supplier<String> shapes, Runnable body) {
        try {
            device.makeCurrent();
            body.run();
            if (SYNC_EACH_OP) device.synchronize();
        } catch (CudaException e) {
            throw new CudaOpException("cuda " + op + " failed on " + device.describe() + " [" + shapes.get() + "]: "
                    + e.getMessage(), e);
        }
    }

    // ---- memory ----

    @Override
    public Buffer allocate(long length) {
        nonNegative("allocate", "length", length);
        CudaBuffer[] out = new CudaBuffer[1];
        run("allocate", () -> "length=" + length, () -> out[0] = memory.allocate(length));
        return out[0];
    }

    @Override
    public void release(Buffer buffer) {
        if (closed) return;   // close already freed every buffer
        CudaBuffer b = need(memory, "release", "buffer", buffer, 0);   // ours and live: a double release fails
        run("release", () -> "length=" + b.capacity, () -> memory.release(b));
    }

    @Override
    public PoolStats poolStats() {
        return memory.stats();
    }

    /** Waits for the queue, then frees the pool's cached buffers on the device (buffers out stay). */
    @Override
    public void releaseCached() {
        if (closed) return;
        run("releaseCached", () -> memory.stats().toString(), memory::trim);
    }

    @Override
    public void write(float[] src, Buffer dst, long dstOffset) {
        CudaBuffer d = CudaChecks.range(memory, "write", "dst", dst, dstOffset, src.length);
        run("write", () -> src.length + " floats at " + dstOffset, () -> memory.write(src, d, dstOffset));
    }

    @Override
    public void read(Buffer src, long srcOffset, float[] dst) {
        CudaBuffer s = CudaChecks.range(memory, "read", "src", src, srcOffset, dst.length);
        run("read", () -> dst.length + " floats at " + srcOffset, () -> memory.read(s, srcOffset, dst));
    }

    @Override
    public void writeInts(int[] src, Buffer dst, long dstOffset) {
        CudaBuffer d = CudaChecks.range(memory, "writeInts", "dst", dst, dstOffset, src.length);
        run("writeInts", () -> src.length + " ints at " + dstOffset, () -> memory.writeInts(src, d, dstOffset));
    }

    @Override
    public void fill(Buffer dst, long offset, long length, float value) {
        CudaBuffer d = CudaChecks.range(memory, "fill", "dst", dst, offset, length);
        run("fill", () -> length + " at " + offset, () -> device.launch1d(Kernel.FILL, length, length, value, d.at(offset)));
    }

    @Override
    public void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long length) {
        CudaBuffer s = CudaChecks.range(memory, "copy", "src", src, srcOffset, length);
        CudaBuffer d = CudaChecks.range(memory, "copy", "dst", dst, dstOffset, length);
        run("copy", () -> length + " from " + srcOffset + " to " + dstOffset,
                () -> memory.copy(s, srcOffset, d, dstOffset, length));
    }

    // ---- dense algebra ----

    @Override
    public void gemm(Gemm g, Buffer a, Buffer b, Buffer c) {
        denseOps.gemm(g, a, b, c);
    }

    @Override
    public void unary(Unary op, long n, Buffer x, Buffer y) {
        denseOps.unary(op, n, x, y);
    }

    @Override
    public void unaryBackward(Unary op, long n, Buffer x, Buffer y, Buffer dy, Buffer dx) {
        denseOps.unaryBackward(op, n, x, y, dy, dx);
    }

    @Override
    public void binary(Binary op, Broadcast shape, Buffer a, Buffer b, Buffer out) {
        denseOps.binary(op, shape, a, b, out);
    }

    @Override
    public void sumInto(Broadcast shape, Buffer src, Buffer dst) {
        denseOps.sumInto(shape, src, dst);
    }

    @Override
    public void scale(long n, float factor, Buffer x) {
        denseOps.scale(n, factor, x);
    }

    @Override
    public double sumOfSquares(long n, Buffer x) {
        return denseOps.sumOfSquares(n, x);
    }

    // ---- convolution family ----

    @Override
    public void conv2d(ConvGeometry g, Buffer x, Buffer w, Buffer y) {
        convOps.conv2d(g, x, w, y);
    }

    @Override
    public void conv2dBackward(ConvGeometry g, Buffer x, Buffer w, Buffer dy, Buffer dx, Buffer dw) {
        convOps.conv2dBackward(g, x, w, dy, dx, dw);
    }

    @Override
    public void pool2d(PoolGeometry g, Buffer x, Buffer y) {
        convOps.pool2d(g, x, y);
    }

    @Override
    public void pool2dBackward(PoolGeometry g, Buffer x, Buffer y, Buffer dy, Buffer dx) {
        convOps.pool2dBackward(g, x, y, dy, dx);
    }

    @Override
    public void batchNorm(BatchNormSpec s, Buffer x, Buffer gamma, Buffer beta, Buffer runningMean,
                          Buffer runningVar, Buffer savedMean, Buffer savedInvStd, Buffer y) {
        convOps.batchNorm(s, x, gamma, beta, runningMean, runningVar, savedMean, savedInvStd, y);
    }

    @Override
    public void batchNormBackward(BatchNormSpec s, Buffer x, Buffer gamma, Buffer savedMean, Buffer savedInvStd,
                                  Buffer dy, Buffer dx, Buffer dGamma, Buffer dBeta) {
        convOps.batchNormBackward(s, x, gamma, savedMean, savedInvStd, dy, dx, dGamma, dBeta);
    }

    @Override
    public void padConcat(JoinGeometry j, Buffer[] inputs, Buffer out) {
        convOps.padConcat(j, inputs, out);
    }

    @Override
    public void padConcatBackward(JoinGeometry j, Buffer dOut, Buffer[] dInputs) {
        convOps.padConcatBackward(j, dOut, dInputs);
    }

    // ---- rows ----

    @Override
    public void logSoftmax(int rows, int cols, Buffer x, Buffer y) {
        CudaRows.logSoftmax(this, rows, cols, x, y);
    }

    @Override
    public void logSoftmaxBackward(int rows, int cols, Buffer y, Buffer dy, Buffer dx) {
        CudaRows.logSoftmaxBackward(this, rows, cols, y, dy, dx);
    }

    @Override
    public void softmaxCrossEntropy(int rows, int cols, Buffer logits, Buffer labels, Buffer probs, Buffer loss) {
        CudaRows.softmaxCrossEntropy(this, rows, cols, logits, labels, probs, loss);
    }

    @Override
    public void softmaxCrossEntropyBackward(int rows, int cols, Buffer probs, Buffer labels, Buffer dLoss, Buffer dLogits) {
        CudaRows.softmaxCrossEntropyBackward(this, rows, cols, probs, labels, dLoss, dLogits);
    }

    @Override
    public void gatherRows(int count, int width, Buffer table, Buffer ids, Buffer out) {
        CudaRows.gatherRows(this, count, width, table, ids, out);
    }

    @Override
    public void gatherRowsBackward(int count, int width, Buffer dOut, Buffer ids, Buffer dTable) {
        CudaRows.gatherRowsBackward(this, count, width, dOut, ids, dTable);
    }

    @Override
    public void dropoutMask(long n, float keep, long seed, Buffer mask) {
        CudaRows.dropoutMask(this, n, keep, seed, mask);
    }

    @Override
    public void lstmCell(int n, int hidden, Buffer gates, Buffer cPrev, Buffer c, Buffer h) {
        CudaRows.lstmCell(this, n, hidden, gates, cPrev, c, h);
    }

    @Override
    public void lstmCellBackward(int n, int hidden, Buffer gates, Buffer cPrev, Buffer c, Buffer dh, Buffer dc,
                                 Buffer dGates, Buffer dcPrev) {
        CudaRows.lstmCellBackward(this, n, hidden, gates, cPrev, c, dh, dc, dGates, dcPrev);
    }

    // ---- optimizers ----

    @Override
    public void sgdStep(long n, SgdConfig cfg, float lr, Buffer param, Buffer grad, Buffer velocity) {
        nonNegative("sgdStep", "n", n);
        CudaBuffer p = need(memory, "sgdStep", "param", param, n);
        CudaBuffer g = need(memory, "sgdStep", "grad", grad, n);
        boolean momentum = cfg.momentum() != 0;
        CudaBuffer v = momentum ? need(memory, "sgdStep", "velocity", velocity, n) : null;
        run("sgdStep", () -> "n=" + n + " " + cfg, () -> device.launch1d(Kernel.SGD_STEP, n, n, cfg.momentum(),
                cfg.weightDecay(), cfg.nesterov() ? 1 : 0, lr, p, g, v));
    }

    @Override
    public void adamStep(long n, AdamConfig cfg, float lr, int step, Buffer param, Buffer grad, Buffer m, Buffer v) {
        nonNegative("adamStep", "n", n);
        positive("adamStep", "step", step);
        CudaBuffer p = need(memory, "adamStep", "param", param, n);
        CudaBuffer g = need(memory, "adamStep", "grad", grad, n);
        CudaBuffer bm = need(memory, "adamStep", "m", m, n);
        CudaBuffer bv = need(memory, "adamStep", "v", v, n);
        // bias corrections in double on the host, as the reference computes them
        float bias1 = (float) (1 - Math.pow(cfg.beta1(), step));
        float bias2 = (float) (1 - Math.pow(cfg.beta2(), step));
        run("adamStep", () -> "n=" + n + " step=" + step + " " + cfg, () -> device.launch1d(Kernel.ADAM_STEP, n, n,
                cfg.beta1(), cfg.beta2(), cfg.eps(), cfg.weightDecay(), lr, bias1, bias2, p, g, bm, bv));
    }

    // ---- package access for the op helpers ----

    DeviceApi device() {
        return device;
    }

    CudaMemory memory() {
        return memory;
    }

    void runOp(String op, Supplier<String> shapes, Runnable body) {
        run(op, shapes, body);
    }

    /** Frees every device buffer (those still out included), the cuBLAS handle, the module and the stream. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        device.makeCurrent();
        try {
            memory.close();
            gemm.close();
        } finally {
            device.close();
        }
    }
}
