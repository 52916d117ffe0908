package org.nasengine.backend.cuda;

import static org.nasengine.backend.cuda.CudaChecks.need;
import static org.nasengine.backend.cuda.CudaChecks.nonNegative;
import static org.nasengine.backend.cuda.CudaChecks.optional;
import static org.nasengine.backend.cuda.CudaChecks.positive;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    private static final System.Logger LOG = System.getLogger(CudaBackend.class.getName());
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
    /** -Dnasengine.cuda.sync=true: wait after every op, so an asynchronous fault names its own op. */
    private static final boolean SYNC_EACH_OP = Boolean.getBoolean("nasengine.cuda.sync");
    private static final int REDUCE_BLOCK = 512;

    private final DeviceApi device;
    private final CudaMemory memory;
    private final GemmEngine gemm;
    private final List<ConvEngine> convEngines;
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
        return new CudaDevice(ordinal);
    }

    /** The backend on any implementation of the driver operations (the tests' kernel emulator among them). */
    CudaBackend(DeviceApi dev, GemmPath gemmPath) {
        CudaMemory mem = null;
        try {
            mem = new CudaMemory(dev);
            this.gemm = openGemm(dev, gemmPath);
        } catch (RuntimeException | LinkageError e) {
            if (mem != null) mem.close();
            dev.close();
            throw e;
        }
        this.device = dev;
        this.memory = mem;
        // first match wins: a cuDNN engine would go at the front
        this.convEngines = List.of(new DepthwiseConv(dev), new Im2colConv(dev, mem, gemm));
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

    /** Why cuBLAS (libcublas.so.12, through JCublas2) cannot be used here, or null if it can. Never throws. */
    public static String cublasUnavailableReason() {
        try {
            return CudaProbe.cublasUnavailableReason();
        } catch (Throwable t) {
            return "cuBLAS probe failed: " + t;
        }
    }

    private static GemmEngine openGemm(DeviceApi dev, GemmPath path) {
        String noCublas = path == GemmPath.KERNEL ? "our kernel was asked for"
                : !(dev instanceof CudaDevice) ? "cuBLAS needs a real GPU" : cublasUnavailableReason();
        if (noCublas == null) {
            GemmEngine engine = new CublasGemm((CudaDevice) dev);
            logOnce("cuda: GEMM via cuBLAS (libcublas.so.12) on " + dev.describe());
            return engine;
        }
        if (path == GemmPath.CUBLAS) throw new IllegalStateException("cuda backend: cuBLAS asked for, but " + noCublas);
        logOnce("cuda: GEMM via our tiled kernel on " + dev.describe() + ": " + noCublas);
        return new KernelGemm(dev);
    }

    private static void logOnce(String message) {
        if (LOGGED.add(message)) LOG.log(System.Logger.Level.INFO, message);
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
        if (g.strideA() < 0 || g.strideB() < 0 || g.strideC() < 0)
            throw new IllegalArgumentException("gemm: strides must be >= 0: " + g);
        if (g.batch() > 1 && g.strideC() < (long) g.m() * g.n())
            throw new IllegalArgumentException("gemm: strideC (" + g.strideC() + ") below m*n ("
                    + (long) g.m() * g.n() + ") would make batches overwrite each other");
        long last = g.batch() - 1;
        CudaBuffer da = need(memory, "gemm", "A", a, last * g.strideA() + (long) g.m() * g.k());
        CudaBuffer db = need(memory, "gemm", "B", b, last * g.strideB() + (long) g.k() * g.n());
        CudaBuffer dc = need(memory, "gemm", "C", c, last * g.strideC() + (long) g.m() * g.n());
        GemmCall call = GemmCall.of(g, da.ptr, db.ptr, dc.ptr);
        run("gemm", call::describe, () -> gemm.run(call));
    }

    @Override
    public void unary(Unary op, long n, Buffer x, Buffer y) {
        String name = "unary " + op;
        nonNegative(name, "n", n);
        CudaBuffer dx = need(memory, name, "x", x, n), dy = need(memory, name, "y", y, n);
        run(name, () -> "n=" + n, () -> device.launch1d(Kernel.UNARY_FWD, n, op.ordinal(), n, dx, dy));
    }

    @Override
    public void unaryBackward(Unary op, long n, Buffer x, Buffer y, Buffer dy, Buffer dx) {
        String name = "unaryBackward " + op;
        nonNegative(name, "n", n);
        boolean readsX = switch (op) { case RELU, LOG, SQUARE, LOG_SIGMOID -> true; default -> false; };
        boolean readsY = switch (op) { case TANH, SIGMOID, EXP -> true; default -> false; };
        CudaBuffer bx = readsX ? need(memory, name, "x", x, n) : optional(memory, name, "x", x, n);
        CudaBuffer by = readsY ? need(memory, name, "y", y, n) : optional(memory, name, "y", y, n);
        CudaBuffer bdy = need(memory, name, "dy", dy, n);
        CudaBuffer bdx = optional(memory, name, "dx", dx, n);
        if (bdx == null) return;
        run(name, () -> "n=" + n, () -> device.launch1d(Kernel.UNARY_BWD, n, op.ordinal(), n, bx, by, bdy, bdx));
    }

    @Override
    public void binary(Binary op, Broadcast shape, Buffer a, Buffer b, Buffer out) {
        String name = "binary " + op;
        CudaBuffer ba = need(memory, name, "a", a, CudaChecks.extent(shape.shape(), shape.aStrides()));
        CudaBuffer bb = need(memory, name, "b", b, CudaChecks.extent(shape.shape(), shape.bStrides()));
        CudaBuffer bo = need(memory, name, "out", out, shape.size());
        long n = shape.size();
        run(name, () -> describe(shape), () -> device.launch1d(Kernel.BINARY_BCAST, n, op.ordinal(),
                CudaStructs.broadcast(shape), n, ba, bb, bo));
    }

    @Override
    public void sumInto(Broadcast shape, Buffer src, Buffer dst) {
        CudaBuffer bs = need(memory, "sumInto", "src", src, shape.size());
        CudaBuffer bd = need(memory, "sumInto", "dst", dst, CudaChecks.extent(shape.shape(), shape.aStrides()));
        long n = shape.size();
        int unique = CudaChecks.distinctOffsets(shape.shape(), shape.aStrides()) ? 1 : 0;
        run("sumInto", () -> describe(shape), () -> device.launch1d(Kernel.SUM_INTO, n,
                CudaStructs.broadcast(shape), n, unique, bs, bd));
    }

    @Override
    public void scale(long n, float factor, Buffer x) {
        nonNegative("scale", "n", n);
        CudaBuffer bx = need(memory, "scale", "x", x, n);
        run("scale", () -> "n=" + n, () -> device.launch1d(Kernel.SCALE, n, n, factor, bx));
    }

    @Override
    public double sumOfSquares(long n, Buffer x) {
        nonNegative("sumOfSquares", "n", n);
        CudaBuffer bx = need(memory, "sumOfSquares", "x", x, n);
        double[] out = new double[1];
        run("sumOfSquares", () -> "n=" + n, () -> {
            DevicePtr acc = memory.zeroedDouble();
            device.launch1d(Kernel.SUM_OF_SQUARES, n, n, bx, acc);
            out[0] = memory.takeDouble();
        });
        return out[0];
    }

    private static String describe(Broadcast s) {
        return "shape=" + java.util.Arrays.toString(s.shape()) + " a=" + java.util.Arrays.toString(s.aStrides())
                + " b=" + java.util.Arrays.toString(s.bStrides());
    }

    // ---- convolution family ----

    @Override
    public void conv2d(ConvGeometry g, Buffer x, Buffer w, Buffer y) {
        CudaBuffer bx = need(memory, "conv2d", "x", x, g.inputLength());    // (n, cin, h, w)
        CudaBuffer bw = need(memory, "conv2d", "w", w, g.weightLength());   // (cout, cin/groups, kh, kw)
        CudaBuffer by = need(memory, "conv2d", "y", y, g.outputLength());   // (n, cout, outH, outW)
        run("conv2d", g::toString, () -> convEngine(g).forward(g, bx, bw, by));
    }

    @Override
    public void conv2dBackward(ConvGeometry g, Buffer x, Buffer w, Buffer dy, Buffer dx, Buffer dw) {
        String op = "conv2dBackward";
        CudaBuffer bdx = optional(memory, op, "dx", dx, g.inputLength());
        CudaBuffer bdw = optional(memory, op, "dw", dw, g.weightLength());
        // x is read only for dw, w only for dx
        CudaBuffer bx = bdw != null ? need(memory, op, "x", x, g.inputLength()) : optional(memory, op, "x", x, g.inputLength());
        CudaBuffer bw = bdx != null ? need(memory, op, "w", w, g.weightLength()) : optional(memory, op, "w", w, g.weightLength());
        CudaBuffer bdy = need(memory, op, "dy", dy, g.outputLength());
        if (bdx == null && bdw == null) return;
        run(op, g::toString, () -> convEngine(g).backward(g, bx, bw, bdy, bdx, bdw));
    }

    private ConvEngine convEngine(ConvGeometry g) {
        for (ConvEngine e : convEngines) if (e.supports(g)) return e;
        throw new IllegalStateException("no convolution engine supports " + g);   // Im2colConv supports all
    }

    @Override
    public void pool2d(PoolGeometry g, Buffer x, Buffer y) {
        CudaBuffer bx = need(memory, "pool2d", "x", x, g.inputLength());    // (n, c, h, w)
        CudaBuffer by = need(memory, "pool2d", "y", y, g.outputLength());   // (n, c, outH, outW)
        Kernel k = g.kind() == PoolGeometry.Kind.MAX ? Kernel.MAX_POOL_FWD : Kernel.AVG_POOL_FWD;
        run("pool2d", g::toString, () -> device.launch1d(k, g.outputLength(), CudaStructs.pool(g), bx, by));
    }

    @Override
    public void pool2dBackward(PoolGeometry g, Buffer x, Buffer y, Buffer dy, Buffer dx) {
        String op = "pool2dBackward";
        boolean max = g.kind() == PoolGeometry.Kind.MAX;
        CudaBuffer bx = max ? need(memory, op, "x", x, g.inputLength()) : optional(memory, op, "x", x, g.inputLength());
        optional(memory, op, "y", y, g.outputLength());   // the argmax is recomputed from x
        CudaBuffer bdy = need(memory, op, "dy", dy, g.outputLength());
        CudaBuffer bdx = optional(memory, op, "dx", dx, g.inputLength());
        if (bdx == null) return;
        byte[] args = CudaStructs.pool(g);
        run(op, g::toString, () -> {
            if (max) device.launch1d(Kernel.MAX_POOL_BWD, g.outputLength(), args, bx, bdy, bdx);
            else device.launch1d(Kernel.AVG_POOL_BWD, g.inputLength(), args, bdy, bdx);
        });
    }

    @Override
    public void batchNorm(BatchNormSpec s, Buffer x, Buffer gamma, Buffer beta, Buffer runningMean,
                          Buffer runningVar, Buffer savedMean, Buffer savedInvStd, Buffer y) {
        String op = "batchNorm";
        CudaBuffer bx = need(memory, op, "x", x, s.length());            // (n, c, spatial)
        CudaBuffer bg = need(memory, op, "gamma", gamma, s.c());         // (c)
        CudaBuffer bb = need(memory, op, "beta", beta, s.c());           // (c)
        CudaBuffer rm = need(memory, op, "runningMean", runningMean, s.c());
        CudaBuffer rv = need(memory, op, "runningVar", runningVar, s.c());
        CudaBuffer sm = s.training() ? need(memory, op, "savedMean", savedMean, s.c()) : null;
        CudaBuffer si = s.training() ? need(memory, op, "savedInvStd", savedInvStd, s.c()) : null;
        CudaBuffer by = need(memory, op, "y", y, s.length());            // (n, c, spatial)
        byte[] args = CudaStructs.batchNorm(s);
        run(op, s::toString, () -> {
            if (s.training()) {
                device.launch(Kernel.BN_STATS, s.c(), 1, 1, REDUCE_BLOCK, args, bx, sm, si, rm, rv);
                device.launch1d(Kernel.BN_APPLY_TRAIN, s.length(), args, bx, sm, si, bg, bb, by);
            } else {
                device.launch1d(Kernel.BN_APPLY_EVAL, s.length(), args, bx, rm, rv, bg, bb, by);
            }
        });
    }

    @Override
    public void batchNormBackward(BatchNormSpec s, Buffer x, Buffer gamma, Buffer savedMean, Buffer savedInvStd,
                                  Buffer dy, Buffer dx, Buffer dGamma, Buffer dBeta) {
        String op = "batchNormBackward";
        if (!s.training())
            throw new IllegalArgumentException(op + ": defined for training mode only (the spec has training=false)");
        CudaBuffer bx = need(memory, op, "x", x, s.length());
        CudaBuffer bg = need(memory, op, "gamma", gamma, s.c());
        CudaBuffer sm = need(memory, op, "savedMean", savedMean, s.c());
        CudaBuffer si = need(memory, op, "savedInvStd", savedInvStd, s.c());
        CudaBuffer bdy = need(memory, op, "dy", dy, s.length());
        CudaBuffer bdx = optional(memory, op, "dx", dx, s.length());
        CudaBuffer bdg = optional(memory, op, "dGamma", dGamma, s.c());
        CudaBuffer bdb = optional(memory, op, "dBeta", dBeta, s.c());
        if (bdx == null && bdg == null && bdb == null) return;
        run(op, s::toString, () -> device.launch(Kernel.BN_BWD, s.c(), 1, 1, REDUCE_BLOCK,
                CudaStructs.batchNorm(s), bx, bg, sm, si, bdy, bdx, bdg, bdb));
    }

    @Override
    public void padConcat(JoinGeometry j, Buffer[] inputs, Buffer out) {
        CudaBuffer[] in = joinBuffers("padConcat", "inputs", j, inputs, true);
        CudaBuffer bo = need(memory, "padConcat", "out", out, j.outputLength());   // (n, sum c_i, outH, outW)
        run("padConcat", () -> CudaJoin.describe(j), () -> CudaJoin.forward(device, j, in, bo));
    }

    @Override
    public void padConcatBackward(JoinGeometry j, Buffer dOut, Buffer[] dInputs) {
        CudaBuffer[] din = joinBuffers("padConcatBackward", "dInputs", j, dInputs, false);
        CudaBuffer bdo = need(memory, "padConcatBackward", "dOut", dOut, j.outputLength());
        run("padConcatBackward", () -> CudaJoin.describe(j), () -> CudaJoin.backward(device, j, bdo, din));
    }

    private CudaBuffer[] joinBuffers(String op, String role, JoinGeometry j, Buffer[] buffers, boolean required) {
        if (j.n() <= 0) throw new IllegalArgumentException(op + ": batch n (" + j.n() + ") must be > 0");
        if (buffers == null || buffers.length != j.inputs())
            throw new IllegalArgumentException(op + ": " + (buffers == null ? "null" : buffers.length)
                    + " buffers for a join of " + j.inputs() + " inputs");
        CudaBuffer[] out = new CudaBuffer[buffers.length];
        for (int k = 0; k < buffers.length; k++) {
            String r = role + "[" + k + "]";
            out[k] = required ? need(memory, op, r, buffers[k], j.inputLength(k))
                    : optional(memory, op, r, buffers[k], j.inputLength(k));
        }
        return out;
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
