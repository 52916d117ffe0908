package org.nasengine.backend.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD32Async;
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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import org.nasengine.backend.DeviceOutOfMemoryException;
import jcuda.CudaException;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * One GPU through JCuda's driver API: the device's primary context (shared with cuBLAS and with
 * any other CUDA library in the process), one stream that every operation is queued on, the
 * kernel module loaded once from the fatbin in the jar with its functions looked up once, and a
 * pinned staging buffer for host transfers (pinned memory is what lets the copy engine run
 * asynchronously; one reused buffer avoids pinning every Java array).
 */
final class CudaDevice implements DeviceApi {
    /** Where Maven puts the kernels built by kernels/CMakeLists.txt. */
    static final String FATBIN_RESOURCE = "/native/linux-x86_64/nasengine_kernels.fatbin";

    private static final String OUT_OF_MEMORY = CUresult.stringFor(CUresult.CUDA_ERROR_OUT_OF_MEMORY);

    final int ordinal;
    final String name;
    final int ccMajor, ccMinor, smCount;
    final CUstream stream = new CUstream();
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUmodule module = new CUmodule();
    private final Map<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);
    private final Pointer staging = new Pointer();   // pinned host memory, STAGING_BYTES
    private ByteBuffer stagingView;
    /** Recorded after each upload out of staging: staging may be rewritten once it has fired. */
    private final CUevent stagingFree = new CUevent();
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
            cuMemAllocHost(staging, STAGING_BYTES);
            stagingView = staging.getByteBuffer(0, STAGING_BYTES).order(ByteOrder.nativeOrder());
            cuEventCreate(stagingFree, CUevent_flags.CU_EVENT_DISABLE_TIMING);
            cuEventRecord(stagingFree, stream);
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

    @Override
    public String describe() {
        return "device " + ordinal + " (" + name + ", sm_" + ccMajor + ccMinor + ")";
    }

    @Override
    public int smCount() {
        return smCount;
    }

    @Override
    public void makeCurrent() {
        if (closed) throw new IllegalStateException("the cuda backend on " + describe() + " is closed");
        if (CURRENT.get() != context) {
            cuCtxSetCurrent(context);
            CURRENT.set(context);
        }
    }

    @Override
    public DevicePtr alloc(long bytes) {
        DevicePtr p = new DevicePtr();
        try {
            cuMemAlloc(p, bytes);
        } catch (CudaException e) {
            // JCuda names the CUresult in the message; out of memory is worth a retry, other errors are not
            if (String.valueOf(e.getMessage()).contains(OUT_OF_MEMORY))
                throw new DeviceOutOfMemoryException("cuMemAlloc of " + bytes + " bytes on " + describe() + ": " + OUT_OF_MEMORY, e);
            throw e;
        }
        return p;
    }

    @Override
    public void free(DevicePtr p) {
        cuMemFree(p);
    }

    @Override
    public void memsetD32(DevicePtr p, int value, long count) {
        cuMemsetD32Async(p, value, count, stream);
    }

    @Override
    public void copy(DevicePtr dst, DevicePtr src, long bytes) {
        cuMemcpyDtoDAsync(dst, src, bytes, stream);
    }

    @Override
    public ByteBuffer staging() {
        return stagingView;
    }

    @Override
    public void awaitStaging() {
        cuEventSynchronize(stagingFree);
    }

    @Override
    public void upload(DevicePtr dst, long bytes) {
        cuMemcpyHtoDAsync(dst, staging, bytes, stream);
        cuEventRecord(stagingFree, stream);
    }

    @Override
    public void download(DevicePtr src, long bytes) {
        cuMemcpyDtoHAsync(staging, src, bytes, stream);
        cuStreamSynchronize(stream);
    }

    @Override
    public void synchronize() {
        cuStreamSynchronize(stream);
    }

    @Override
    public void launch(Kernel k, int gridX, int gridY, int gridZ, int block, Object... args) {
        Pointer params = Pointer.to(kernelParams(k, args));
        cuLaunchKernel(functions.get(k), gridX, gridY, gridZ, block, 1, 1, 0, stream, params, null);
    }

    /** One pointer to each argument's value, as cuLaunchKernel takes them. */
    static NativePointerObject[] kernelParams(Kernel k, Object... args) {
        k.check(args);
        NativePointerObject[] params = new NativePointerObject[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            params[i] = switch (k.signature[i]) {
                case 'i' -> Pointer.to(new int[] {(Integer) a});
                case 'l' -> Pointer.to(new long[] {(Long) a});
                case 'f' -> Pointer.to(new float[] {(Float) a});
                case 's' -> Pointer.to((byte[]) a);
                default -> a == null ? Pointer.to(new long[] {0L})
                        : Pointer.to(a instanceof CudaBuffer b ? b.ptr : (DevicePtr) a);
            };
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
            cuEventDestroy(stagingFree);
            cuMemFreeHost(staging);
            cuModuleUnload(module);
            cuStreamDestroy(stream);
        } finally {
            CURRENT.remove();
            cuDevicePrimaryCtxRelease(device);
        }
    }
}
