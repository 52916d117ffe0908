package org.nasengine.backend.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * One GPU as the backend sees it: the device's primary context (shared with cuBLAS and with any
 * other CUDA library in the process), one stream that every operation is queued on, and the
 * kernel module, loaded once from the fatbin in the jar with its functions looked up once.
 */
final class CudaDevice implements AutoCloseable {
    /** Where Maven puts the kernels built by kernels/CMakeLists.txt. */
    static final String FATBIN_RESOURCE = "/native/linux-x86_64/nasengine_kernels.fatbin";
    static final int BLOCK = 256;

    final int ordinal;
    final String name;
    final int ccMajor, ccMinor, smCount;
    final CUstream stream = new CUstream();
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUmodule module = new CUmodule();
    private final Map<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);
    /** Elementwise grids stop at this many blocks; the kernels' grid-stride loops do the rest. */
    private final int maxGrid;
    private boolean closed;

    /** The context this thread last made current, so that most calls skip cuCtxSetCurrent. */
    private static final ThreadLocal<CUcontext> CURRENT = new ThreadLocal<>();

    CudaDevice(int ordinal) {
        JCudaDriver.setExceptionsEnabled(true);
        cuInit(0);
        this.ordinal = ordinal;
        cuDeviceGet(device, ordinal);
        this.name = deviceName(device);
        this.ccMajor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        this.ccMinor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        this.smCount = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        this.maxGrid = smCount * 32;
        cuDevicePrimaryCtxRetain(context, device);
        try {
            cuCtxSetCurrent(context);
            CURRENT.set(context);
            cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING);
            cuModuleLoadData(module, fatbin());
            for (Kernel k : Kernel.values()) {
                CUfunction f = new CUfunction();
                cuModuleGetFunction(f, module, k.symbol);
                functions.put(k, f);
            }
        } catch (RuntimeException e) {
            cuDevicePrimaryCtxRelease(device);
            throw e;
        }
    }

    /** The kernels as built into the jar; absent when the build had no nvcc. */
    static byte[] fatbin() {
        try (InputStream in = CudaDevice.class.getResourceAsStream(FATBIN_RESOURCE)) {
            if (in == null)
                throw new IllegalStateException("no CUDA kernels in the jar: " + FATBIN_RESOURCE
                        + " is missing (the build found no nvcc)");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + FATBIN_RESOURCE, e);
        }
    }

    private int attribute(int attribute) {
        int[] v = new int[1];
        cuDeviceGetAttribute(v, attribute, device);
        return v[0];
    }

    private static String deviceName(CUdevice device) {
        byte[] raw = new byte[256];
        cuDeviceGetName(raw, raw.length, device);
        int len = 0;
        while (len < raw.length && raw[len] != 0) len++;
        return new String(raw, 0, len, StandardCharsets.US_ASCII);
    }

    /** "device 0 (NVIDIA H100 80GB HBM3, sm_90)": what error messages name. */
    String describe() {
        return "device " + ordinal + " (" + name + ", sm_" + ccMajor + ccMinor + ")";
    }

    /** Binds the context to the calling thread; cheap when it already is. */
    void makeCurrent() {
        if (closed) throw new IllegalStateException("the cuda backend on " + describe() + " is closed");
        if (CURRENT.get() != context) {
            cuCtxSetCurrent(context);
            CURRENT.set(context);
        }
    }

    void synchronize() {
        cuStreamSynchronize(stream);
    }

    /** Blocks for an elementwise kernel over n elements: a few waves at most, never 0. */
    int gridFor(long n) {
        return (int) Math.max(1, Math.min((n + BLOCK - 1) / BLOCK, maxGrid));
    }

    /** An elementwise kernel over n elements (nothing when n == 0). */
    void launch1d(Kernel k, long n, Object... args) {
        if (n > 0) launch(k, gridFor(n), 1, 1, BLOCK, args);
    }

    /**
     * Launches k on the stream. Arguments by the kernel's signature: Integer (i), Long (l),
     * Float (f), CudaBuffer, DevicePtr or null (p), byte[] (s).
     */
    void launch(Kernel k, int gridX, int gridY, int gridZ, int block, Object... args) {
        Pointer params = Pointer.to(kernelParams(k, args));
        cuLaunchKernel(functions.get(k), gridX, gridY, gridZ, block, 1, 1, 0, stream, params, null);
    }

    static NativePointerObject[] kernelParams(Kernel k, Object... args) {
        if (args.length != k.signature.length)
            throw new IllegalArgumentException(k.symbol + " takes " + k.signature.length + " arguments, got " + args.length);
        NativePointerObject[] params = new NativePointerObject[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            char t = k.signature[i];
            params[i] = switch (t) {
                case 'i' -> a instanceof Integer v ? Pointer.to(new int[] {v}) : null;
                case 'l' -> a instanceof Long v ? Pointer.to(new long[] {v}) : null;
                case 'f' -> a instanceof Float v ? Pointer.to(new float[] {v}) : null;
                case 's' -> a instanceof byte[] v ? Pointer.to(v) : null;
                case 'p' -> a == null ? Pointer.to(new long[] {0L})
                        : a instanceof CudaBuffer b ? Pointer.to(b.ptr)
                        : a instanceof DevicePtr d ? Pointer.to(d) : null;
                default -> throw new IllegalStateException(k.symbol + ": unknown signature letter " + t);
            };
            if (params[i] == null)
                throw new IllegalArgumentException(k.symbol + " argument " + i + " must be '" + t + "', got "
                        + (a == null ? "null" : a.getClass().getSimpleName()));
        }
        return params;
    }

    @Override
    public void close() {
        if (closed) return;
        makeCurrent();
        closed = true;
        try {
            cuStreamSynchronize(stream);
            cuModuleUnload(module);
            cuStreamDestroy(stream);
        } finally {
            CURRENT.remove();
            cuDevicePrimaryCtxRelease(device);
        }
    }
}
